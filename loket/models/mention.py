"""A mention: a colleague named with @ in an internal note (services/requests/mentions), shown on their start page
until they have seen it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import utcnow
from loket.models.request import Event


class Mention(db.Model):
    """`user_id` was named in the internal note `event_id`. `seen_at` is set when they open the request or mark
    their mentions seen; until then the start page lists it (the index: a user's unseen mentions, newest first)."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_mentions_event_user"),
        Index("ix_mentions_user_seen", "user_id", "seen_at", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()

    def __repr__(self):
        return f"<Mention e{self.event_id} u{self.user_id}>"
