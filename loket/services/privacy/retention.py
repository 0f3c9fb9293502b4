"""Retention periods, applied by a nightly job: closed requests older than REQUEST_RETENTION_DAYS (default seven
years) lose their texts and their files, and outbox rows older than OUTBOX_RETENTION_DAYS (default 90 days) lose
their recipient and the mail's context. The statistics (counts, dates, categories, teams, service levels) stay."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from loket.extensions import db
from loket.models import Event, OutboxMessage, SupportRequest
from loket.models.base import utcnow
from loket.services import audit, transaction
from loket.services.requests import attachments

RETENTION_TEXT = "[Verwijderd: de bewaartermijn van deze aanvraag is verstreken.]"
EXPIRED_RECIPIENT = "(verwijderd na de bewaartermijn)"
BATCH = 500
# Rows still on their way keep their recipient: the delivery needs it.
UNFINISHED = ("pending", "enqueued", "sending")


def apply_retention(now: datetime | None = None, *, batch: int = BATCH) -> dict[str, int]:
    """Anonymise what has passed its retention period, `batch` rows per kind per transaction, until none are
    left; returns how many requests and outbox rows were anonymised. Side effects: commits per batch; one
    audit entry when anything changed."""
    now = now or utcnow()
    request_cutoff = now - timedelta(days=current_app.config["REQUEST_RETENTION_DAYS"])
    outbox_cutoff = now - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    counts = {"requests": 0, "outbox": 0, "attachments": 0}
    while True:
        ids = list(db.session.scalars(
            select(SupportRequest.id).where(SupportRequest.anonymised_at.is_(None),
                                            SupportRequest.closed_at < request_cutoff)
            .order_by(SupportRequest.closed_at).limit(batch)))
        if not ids:
            break
        db.session.execute(update(SupportRequest).where(SupportRequest.id.in_(ids)).values(
            title=RETENTION_TEXT, description=RETENTION_TEXT, satisfaction_comment=None, anonymised_at=now)
            .execution_options(synchronize_session=False))
        db.session.execute(update(Event).where(Event.request_id.in_(ids), Event.body.is_not(None))
                           .values(body=RETENTION_TEXT).execution_options(synchronize_session=False))
        counts["attachments"] += attachments.remove_files(request_ids=ids, now=now)  # bytes go after the commit
        transaction.commit()
        counts["requests"] += len(ids)
    while True:
        ids = list(db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.anonymised_at.is_(None),
                                           OutboxMessage.created_at < outbox_cutoff,
                                           OutboxMessage.status.not_in(UNFINISHED))
            .order_by(OutboxMessage.created_at).limit(batch)))
        if not ids:
            break
        # A mail loses its recipient and context; a job's arguments are ids only and stay.
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.kind == "email")
                           .values(payload={"to": EXPIRED_RECIPIENT, "context": {}})
                           .execution_options(synchronize_session=False))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(anonymised_at=now)
                           .execution_options(synchronize_session=False))
        transaction.commit()
        counts["outbox"] += len(ids)
    if any(counts.values()):
        audit.record_alone("retention", actor=None, subject_kind="system", label="Bewaartermijnen toegepast",
                           detail=counts)
    return counts
