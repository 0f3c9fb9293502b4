"""What changed in the network, and by whom: one append-only row per changed field of a loket, a gemeente
(its realisation stage, the loket serving it), a bond, a landelijk initiatief, or a person's place in a team."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.user import User

# A gemeente's realisation stage (DESIGN §9): `geen`/`verkennen` are kept on the gemeente while no loket serves
# it; `in_oprichting`/`operationeel` are its loket's status.
GEMEENTE_STAGES = ("geen", "verkennen", "in_oprichting", "operationeel")
GEMEENTE_STAGE_LABELS = {
    "geen": "Geen loket",
    "verkennen": "Verkent een loket",
    "in_oprichting": "Loket in oprichting",
    "operationeel": "Loket operationeel",
}
CHANGE_SUBJECTS = ("loket", "gemeente", "bond", "initiative", "membership", "user")


class NetworkChange(db.Model):
    """One changed field: who (actor, NULL for the system), when, from, to, and why where a reason is asked.

    `subject` says what changed; the foreign keys say which loket / gemeente / bond / person it concerns (a
    gemeente moving between loketten is one 'gemeente' row with loket_id = the receiving loket and the old and
    new loket names as values). Values are display text, so history reads the same after names change.
    """

    __tablename__ = "network_changes"
    __table_args__ = (
        choice_constraint("subject", CHANGE_SUBJECTS),
        Index("ix_network_changes_loket", "loket_id", "id"),
        Index("ix_network_changes_bond", "bond_id", "id"),
        Index("ix_network_changes_initiative", "initiative_id", "id"),
        Index("ix_network_changes_user", "user_id", "id"),
        # Stage counts over time replay the 'stage' rows of every gemeente in order.
        Index("ix_network_changes_field_gemeente", "field", "gemeente_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(12))
    loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id", ondelete="CASCADE"))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id", ondelete="CASCADE"))
    bond_id: Mapped[int | None] = mapped_column(ForeignKey("bonden.id", ondelete="CASCADE"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # e.g. status, aangehaakt, name, email, gemeente, stage, team_lead, membership, active
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


@event.listens_for(NetworkChange, "before_update")
def _refuse_history_changes(mapper, connection, target):
    raise RuntimeError("Network history is append-only; add a new change instead.")
