"""Answers recorded with a write, so a repeat of the same write is answered instead of stored twice.

- `IdempotencyKey`: an API caller's `Idempotency-Key` for one write, with the hash of what was asked and,
  once the write is committed, its answer (committed in the same transaction as the write).
- `FormToken`: a one-time token of an HTML form that created something, consumed in the same transaction
  as the write, with where the first submit landed.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow

IDEMPOTENCY_STATES = ("in_progress", "done")


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        choice_constraint("state", IDEMPOTENCY_STATES),
        Index("ix_idempotency_keys_user_id_expires_at", "user_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the write that holds the key began
    expires_at: Mapped[datetime]


class FormToken(db.Model):
    __tablename__ = "form_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(String(2000))  # where the first submit was sent on
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
