"""The network: gemeenten, loketten, bonden, sports, and the teams that own requests."""
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, CheckConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow

LOKET_STATUSES = ("in_oprichting", "operationeel")
# A landelijk initiatief (SPN procesbegeleiders, Clubkadercoaches, a national programme) works requests like a
# bond's team, but clubs never file to it: it receives referrals and invitations from loketten and bonden.
TEAM_KINDS = ("loket", "bond", "initiatief", "fallback")
# A sport federation (bond) serves verenigingen; a brancheorganisatie serves ondernemingen (fitness, zwembaden,
# watersportbedrijven). Both are `Bond` rows with a team; no reference data is shipped for brancheorganisaties.
BOND_KINDS = ("bond", "brancheorganisatie")
BOND_KIND_LABELS = {"bond": "Sportbond", "brancheorganisatie": "Brancheorganisatie"}

bond_sports = Table(
    "bond_sports",
    db.metadata,
    Column("bond_id", ForeignKey("bonden.id", ondelete="CASCADE"), primary_key=True),
    Column("sport_id", ForeignKey("sports.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Gemeente(db.Model):
    __tablename__ = "gemeenten"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(40), index=True)
    # A gemeente is served by at most one loket: a plain foreign key says exactly that.
    loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id"), index=True)
    # Realisation stage while no loket serves it: the gemeente explores a loket since this day (stage
    # `verkennen`); NULL is stage `geen`. With a loket the stage is the loket's status.
    exploring_since: Mapped[date | None]

    loket: Mapped["Loket | None"] = relationship(back_populates="gemeenten")

    def __repr__(self):
        return f"<Gemeente {self.code} {self.name}>"


class Loket(db.Model):
    __tablename__ = "loketten"
    __table_args__ = (choice_constraint("status", LOKET_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="in_oprichting")
    aangehaakt: Mapped[bool] = mapped_column(default=False)
    aangehaakt_at: Mapped[date | None]
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(300))  # the loket's own website
    contact_reviewed_at: Mapped[datetime | None]
    # Service levels in werkdagen; NULL = the national default (DESIGN §5).
    sla_first_response_days: Mapped[int | None]
    sla_resolution_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    gemeenten: Mapped[list[Gemeente]] = relationship(back_populates="loket", order_by="Gemeente.name")
    team: Mapped["Team"] = relationship(back_populates="loket", uselist=False)

    @property
    def is_operational(self) -> bool:
        return self.status == "operationeel"

    def __repr__(self):
        return f"<Loket {self.slug}>"


class Sport(db.Model):
    __tablename__ = "sports"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    bonden: Mapped[list["Bond"]] = relationship(secondary=bond_sports, back_populates="sports")

    def __repr__(self):
        return f"<Sport {self.name}>"


class Bond(db.Model):
    __tablename__ = "bonden"
    __table_args__ = (choice_constraint("kind", BOND_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique key of bonden.csv; abbreviations repeat (KNSB, NBB), so they are not keys.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    abbreviation: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="bond", server_default="bond")
    aangesloten: Mapped[bool] = mapped_column(default=False)
    aangesloten_at: Mapped[date | None]

    sports: Mapped[list[Sport]] = relationship(
        secondary=bond_sports, back_populates="bonden", order_by="Sport.name"
    )
    team: Mapped["Team"] = relationship(back_populates="bond", uselist=False)

    def __repr__(self):
        return f"<Bond {self.key}>"


class Initiative(db.Model):
    """A landelijk initiatief or programme with its own team of supporters (DESIGN §9)."""

    __tablename__ = "initiatieven"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)  # URL key, e.g. "spn-procesbegeleiders"
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped["Team"] = relationship(back_populates="initiative", uselist=False)

    def __repr__(self):
        return f"<Initiative {self.key}>"


class Team(db.Model):
    """Who can own a request: a loket, a bond, a landelijk initiatief, or the coördinatiepunt's fallback queue.

    One table for all three lets `support_requests.owner_team_id` be NOT NULL, so the
    database itself guarantees that no request is ever without an owning team.
    """

    __tablename__ = "teams"
    __table_args__ = (
        choice_constraint("kind", TEAM_KINDS),
        CheckConstraint(
            "(kind = 'loket' AND loket_id IS NOT NULL AND bond_id IS NULL AND initiative_id IS NULL)"
            " OR (kind = 'bond' AND bond_id IS NOT NULL AND loket_id IS NULL AND initiative_id IS NULL)"
            " OR (kind = 'initiatief' AND initiative_id IS NOT NULL AND loket_id IS NULL AND bond_id IS NULL)"
            " OR (kind = 'fallback' AND loket_id IS NULL AND bond_id IS NULL AND initiative_id IS NULL)",
            name="kind_matches_organisation",
        ),
        Index("uq_teams_single_fallback", "kind", unique=True,
              sqlite_where=text("kind = 'fallback'"), postgresql_where=text("kind = 'fallback'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id"), unique=True)
    bond_id: Mapped[int | None] = mapped_column(ForeignKey("bonden.id"), unique=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id"), unique=True)

    loket: Mapped[Loket | None] = relationship(back_populates="team", lazy="joined")
    bond: Mapped[Bond | None] = relationship(back_populates="team", lazy="joined")
    initiative: Mapped[Initiative | None] = relationship(back_populates="team", lazy="joined")

    @property
    def name(self) -> str:
        if self.kind == "loket":
            return self.loket.name
        if self.kind == "bond":
            return self.bond.name
        if self.kind == "initiatief":
            return self.initiative.name
        return "Landelijk coördinatiepunt (opvangwachtrij)"

    @property
    def organisation(self) -> "Loket | Bond | Initiative | None":
        return self.loket or self.bond or self.initiative

    @property
    def organisation_id(self) -> int | None:
        return {"loket": self.loket_id, "bond": self.bond_id, "initiatief": self.initiative_id}.get(self.kind)

    def __repr__(self):
        return f"<Team {self.kind} {self.organisation_id or ''}>"


AGREEMENT_HANDLERS = ("bond", "loket", "samen")
AGREEMENT_STATES = ("proposed", "confirmed")


class BondAgreement(db.Model):
    """Who handles a category for clubs of a bond's sports ("wie is waar verantwoordelijk voor?"): the bond, the
    loket, or both (`samen`: the loket owns the request and the bond is invited). A bond's lead proposes a set;
    the coördinatiepunt confirms it, which replaces the confirmed set. Only confirmed rows route; a category
    without a row keeps its default (sportspecifiek → bond, generiek → loket)."""

    __tablename__ = "bond_agreements"
    __table_args__ = (
        choice_constraint("handled_by", AGREEMENT_HANDLERS),
        choice_constraint("state", AGREEMENT_STATES),
        # One proposed and one confirmed answer per bond and category; routing reads (bond, state, category).
        Index("uq_bond_agreements_bond_state_category", "bond_id", "state", "category_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("bonden.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    handled_by: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]

    category = relationship("Category", lazy="joined")
