"""Routing (DESIGN §4): which team owns a new request. `route` is pure; `route_for` reads the database."""
from dataclasses import dataclass

from loket.models import Category, Club, Sport, Team
from loket.services.network.teams import team_for


@dataclass(frozen=True)
class LoketState:
    id: int
    name: str
    operational: bool


@dataclass(frozen=True)
class BondState:
    id: int
    key: str
    name: str
    aangesloten: bool


@dataclass(frozen=True)
class Route:
    team_kind: str  # "loket" | "bond" | "fallback"
    organisation_id: int | None
    reason: str  # Dutch, for the internal timeline


def route(*, scope: str, gemeente_name: str, loket: LoketState | None,
          sport_name: str | None = None, sport_bonden: tuple[BondState, ...] = ()) -> Route:
    """Decide the owning team of a new request from the club's network state.

    - generiek → the loket serving the club's gemeente;
    - sportspecifiek → the bond of the sport when it is aangesloten, otherwise the loket (with why);
    - no operational loket for the gemeente → the coördinatiepunt's fallback queue.
    """
    if scope == "sportspecifiek":
        connected = sorted((b for b in sport_bonden if b.aangesloten), key=lambda b: b.key)
        if connected:
            bond = connected[0]
            return Route("bond", bond.id, f"Sportspecifieke vraag over {sport_name}: naar {bond.name}.")
        if sport_bonden:
            why = (f"De bond voor {sport_name} ({', '.join(b.name for b in sport_bonden)}) "
                   "is nog niet aangesloten.")
        else:
            why = f"Er is geen bond bekend voor {sport_name}."
        via_loket = _to_loket(loket, gemeente_name)
        return Route(via_loket.team_kind, via_loket.organisation_id, f"{why} {via_loket.reason}")
    return _to_loket(loket, gemeente_name)


def _to_loket(loket: LoketState | None, gemeente_name: str) -> Route:
    if loket is not None and loket.operational:
        return Route("loket", loket.id, f"Gemeente {gemeente_name} valt onder {loket.name}.")
    if loket is None:
        why = f"Gemeente {gemeente_name} heeft nog geen loket"
    else:
        why = f"Het loket van gemeente {gemeente_name} ({loket.name}) is nog niet operationeel"
    return Route("fallback", None, f"{why}: opvang door het landelijk coördinatiepunt.")


def route_for(club: Club, category: Category, sport: Sport | None) -> tuple[Team, Route]:
    """Read the network state for a club's request, route it, and return the owning Team."""
    loket = club.gemeente.loket
    decision = route(
        scope=category.scope,
        gemeente_name=club.gemeente.name,
        loket=LoketState(loket.id, loket.name, loket.is_operational) if loket else None,
        sport_name=sport.name if sport else None,
        sport_bonden=tuple(BondState(b.id, b.key, b.name, b.aangesloten) for b in sport.bonden)
        if sport else (),
    )
    return team_for(decision.team_kind, decision.organisation_id), decision
