"""Working a request: replies and internal notes, claiming and assigning, status changes, and the events
that record them. Each function that writes is one transaction (`transaction.commit`)."""
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import update

from loket.extensions import db
from loket.formatting import format_datetime
from loket.models import Event, SupportRequest, User
from loket.models.base import AMSTERDAM, utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.messaging import notifications
from loket.services.requests import mentions, workflow
from loket.services.text import CONTROL_MESSAGE, LINE_CHARACTERS, has_control_characters, required_text
from loket.services.transaction import commit


def add_message(request: SupportRequest, *, actor: User, body: str, internal: bool,
                as_supporter: bool, now: datetime | None = None, event_data: dict | None = None,
                mentioned: list[User] = ()) -> Event:
    """A public reply or an internal note (`event_data` is stored on its event; `mentioned`: the colleagues a note
    names, checked by teamwork, told in this transaction). Side effects: status/clock updates; commits."""
    now = now or utcnow()
    if internal and not as_supporter:
        raise Forbidden("Alleen ondersteuners kunnen interne notities schrijven.")
    errors: dict[str, str] = {}
    body = required_text(errors, "body", body, missing="Schrijf een bericht.",
                          limit=current_app.config["REQUEST_BODY_MAX"], what="Het bericht")
    if "body" not in errors and has_control_characters(body, allowed=LINE_CHARACTERS):
        errors["body"] = CONTROL_MESSAGE
    if errors:
        raise InvalidInput(errors)
    if not accepts_messages(request):
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
    if internal and mentioned:
        mentions.record(event, list(mentioned), actor=actor, now=now)
    commit()
    return event


def accepts_messages(request: SupportRequest) -> bool:
    """A closed (gesloten) request takes no more replies or notes; a resolved one still does (the club may
    answer, which reopens it)."""
    return request.is_open or request.status != "gesloten"


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


# ---------------------------------------------------------------- contact moments

CONTACT_CHANNELS = ("telefoon", "bezoek", "e-mail")
CONTACT_SUMMARY_MAX = 2000
CONTACT_CHANNEL_MESSAGE = "Kies hoe je contact had met de club: telefoon, bezoek of e-mail."
MOMENT_FORMAT_MESSAGE = "Vul een geldig moment in, bijvoorbeeld 2026-03-02 09:30."


def log_contact_moment(access, *, actor: User, channel: str, summary: str, moment: datetime | str | None = None,
                       now: datetime | None = None) -> Event:
    """A supporter of the owning team or an invited team records a phone call, visit or e-mail with the club on
    the request's timeline (`access`: teamwork.SupporterAccess).

    The event (`contact_moment`, data {channel, moment, moment_label: Dutch, Amsterdam time}) is internal: the summary is the supporter's notes of a
    conversation, not a message to the club, and the club was there. A contact moment is a response to the club,
    as a reply is: the first one given sets `first_response_at` (at the moment of the contact), and a new
    request goes to in_behandeling.

    :param moment: when it happened: naive UTC, or the text of a datetime-local field in Amsterdam time; empty is
        now. Not in the future, not before the request was filed.
    :raises Forbidden: the actor's team neither owns nor is invited to the request.
    :raises InvalidInput: channel, summary or moment wrong. :raises Conflict: the request is closed.
    Side effects: commits.
    """
    now = now or utcnow()
    if not access.can_reply:
        raise Forbidden("Een contactmoment leg je vast als jouw team de aanvraag behandelt of meewerkt.")
    request = access.request
    errors: dict[str, str] = {}
    if channel not in CONTACT_CHANNELS:
        errors["channel"] = CONTACT_CHANNEL_MESSAGE
    summary = required_text(errors, "summary", summary, missing="Vat kort samen wat er besproken is.",
                            limit=CONTACT_SUMMARY_MAX, what="De samenvatting")
    if "summary" not in errors and has_control_characters(summary, allowed="\n\r\t"):
        errors["summary"] = CONTROL_MESSAGE
    moment = _moment(errors, moment, now)
    if moment is not None and moment > now:
        errors["moment"] = "Een contactmoment kan niet in de toekomst liggen."
    elif moment is not None and moment < request.created_at.replace(second=0, microsecond=0):
        errors["moment"] = "Een contactmoment ligt niet vóór het indienen van de aanvraag."
    if errors:
        raise InvalidInput(errors)
    if request.status == "gesloten":
        raise Conflict("Deze aanvraag is gesloten; leg het contact vast bij een nieuwe aanvraag.")
    event = add_event(request, "contact_moment", actor, now, body=summary,
                      data={"channel": channel, "moment": moment.isoformat(timespec="minutes"),
                            "moment_label": format_datetime(moment)})
    workflow.record_first_response(request, moment)
    if request.status == "nieuw":
        change_status_in_transaction(request, "in_behandeling", actor, now)
    request.updated_at = now
    commit()
    return event


def _moment(errors: dict, value, now: datetime) -> datetime | None:
    """A naive UTC moment from a datetime (kept) or datetime-local text in Amsterdam time; empty is now."""
    if isinstance(value, datetime):
        return value
    text = (value or "").strip()
    if not text:
        return now
    try:
        local = datetime.fromisoformat(text) if len(text) <= 32 and text.isascii() and text.isprintable() else None
    except ValueError:
        local = None
    if local is None or local.tzinfo is not None:
        errors["moment"] = MOMENT_FORMAT_MESSAGE
        return None
    return local.replace(tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)
