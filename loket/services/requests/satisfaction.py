"""The satisfaction survey: a club rates the help it got (1–5, once) when its request is resolved."""
from datetime import datetime

from sqlalchemy.orm.exc import StaleDataError

from loket.extensions import db
from loket.models import Event, SupportRequest, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.requests.actions import add_event
from loket.services.transaction import commit

SCORES = {1: "Zeer ontevreden", 2: "Ontevreden", 3: "Neutraal", 4: "Tevreden", 5: "Zeer tevreden"}
COMMENT_MAX = 2000
RATABLE_STATUSES = ("opgelost", "gesloten")


def can_give_satisfaction(request: SupportRequest) -> bool:
    """The survey is open once the request is resolved or closed, until the club has answered it."""
    return request.status in RATABLE_STATUSES and request.satisfaction_score is None


def give_satisfaction(request: SupportRequest, actor: User, score, comment: str | None,
                      now: datetime | None = None) -> Event:
    """Record the club's score (1–5) and optional comment, once, with a public 'satisfaction_given' event.

    Side effects: commits (outbox.commit). Raises Forbidden (not a contact of the club), Conflict
    (already rated, not resolved yet, or changed meanwhile) or InvalidInput (score, comment).
    """
    now = now or utcnow()
    if request.club_id not in actor.club_ids:
        raise Forbidden("Alleen contactpersonen van de club kunnen laten weten hoe tevreden ze zijn.")
    if request.satisfaction_score is not None:
        raise Conflict("Voor deze aanvraag is al een oordeel gegeven. Dank je wel!")
    if request.status not in RATABLE_STATUSES:
        raise Conflict("Je kunt laten weten hoe tevreden je bent zodra je vraag is opgelost.")
    errors: dict[str, str] = {}
    value = _score(score)
    if value is None:
        errors["score"] = "Kies een cijfer van 1 (zeer ontevreden) tot en met 5 (zeer tevreden)."
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Je toelichting mag maximaal {COMMENT_MAX} tekens lang zijn (nu {len(comment)})."
    if errors:
        raise InvalidInput(errors)
    request.satisfaction_score = value
    request.satisfaction_comment = comment or None
    event = add_event(request, "satisfaction_given", actor, now, public=True, body=comment or None,
                      data={"score": value})
    try:
        commit()
    except StaleDataError:  # someone else rated or changed the request at the same moment
        db.session.rollback()
        raise Conflict("Deze aanvraag is net gewijzigd. Laad de pagina opnieuw en probeer het nog eens.") from None
    return event


def _score(score) -> int | None:
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        return None
    return value if value in SCORES else None
