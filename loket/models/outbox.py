"""The transactional outbox and the database-kept schedule of periodic jobs."""
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow

OUTBOX_KINDS = ("email", "job")
OUTBOX_STATUSES = ("pending", "enqueued", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """A side effect (a mail, a job) written in the same transaction as the change that causes it.

    A dispatcher hands due rows to RQ (or runs them inline); delivery marks them `sending` (committed before
    SendGrid is called) and then sent. The unique idempotency key makes writing the same notification twice
    a no-op, and travels with the mail to SendGrid (custom_args) so a doubtful send can be checked there.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        choice_constraint("kind", OUTBOX_KINDS),
        choice_constraint("status", OUTBOX_STATUSES),
        # The dispatcher's scan: due pending rows, and enqueued rows that were never delivered.
        Index("ix_outbox_status_available", "status", "available_at"),
        # Beheer's outbox list: newest first, optionally one status.
        Index("ix_outbox_status_id", "status", "id"),
        # The retention job: rows whose recipient is still there, oldest first.
        Index("ix_outbox_retention", "anonymised_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The email template name, or the dotted path of the job function.
    name: Mapped[str] = mapped_column(String(120))
    queue: Mapped[str] = mapped_column(String(20), default="default")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    # When a worker took the row (status sending): from then on the mail may be on its way.
    sending_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # Set when the recipient and the mail's context were removed (90 days after it was written, or an erasure).
    anonymised_at: Mapped[datetime | None]


class PeriodicTask(db.Model):
    """When each periodic job runs next. Kept in the database so any number of scheduler processes,
    restarted at any time, claim each run exactly once (an atomic UPDATE on next_run_at)."""

    __tablename__ = "periodic_tasks"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime]
    last_run_at: Mapped[datetime | None]
    last_job: Mapped[str | None] = mapped_column(String(120))
