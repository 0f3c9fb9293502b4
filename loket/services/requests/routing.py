"""Routing (DESIGN §4): which team owns a new request. `route` is pure; `route_for` reads the database."""
from dataclasses import dataclass

from sqlalchemy import select

from loket.extensions import db
from loket.models import Bond, BondAgreement, Category, Club, Gemeente, Loket, Sport, Team, bond_sports, club_sports
from loket.services.network.agreements import default_handler, serving
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
    # The bond's confirmed agreement for the request's category: "bond" | "loket" | "samen"; None = the default.
    handled_by: str | None = None


@dataclass(frozen=True)
class Route:
    team_kind: str  # "loket" | "bond" | "fallback"
    organisation_id: int | None
    reason: str  # Dutch, for the internal timeline
    # `samen`: the bond invited to co-handle the request the loket owns.
    invited_bond_id: int | None = None


HANDLER_WORDS = {"bond": "de bond behandelt de vraag", "loket": "het loket behandelt de vraag",
                 "samen": "het loket behandelt de vraag samen met de bond"}


def route(*, scope: str, gemeente_name: str, loket: LoketState | None,
          sport_name: str | None = None, sport_bonden: tuple[BondState, ...] = (),
          category_name: str | None = None) -> Route:
    """Decide the owning team of a new request from the club's network state.

    `sport_bonden` are the bonden of the request's sport (or, for a question without a sport, of the club's
    sports), each with its confirmed agreement for the category. Of the aangesloten ones (lowest key first), the
    first whose agreement (or, without one, the category's default) involves the bond decides:
    - `bond` → that bond; `samen` → the loket, with the bond invited (the bond alone without an operational loket);
    - otherwise the loket serving the club's gemeente — sportspecifiek says why no bond took it;
    - no operational loket → the coördinatiepunt's fallback queue.
    """
    default = default_handler(scope)
    connected = sorted((b for b in sport_bonden if b.aangesloten), key=lambda b: b.key)
    for bond in connected:
        handler = bond.handled_by or default
        if handler == "loket":
            continue
        if bond.handled_by is None:
            why = f"Sportspecifieke vraag over {sport_name}: naar {bond.name}."
        else:
            why = f"Afspraak van {bond.name} over ‘{category_name}’: {HANDLER_WORDS[handler]}."
        if handler == "bond":
            return Route("bond", bond.id, why)
        via_loket = _to_loket(loket, gemeente_name)
        if via_loket.team_kind == "fallback":
            return Route("bond", bond.id, f"{why} De gemeente heeft geen operationeel loket, dus {bond.name} "
                                          "behandelt de vraag alleen.")
        return Route("loket", via_loket.organisation_id, f"{why} {via_loket.reason} {bond.name} werkt mee.",
                     invited_bond_id=bond.id)
    if scope == "sportspecifiek":
        agreed = [b for b in connected if b.handled_by == "loket"]
        if agreed:
            why = f"Afspraak van {agreed[0].name} over ‘{category_name}’: {HANDLER_WORDS['loket']}."
        elif sport_bonden:
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


@dataclass(frozen=True)
class Routed:
    """Where a club's new request goes: the owning team, the decision, and for a `samen` agreement the team of
    the bond invited to co-handle it."""

    team: Team
    decision: Route
    invited_team: Team | None = None


def route_for(club: Club, category: Category, sport: Sport | None) -> tuple[Team, Route]:
    """Read the network state for a club's request, route it, and return the owning Team (see `routed`)."""
    found = routed(club, category, sport)
    return found.team, found.decision


def routed(club: Club, category: Category, sport: Sport | None) -> Routed:
    """Read the network state for a club's request, route it, and return the teams it goes to.

    The bonden considered are those of the request's sport, or for a question without a sport those of the
    club's sports; an onderneming is served by a brancheorganisatie where its sports have one, other clubs by
    a sportbond where they have one. Two queries read it all: the loket of the club's gemeente with its team,
    and the bonden of the sports with their confirmed agreement for the category and their teams. The owning
    team comes with them, except the coördinatiepunt's (one more query for the fallback queue).
    """
    loket, loket_team = db.session.execute(
        select(Loket, Team).outerjoin(Team, (Team.loket_id == Loket.id) & (Team.kind == "loket"))
        .where(Loket.id == select(Gemeente.loket_id).where(Gemeente.id == club.gemeente.id).scalar_subquery())
    ).one_or_none() or (None, None)
    sports = (bond_sports.c.sport_id == sport.id) if sport else bond_sports.c.sport_id.in_(
        select(club_sports.c.sport_id).where(club_sports.c.club_id == club.id))
    rows = db.session.execute(
        select(Bond, BondAgreement.handled_by, Team)
        .join(bond_sports, bond_sports.c.bond_id == Bond.id)
        .outerjoin(BondAgreement, (BondAgreement.bond_id == Bond.id) & (BondAgreement.state == "confirmed")
                   & (BondAgreement.category_id == category.id))
        .outerjoin(Team, (Team.bond_id == Bond.id) & (Team.kind == "bond"))
        .where(sports).order_by(Bond.id)).all()
    # A bond of several of the club's sports comes once per sport; at most one confirmed agreement per category.
    handled_by = {bond.id: handler for bond, handler, _ in rows}
    bond_teams = {bond.id: team for bond, _, team in rows}
    bonden = serving(list({bond.id: bond for bond, _, _ in rows}.values()), club.kind)
    decision = route(
        scope=category.scope,
        gemeente_name=club.gemeente.name,
        loket=LoketState(loket.id, loket.name, loket.is_operational) if loket else None,
        sport_name=sport.name if sport else None,
        sport_bonden=tuple(BondState(b.id, b.key, b.name, b.aangesloten, handled_by.get(b.id)) for b in bonden),
        category_name=category.name,
    )
    teams = {("loket", loket.id if loket else None): loket_team,
             **{("bond", bond_id): team for bond_id, team in bond_teams.items()}}

    def team_of(kind: str, organisation_id: int | None) -> Team:
        return teams.get((kind, organisation_id)) or team_for(kind, organisation_id)

    invited = team_of("bond", decision.invited_bond_id) if decision.invited_bond_id is not None else None
    return Routed(team_of(decision.team_kind, decision.organisation_id), decision, invited)
