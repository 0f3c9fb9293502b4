"""Files attached to a request, a reply or an internal note. The bytes live in the attachment storage
(services/storage.py) under a random key; this row says what the file is, where it belongs and who may see it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import utcnow
from loket.models.request import Event, SupportRequest
from loket.models.user import User

ATTACHMENT_NAME_MAX = 120
STORAGE_KEY_MAX = 64


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        # A request's files in the order they came (the timeline, the API's list, the per-request total).
        Index("ix_attachments_request", "request_id", "id"),
        # A person's uploads (AVG erasure).
        Index("ix_attachments_uploaded_by", "uploaded_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"))
    # The reply or note it came with; NULL: attached to the request itself (filing, the API).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    # Internal: only the teams working on the request see it (an internal note's file); never the club.
    internal: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(ATTACHMENT_NAME_MAX))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    # Random, never derived from the name; unique across every storage backend.
    storage_key: Mapped[str] = mapped_column(String(STORAGE_KEY_MAX), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the file was removed (AVG erasure or retention): the row stays for the counts, the bytes are gone.
    removed_at: Mapped[datetime | None]

    request: Mapped[SupportRequest] = relationship()
    event: Mapped[Event | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<Attachment {self.id} of request {self.request_id}>"
