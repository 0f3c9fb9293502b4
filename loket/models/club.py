"""Clubs (sportaanbieders), their sports, basiseisen and contact persons."""
from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.organisation import Gemeente, Sport

CLUB_KINDS = ("vereniging", "onderneming", "stichting")
# A registered club is `aangemeld` until its loket (or the coördinatiepunt) approves it: only `actief` clubs
# are visible to others and may file requests.
CLUB_STATUSES = ("aangemeld", "actief", "afgewezen")
REGISTRATION_KINDS = ("new_club", "join")
REGISTRATION_STATES = ("unconfirmed", "pending", "approved", "rejected")
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
        choice_constraint("status", CLUB_STATUSES),
        # The register of a werkgebied and a bond's club list: the gemeenten's active clubs by name.
        Index("ix_clubs_gemeente_status_name", "gemeente_id", "status", "name"),
        *(choice_constraint(f"basiseis_{key}_status", BASISEIS_STATUSES) for key, _ in BASISEISEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    kvk_number: Mapped[str | None] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(12), default="actief", server_default="actief", index=True)
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
    # A removed contact stays as an anonymised row (removed_at set): it is never one of the club's contacts.
    contacts: Mapped[list["ClubContact"]] = relationship(
        back_populates="club", cascade="all, delete-orphan", order_by="ClubContact.id",
        primaryjoin="and_(Club.id == ClubContact.club_id, ClubContact.removed_at.is_(None))",
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
    # Removing a contact anonymises the row (name replaced, address, phone and function gone) and sets this.
    removed_at: Mapped[datetime | None]

    club: Mapped[Club] = relationship(back_populates="contacts")


class ClubRegistration(db.Model):
    """A person asking for a club: registering a new one (kind new_club: the club exists with status
    aangemeld) or joining an existing one as its contact (kind join). `unconfirmed` until the person confirmed
    their email address, then `pending` at the loket of the club's gemeente (or, without an operational
    loket, at the coördinatiepunt: derived when read, so it follows the gemeente), then approved or rejected."""

    __tablename__ = "club_registrations"
    __table_args__ = (
        choice_constraint("kind", REGISTRATION_KINDS),
        choice_constraint("state", REGISTRATION_STATES),
        Index("ix_club_registrations_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(12), default="unconfirmed")
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    function: Mapped[str | None] = mapped_column(String(80))  # the person's role at the club, as they said
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected (mailed to the person)
    # The coördinatiepunt handed a registration from a gemeente without an operational loket to this loket
    # (e.g. a neighbour's); it decides it there, or hands it back (handover cleared, reason kept in history).
    handover_loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id"), index=True)
    handover_reason: Mapped[str | None] = mapped_column(Text)
    handed_over_at: Mapped[datetime | None]
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    club: Mapped[Club] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    handover_loket: Mapped["Loket | None"] = relationship()  # noqa: F821


CLUB_IMPORT_STATES = ("preview", "queued", "running", "done", "failed")


class ClubImport(db.Model):
    """A CSV of clubs a loket imports into its register: checked first (state preview: `rows` holds the valid
    rows, `errors` a Dutch message per bad row), then, once confirmed, stored by a job that reports progress."""

    __tablename__ = "club_imports"
    __table_args__ = (
        choice_constraint("state", CLUB_IMPORT_STATES),
        Index("ix_club_imports_loket_created", "loket_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loket_id: Mapped[int] = mapped_column(ForeignKey("loketten.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="preview")
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    finished_at: Mapped[datetime | None]
