"""Support requests: filing, replying, claiming, status changes, and who may see what.

Every function that writes commits exactly once, so each user action is one transaction.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from loket.extensions import db
from loket.models import (
    OPEN_STATUSES, STATUSES, Category, Club, Collaborator, Event, Gemeente, ReferenceSequence, Referral, Sport,
    SupportRequest, Team, User,
)
from loket.models.base import utcnow
from loket import notifications
from loket.services import outbox, workflow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.pagination import RowPage, paginate_rows
from loket.services.routing import route_for
from loket.services.service_levels import service_levels_of

NOT_FOUND_MESSAGE = "Deze aanvraag bestaat niet of je hebt er geen toegang toe."


# ---------------------------------------------------------------- references

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


# ---------------------------------------------------------------- filing

def _validate_text(errors: dict, field: str, value: str | None, *, label_missing: str, limit: int, what: str):
    value = (value or "").strip()
    if not value:
        errors[field] = label_missing
    elif len(value) > limit:
        errors[field] = f"{what} mag maximaal {limit} tekens lang zijn (nu {len(value)})."
    return value


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

    errors: dict[str, str] = {}
    config = current_app.config
    title = _validate_text(errors, "title", title, label_missing="Geef je vraag een korte titel.",
                           limit=config["REQUEST_TITLE_MAX"], what="De titel")
    description = _validate_text(errors, "description", description, label_missing="Beschrijf je vraag.",
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


def available_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.active).order_by(Category.position,
                                                                                     Category.name)))


def all_categories() -> list[Category]:
    """Every category, deactivated ones too (old requests keep them, so queues can filter on them)."""
    return list(db.session.scalars(select(Category).order_by(Category.active.desc(), Category.position,
                                                             Category.name)))


# ---------------------------------------------------------------- visibility

def team_ids_of(user: User) -> list[int]:
    """The teams (loket/bond queues) a supporter works in.

    A page asks this several times (queue, tab counts, filters); the answer is kept on the user object,
    keyed by its memberships, so a changed membership is never answered from a stale cache.
    """
    key = (tuple(user.loket_ids), tuple(user.bond_ids))
    cache = user.__dict__.setdefault("_team_ids_by_memberships", {})
    if key not in cache:
        cache[key] = tuple(db.session.scalars(
            select(Team.id).where(or_(Team.loket_id.in_(key[0]), Team.bond_id.in_(key[1])))
        )) if key != ((), ()) else ()
    return list(cache[key])


def get_request_for_club_contact(user: User, request_id: int) -> SupportRequest:
    request = db.session.get(SupportRequest, request_id)
    if request is None or request.club_id not in user.club_ids:
        raise NotFound(NOT_FOUND_MESSAGE)
    return request


def club_requests(user: User, *, page: int = 1, per_page: int = 25):
    query = (select(SupportRequest).where(SupportRequest.club_id.in_(user.club_ids))
             .order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def timeline(request: SupportRequest, *, include_internal: bool) -> list[Event]:
    query = (select(Event).where(Event.request_id == request.id)
             .options(selectinload(Event.actor)).order_by(Event.id))
    if not include_internal:
        query = query.where(Event.is_public)
    return list(db.session.scalars(query))


QUEUE_VIEWS = {
    "team": "Ons team",
    "inkomend": "Doorverwezen aan ons",
    "uitgaand": "Door ons doorverwezen",
    "samenwerking": "Wij werken mee",
}


@dataclass(frozen=True)
class QueueFilter:
    view: str = "team"  # one of QUEUE_VIEWS
    status: str | None = None  # a status, "open" (default) or "alle"
    category_id: int | None = None
    assignee: str | None = None  # "ik", "niemand" or a user id


def _queue_base(view: str, team_ids: list[int]):
    query = select(SupportRequest)
    if view == "inkomend":
        return query.join(Referral, (Referral.request_id == SupportRequest.id) & (Referral.state == "voorgesteld")) \
            .where(Referral.to_team_id.in_(team_ids))
    if view == "uitgaand":
        return query.join(Referral, (Referral.request_id == SupportRequest.id) & (Referral.state == "voorgesteld")) \
            .where(Referral.from_team_id.in_(team_ids))
    if view == "samenwerking":
        return query.join(Collaborator, (Collaborator.request_id == SupportRequest.id)
                          & Collaborator.ended_at.is_(None)).where(Collaborator.team_id.in_(team_ids)).distinct()
    return query.where(SupportRequest.owner_team_id.in_(team_ids))


def queue_query(user: User, filters: QueueFilter):
    """The select behind a supporter's queue view, soonest due first (index-backed)."""
    team_ids = team_ids_of(user)
    query = _queue_base(filters.view if filters.view in QUEUE_VIEWS else "team", team_ids)
    if filters.status in STATUSES:
        query = query.where(SupportRequest.status == filters.status)
    elif filters.status != "alle":
        query = query.where(SupportRequest.status.in_(OPEN_STATUSES))
    if filters.category_id:
        query = query.where(SupportRequest.category_id == filters.category_id)
    if filters.assignee == "ik":
        query = query.where(SupportRequest.assignee_id == user.id)
    elif filters.assignee == "niemand":
        query = query.where(SupportRequest.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        query = query.where(SupportRequest.assignee_id == int(filters.assignee))
    return (query.options(selectinload(SupportRequest.assignee).lazyload(User.memberships),
                          selectinload(SupportRequest.open_referral))
            .order_by(SupportRequest.due_at.is_(None), SupportRequest.due_at, SupportRequest.id))


def queue(user: User, filters: QueueFilter, *, page: int = 1, per_page: int | None = None):
    """One page of a supporter's queue view."""
    return db.paginate(queue_query(user, filters), page=page,
                       per_page=per_page or current_app.config["QUEUE_PAGE_SIZE"], error_out=False)


def queue_counts(user: User) -> dict[str, int]:
    """Open requests per queue view, for the tabs (one query per view, whatever the data size)."""
    team_ids = team_ids_of(user)
    counts = {}
    for view in QUEUE_VIEWS:
        query = _queue_base(view, team_ids).where(SupportRequest.status.in_(OPEN_STATUSES))
        counts[view] = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return counts


def team_members(team_ids: list[int]) -> list[User]:
    """Colleagues in the given teams (for the assignee filter)."""
    from loket.models import Membership

    if not team_ids:
        return []
    teams = db.session.scalars(select(Team).where(Team.id.in_(team_ids))).all()
    loket_ids = [t.loket_id for t in teams if t.loket_id]
    bond_ids = [t.bond_id for t in teams if t.bond_id]
    return list(db.session.scalars(
        select(User).join(Membership).where(
            or_(Membership.loket_id.in_(loket_ids), Membership.bond_id.in_(bond_ids)), User.active
        ).distinct().order_by(User.name)
    ))


def fallback_queue(*, page: int = 1) -> RowPage:
    """The coördinatiepunt's fallback queue: metadata only, never titles or descriptions."""
    query = (
        select(SupportRequest.id, SupportRequest.reference, SupportRequest.status, SupportRequest.created_at,
               SupportRequest.due_at, Category.name.label("category"), Gemeente.name.label("gemeente"),
               Gemeente.province.label("province"))
        .join(Team, SupportRequest.owner_team_id == Team.id)
        .join(Category, SupportRequest.category_id == Category.id)
        .join(Club, SupportRequest.club_id == Club.id)
        .join(Gemeente, Club.gemeente_id == Gemeente.id)
        .where(Team.kind == "fallback")
        .order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc())
    )
    return paginate_rows(query, page=page, per_page=current_app.config["QUEUE_PAGE_SIZE"])


