"""Filing a support request: validating it, giving it a reference, routing it and starting its clock."""
from datetime import datetime

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from loket.extensions import db
from loket.models import Category, Club, ReferenceSequence, Sport, SupportRequest, User
from loket.models.base import utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.messaging import notifications
from loket.services.requests import workflow
from loket.services.requests.actions import add_event
from loket.services.requests.routing import route_for
from loket.services.requests.service_levels import service_levels_of
from loket.services.text import required_text
from loket.services.transaction import commit

# A club files once its loket (or the coördinatiepunt) approved its registration (services.network.registrations).
NOT_ACTIVE_MESSAGES = {
    "aangemeld": "Je aanmelding wacht nog op het loket. Zodra het loket je club heeft goedgekeurd, "
                 "kun je een aanvraag indienen.",
    "afgewezen": "De aanmelding van deze club is afgewezen, dus er kunnen geen aanvragen voor worden ingediend.",
}



class ClubNotActive(Forbidden):
    """The actor is the club's contact, but the club is not (yet) active: it may not file."""


def next_reference(year: int) -> str:
    """Allocate the next public reference of `year` (LK-2026-000123) with one atomic upsert."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(ReferenceSequence)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[ReferenceSequence.year],
            set_={"last_value": ReferenceSequence.last_value + 1},
        )
        .returning(ReferenceSequence.last_value)
    )
    return f"LK-{year}-{db.session.execute(statement).scalar_one():06d}"


def create_request(*, actor: User, club_id, category_id, sport_id, title: str, description: str,
                   now: datetime | None = None, event_data: dict | None = None) -> SupportRequest:
    """File a request for a club the actor is a contact of; route it and start its clock.

    :param event_data: stored on the 'created' event (e.g. how it arrived: inbound email).
    Side effects: commits the request with its 'created' and 'routed' events.
    """
    now = now or utcnow()
    club = db.session.get(Club, _as_int(club_id, "club", "Kies een club.")) if club_id else None
    if club is None:
        raise NotFound("Deze club bestaat niet.", field="club")
    if club.id not in actor.club_ids:
        raise Forbidden("Je bent geen contactpersoon van deze club.", field="club")
    if club.status != "actief":
        raise ClubNotActive(NOT_ACTIVE_MESSAGES.get(club.status, NOT_ACTIVE_MESSAGES["aangemeld"]), field="club")

    errors: dict[str, str] = {}
    config = current_app.config
    title = required_text(errors, "title", title, missing="Geef je vraag een korte titel.",
                           limit=config["REQUEST_TITLE_MAX"], what="De titel")
    description = required_text(errors, "description", description, missing="Beschrijf je vraag.",
                                 limit=config["REQUEST_BODY_MAX"], what="De beschrijving")
    category = _active_category(category_id)
    if category is None:
        errors["category"] = "Kies een van de categorieën uit de lijst."
    sport = _sport(sport_id)
    if sport_id not in (None, "", 0, "0") and sport is None:
        errors["sport"] = "Deze sport kennen we niet; kies een sport uit de lijst."
    elif category is not None and category.is_sport_specific and sport is None:
        errors["sport"] = f"Bij '{category.name}' hoort een sport: kies over welke sport je vraag gaat."
    elif category is not None and not category.is_sport_specific and sport is not None:
        errors["sport"] = (f"'{category.name}' is geen sportspecifieke categorie; laat de sport leeg "
                           "of kies de categorie 'sporttechnisch & competitie'.")
    if errors:
        raise InvalidInput(errors)

    team, decision = route_for(club, category, sport)
    request = SupportRequest(
        reference=next_reference(now.year), club=club, requester=actor, category=category, sport=sport,
        title=title, description=description, status="nieuw", owner_team=team, created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    workflow.start_clock(request, now, service_levels_of(team))
    add_event(request, "created", actor, now, public=True, data=event_data)
    add_event(request, "routed", None, now, body=decision.reason,
               data={"team_id": team.id, "team_kind": team.kind})
    db.session.flush()
    notifications.request_filed(request)
    commit()
    return request


def _as_int(value, field: str, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput({field: message}) from None


def _active_category(category_id) -> Category | None:
    try:
        category = db.session.get(Category, int(category_id))
    except (TypeError, ValueError):
        return None
    return category if category is not None and category.active else None


def _sport(sport_id) -> Sport | None:
    try:
        return db.session.get(Sport, int(sport_id)) if sport_id not in (None, "", 0, "0") else None
    except (TypeError, ValueError):
        return None
