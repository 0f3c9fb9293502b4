"""The audit log: who did what to which account or request, append-only, and never with contents."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.user import User

AUDIT_ACTIONS = (
    "login", "login_failed", "logout", "permission_denied", "role_granted", "role_removed", "request_read",
    "export", "erasure", "retention",
)
AUDIT_ACTION_LABELS = {
    "login": "Ingelogd",
    "login_failed": "Inloggen mislukt",
    "logout": "Uitgelogd",
    "permission_denied": "Toegang geweigerd",
    "role_granted": "Rol gegeven",
    "role_removed": "Rol ontnomen",
    "request_read": "Aanvraag ingezien",
    "export": "Gegevens van een persoon geëxporteerd",
    "erasure": "Persoon gewist (AVG)",
    "retention": "Bewaartermijn: gegevens geanonimiseerd",
}
AUDIT_SUBJECTS = ("user", "request", "email", "route", "system")


class AuditEntry(db.Model):
    """One thing that happened: when, who (NULL for the system or an unknown visitor), what, to what.

    `subject_kind`/`subject_id` name the account, request or route concerned; `label` is a short display text
    that never holds request contents (a reference, an address that was tried, an endpoint); `detail` holds
    counts and names of fields, never their values. Rows are only ever added (see the guard below).
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        choice_constraint("action", AUDIT_ACTIONS),
        choice_constraint("subject_kind", AUDIT_SUBJECTS),
        # Beheer's search: newest first, optionally one action, one actor or one subject.
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_actor_id", "actor_id", "id"),
        Index("ix_audit_log_subject", "subject_kind", "subject_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int | None]
    label: Mapped[str] = mapped_column(String(200), default="")
    client_address: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(mapper, connection, entry):
    raise RuntimeError("The audit log is append-only: an entry is never changed or removed.")
