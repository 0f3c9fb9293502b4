"""A canned reply (sjabloon): a team's ready-made text for the reply box, with placeholders filled in when it is
inserted (services/requests/canned_replies)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import utcnow
from loket.models.organisation import Team


class CannedReply(db.Model):
    """One sjabloon of one team (loket, bond or initiatief). Its title is unique within the team; the unique
    constraint is also the index behind "the sjablonen of these teams, by title"."""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("team_id", "title", name="uq_canned_replies_team_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self):
        return f"<CannedReply {self.title!r}>"