# ---------------------------------------------------------------- working a request

def add_message(request: SupportRequest, *, actor: User, body: str, internal: bool,
                as_supporter: bool, now: datetime | None = None, event_data: dict | None = None) -> Event:
    """A public reply or an internal note (`event_data` is stored on its event). Side effects:
    status/clock updates; commits."""
    now = now or utcnow()
    if internal and not as_supporter:
        raise Forbidden("Alleen ondersteuners kunnen interne notities schrijven.")
    errors: dict[str, str] = {}
    body = _validate_text(errors, "body", body, label_missing="Schrijf een bericht.",
                          limit=current_app.config["REQUEST_BODY_MAX"], what="Het bericht")
    if errors:
        raise InvalidInput(errors)
    if not request.is_open and request.status == "gesloten":
        raise Conflict("Deze aanvraag is gesloten; dien een nieuwe aanvraag in.")
    event = add_event(request, "internal_note" if internal else "public_reply", actor, now,
                       public=not internal, body=body, data=event_data)
    if as_supporter and not internal:
        workflow.record_first_response(request, now)
        if request.status == "nieuw":
            change_status_in_transaction(request, "in_behandeling", actor, now)
    elif not as_supporter and request.status in ("wacht_op_club", "opgelost"):
        # The club answered: the ball is back with the team.
        change_status_in_transaction(request, "in_behandeling", actor, now)
    request.updated_at = now
    db.session.flush()
    notifications.message_posted(request, event, by_supporter=as_supporter)
    commit()
    return event


