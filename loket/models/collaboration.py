"""Working across teams: referrals (ownership moves) and collaborators (the work is shared)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.organisation import Team
from loket.models.request import SupportRequest
from loket.models.user import User

REFERRAL_STATES = ("voorgesteld", "geaccepteerd", "afgewezen", "ingetrokken")
REFERRAL_STATE_LABELS = {
    "voorgesteld": "Voorgesteld",
    "geaccepteerd": "Geaccepteerd",
    "afgewezen": "Afgewezen",
    "ingetrokken": "Ingetrokken",
}


class Referral(db.Model):
    """A warm handoff (doorverwijzing) of a request from one team to another."""

    __tablename__ = "referrals"
    __table_args__ = (
        choice_constraint("state", REFERRAL_STATES),
        # At most one open proposal per request.
        Index("uq_referrals_one_open_per_request", "request_id", unique=True,
              sqlite_where=text("state = 'voorgesteld'"), postgresql_where=text("state = 'voorgesteld'")),
        # The receiving and sending queues show open proposals, oldest due first.
        Index("ix_referrals_to_team_state_due", "to_team_id", "state", "due_at"),
        Index("ix_referrals_from_team_state_due", "from_team_id", "state", "due_at"),
        Index("ix_referrals_to_team_created", "to_team_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"), index=True)
    from_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    to_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="voorgesteld")
    # The request's status before the proposal, restored when the referral is declined.
    status_before: Mapped[str] = mapped_column(String(20))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)

    request: Mapped[SupportRequest] = relationship()
    from_team: Mapped[Team] = relationship(foreign_keys=[from_team_id], lazy="joined")
    to_team: Mapped[Team] = relationship(foreign_keys=[to_team_id], lazy="joined")
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        return self.state == "voorgesteld"

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at < now


class Collaborator(db.Model):
    """Another team invited to co-handle a request (inschakelen); ownership stays with the owner."""

    __tablename__ = "request_collaborators"
    __table_args__ = (
        Index("uq_request_collaborators_active", "request_id", "team_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_request_collaborators_team_active", "team_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    request: Mapped[SupportRequest] = relationship()
    team: Mapped[Team] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


# The open proposal of a request, eager-loadable for queue rows (viewonly: written via Referral).
SupportRequest.open_referral = relationship(
    Referral,
    primaryjoin=lambda: (Referral.request_id == SupportRequest.id) & (Referral.state == "voorgesteld"),
    viewonly=True,
    uselist=False,
)
