"""Region sets above the gemeente besides the built-in provinces (e.g. the 27 VSG regio's, GGD regions,
sportregio's): imported by beheer from a CSV; a gemeente belongs to at most one region of each set."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import utcnow
from loket.models.organisation import Gemeente


class RegionSet(db.Model):
    __tablename__ = "region_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    regions: Mapped[list["Region"]] = relationship(
        back_populates="region_set", cascade="all, delete-orphan", order_by="Region.name")

    def __repr__(self):
        return f"<RegionSet {self.slug}>"


class Region(db.Model):
    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("region_set_id", "name", name="uq_regions_set_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_set_id: Mapped[int] = mapped_column(ForeignKey("region_sets.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    region_set: Mapped[RegionSet] = relationship(back_populates="regions", lazy="joined")
    gemeenten: Mapped[list[Gemeente]] = relationship(
        secondary="region_gemeenten", order_by="Gemeente.name", viewonly=True)

    def __repr__(self):
        return f"<Region {self.name}>"


class RegionGemeente(db.Model):
    """A gemeente's region within one set; the primary key (set, gemeente) is what makes it at most one."""

    __tablename__ = "region_gemeenten"
    __table_args__ = (Index("ix_region_gemeenten_region", "region_id", "gemeente_id"),)

    region_set_id: Mapped[int] = mapped_column(ForeignKey("region_sets.id", ondelete="CASCADE"), primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
