"""Clubs (sportaanbieders), their sports, basiseisen and contact persons."""
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.organisation import Gemeente, Sport

CLUB_KINDS = ("vereniging", "onderneming", "stichting")
BASISEIS_STATUSES = ("voldoet", "mee_bezig", "nee", "onbekend")
# The four basiseisen, in the order the UI shows them: (column prefix, Dutch label).
BASISEISEN = (
    ("vog", "VOG voor wie met jeugd of kwetsbaren werkt"),
    ("vcp", "Vertrouwenscontactpersoon"),
    ("gedragsregels", "Gedragsregels"),
    ("kwalificatie", "Basiskwalificatie trainers"),
)

club_sports = Table(
    "club_sports",
    db.metadata,
    Column("club_id", ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True),
    Column("sport_id", ForeignKey("sports.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Club(db.Model):
    __tablename__ = "clubs"
    __table_args__ = (
        choice_constraint("kind", CLUB_KINDS),
        *(choice_constraint(f"basiseis_{key}_status", BASISEIS_STATUSES) for key, _ in BASISEISEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    basiseis_vog_status: Mapped[str] = mapped_column(String(10), default="onbekend")
    basiseis_vog_date: Mapped[date | None]
    basiseis_vcp_status: Mapped[str] = mapped_column(String(10), default="onbekend")
    basiseis_vcp_date: Mapped[date | None]
    basiseis_gedragsregels_status: Mapped[str] = mapped_column(String(10), default="onbekend")
    basiseis_gedragsregels_date: Mapped[date | None]
    basiseis_kwalificatie_status: Mapped[str] = mapped_column(String(10), default="onbekend")
    basiseis_kwalificatie_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    gemeente: Mapped[Gemeente] = relationship(lazy="joined")
    sports: Mapped[list[Sport]] = relationship(secondary=club_sports, order_by="Sport.name")
    contacts: Mapped[list["ClubContact"]] = relationship(
        back_populates="club", cascade="all, delete-orphan", order_by="ClubContact.id"
    )

    def basiseis_status(self, key: str) -> str:
        return getattr(self, f"basiseis_{key}_status")

    @property
    def is_eligible(self) -> bool:
        """Eligible for club(kader)ondersteuning: every basiseis met or being worked on."""
        return all(self.basiseis_status(key) in ("voldoet", "mee_bezig") for key, _ in BASISEISEN)

    def __repr__(self):
        return f"<Club {self.id} {self.name}>"


class ClubContact(db.Model):
    """A contact person of a club; may or may not have a login (user)."""

    __tablename__ = "club_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    function: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    club: Mapped[Club] = relationship(back_populates="contacts")