def claim(request: SupportRequest, *, actor: User, now: datetime | None = None) -> None:
    """Assign an unassigned request to the actor. Exactly one of two simultaneous claims wins."""
    now = now or utcnow()
    result = db.session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request.id, SupportRequest.assignee_id.is_(None))
        .values(assignee_id=actor.id, version=SupportRequest.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(request)
        who = request.assignee.name if request.assignee else "iemand anders"
        raise Conflict(f"Deze aanvraag is al opgepakt door {who}.")
    db.session.refresh(request)
    add_event(request, "assigned", actor, now, data={"assignee_id": actor.id})
    if request.status == "nieuw":
        change_status_in_transaction(request, "in_behandeling", actor, now)
    commit()


def unclaim(request: SupportRequest, *, actor: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    if request.assignee_id != actor.id:
        raise Conflict("Je kunt alleen een aanvraag teruggeven die aan jou is toegewezen.")
    request.assignee = None
    add_event(request, "unassigned", actor, now, data={"assignee_id": actor.id})
    commit()


def assign(request: SupportRequest, *, actor: User, assignee: User | None, now: datetime | None = None) -> None:
    """Set or clear the assignee (the caller checked the assignee works in the owning team). Commits."""
    now = now or utcnow()
    if request.assignee_id == (assignee.id if assignee else None):
        return
    request.assignee = assignee
    request.updated_at = now
    if assignee is None:
        add_event(request, "unassigned", actor, now)
    else:
        add_event(request, "assigned", actor, now, data={"assignee_id": assignee.id, "assignee": assignee.name})
        if request.status == "nieuw":
            change_status_in_transaction(request, "in_behandeling", actor, now)
    commit()


def change_status(request: SupportRequest, new_status: str, *, actor: User,
                  expected_version: int | None = None, now: datetime | None = None) -> None:
    """A supporter changes the status (validated by the status machine). Commits."""
    now = now or utcnow()
    if expected_version is not None and expected_version != request.version:
        raise Conflict("Iemand anders heeft deze aanvraag net gewijzigd. Bekijk de nieuwe stand en probeer opnieuw.")
    change_status_in_transaction(request, new_status, actor, now)
    commit()


def change_status_in_transaction(request: SupportRequest, new_status: str, actor: User | None, now: datetime,
                                 *, system: bool = False) -> None:
    """Apply a status change and its public event, without committing (the caller commits)."""
    old = workflow.apply_status(request, new_status, now, system=system)
    request.updated_at = now
    if new_status == "opgelost":
        notifications.request_resolved(request)
    add_event(request, "status_changed", actor, now, public=True, data={"from": old, "to": new_status})


def add_event(request: SupportRequest, kind: str, actor: User | None, now: datetime, *,
               public: bool = False, body: str | None = None, data: dict | None = None) -> Event:
    event = Event(request=request, kind=kind, actor=actor, is_public=public, body=body,
                  data=data or {}, created_at=now)
    db.session.add(event)
    return event


def commit() -> None:
    """Commit the user's action as one transaction, then dispatch the outbox rows it wrote."""
    try:
        outbox.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("Iemand anders heeft deze aanvraag net gewijzigd. Bekijk de nieuwe stand en probeer opnieuw.") from None
