"""Beheer's view of the outbox: what was sent, what waits, what failed and why; retrying a failed row."""
import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from loket.extensions import db
from loket.models import OUTBOX_STATUSES, OutboxMessage, User
from loket.models.base import utcnow
from loket.services import search
from loket.services.errors import Conflict, NotFound
from loket.services.messaging import mail, outbox
from loket.services.transaction import commit

log = logging.getLogger(__name__)

STATUS_LABELS = {"pending": "Wacht", "enqueued": "In de wachtrij", "sent": "Verstuurd", "failed": "Mislukt"}


def list_outbox(*, status: str | None = None, text: str | None = None, page: int = 1, per_page: int | None = None):
    """One page of outbox rows, newest first (two queries: count and page, whatever the data size), optionally
    with one status only, or only those whose recipient address or template (job) name contains `text`.

    :raises InvalidInput: {"q": …} for unusable search text.
    """
    text = search.search_text(text)
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    if text:
        query = query.where(search.contains(text, OutboxMessage.name, OutboxMessage.payload["to"].as_string()))
    return db.paginate(query, page=page, per_page=per_page or current_app.config["QUEUE_PAGE_SIZE"],
                       error_out=False)


def get_outbox_message(outbox_id: int) -> OutboxMessage:
    row = db.session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("Dit bericht bestaat niet.")
    return row


def mail_preview_enabled() -> bool:
    """Rendered mails show request contents, which beheer may not read: only where nothing is really sent
    (development without SENDGRID_API_KEY, where the log provider stands in for SendGrid)."""
    return not current_app.config.get("SENDGRID_API_KEY")


def preview_mail(outbox_id: int):
    """The rendered subject, text and HTML of an email row (development only)."""
    row = get_outbox_message(outbox_id)
    if row.kind != "email" or not mail_preview_enabled():
        raise NotFound("Voor dit bericht is geen voorbeeld beschikbaar.")
    return row, mail.render(row.name, row.payload.get("context", {}))


def retry_failed(outbox_id: int, *, actor: User, now: datetime | None = None) -> None:
    """Give a failed row a fresh start (pending, no attempts, due now) and dispatch it.

    Side effects: commits; delivers inline or enqueues (outbox.dispatch). Only a failed row may be
    retried, checked in the UPDATE itself, so two simultaneous clicks dispatch it once.
    """
    now = now or utcnow()
    get_outbox_message(outbox_id)
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "failed")
        .values(status="pending", attempts=0, available_at=now, enqueued_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict("Alleen een mislukt bericht kun je opnieuw versturen.")
    log.info("Outbox %s set to retry by user %s", outbox_id, actor.id)
    commit()
    outbox.dispatch([outbox_id])
