"""The support offer catalogue: what a loket or bond offers clubs, by category."""
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import utcnow
from loket.models.organisation import Team
from loket.models.request import Category

offer_categories = Table(
    "offer_categories",
    db.metadata,
    Column("offer_id", ForeignKey("support_offers.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class SupportOffer(db.Model):
    __tablename__ = "support_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=offer_categories, order_by="Category.position")
