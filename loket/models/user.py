"""Users and their memberships (role + organisation)."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow

# initiatiefmedewerker works a landelijk initiatief's queue like a bondsspecialist works a bond's. The read-only
# roles `gemeente` (a gemeente's sport officer, one membership per gemeente) and `adviseur` (an adviseur lokale
# sport or procesbegeleider for one region of a region set) see aggregates only, like the coördinatiepunt.
ROLES = ("club", "clubondersteuner", "bondsspecialist", "initiatiefmedewerker", "coordinatiepunt", "beheer",
         "gemeente", "adviseur")
# The roles that work a team's queue: a loket's, a bond's, a landelijk initiatief's (the roles a team invitation
# grants; teams.MEMBER_ROLE pairs each with its kind of team).
SUPPORTER_ROLES = ("clubondersteuner", "bondsspecialist", "initiatiefmedewerker")
ROLE_LABELS = {
    "club": "Clubcontact",
    "clubondersteuner": "Clubondersteuner",
    "bondsspecialist": "Bondsspecialist",
    "initiatiefmedewerker": "Medewerker landelijk initiatief",
    "coordinatiepunt": "Landelijk coördinatiepunt",
    "beheer": "Beheer",
    "gemeente": "Gemeente (sportbeleid)",
    "adviseur": "Adviseur lokale sport",
}
# Which organisation column each role's membership fills (the database checks it: role_matches_organisation).
ROLE_ORGANISATION = {
    "club": "club_id", "clubondersteuner": "loket_id", "bondsspecialist": "bond_id",
    "initiatiefmedewerker": "initiative_id", "gemeente": "gemeente_id", "adviseur": "region_id",
    "coordinatiepunt": None, "beheer": None,
}
_ORGANISATION_COLUMNS = ("club_id", "loket_id", "bond_id", "initiative_id", "gemeente_id", "region_id")


def _role_matches_organisation() -> str:
    """The CHECK behind ROLE_ORGANISATION: each role fills exactly its own column (or none) and no other."""
    def filled(column):
        return " AND ".join(f"{c} IS {'NOT ' if c == column else ''}NULL" for c in _ORGANISATION_COLUMNS)
    by_column: dict = {}
    for role, column in ROLE_ORGANISATION.items():
        by_column.setdefault(column, []).append(role)
    return " OR ".join(
        f"(role IN ({', '.join(repr(r) for r in roles)}) AND {filled(column)})" for column, roles in by_column.items())


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the service that creates users; unique across the platform.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)  # lists of people sort by name
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Non-essential notifications (new in queue, service-level warnings, …); essential ones always go.
    notify_optional: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # NULL until the person clicked the link mailed to the address (self-registered accounts); accounts made
    # by beheer are confirmed when created. An unconfirmed account cannot log in or get an API token.
    email_confirmed_at: Mapped[datetime | None]
    # Part of the login session's id: raising it (password change, "sign out everywhere") ends every session.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Two-factor authentication (services/network/two_factor): the TOTP secret (base32), set once a code from
    # it was confirmed; the last time step a code was accepted for (a code is never accepted twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="Membership.id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the id, the session version and
        the token of this login's LoginSession (set on the object by services/network/login_sessions), so a
        remember cookie differs per login and ends with that login; raising `session_version` ends them all."""
        return f"{self.id}:{self.session_version}:{getattr(self, 'login_session_token', '')}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def club_ids(self) -> list[int]:
        return [m.club_id for m in self.memberships if m.role == "club"]

    @property
    def loket_ids(self) -> list[int]:
        return [m.loket_id for m in self.memberships if m.role == "clubondersteuner"]

    @property
    def bond_ids(self) -> list[int]:
        return [m.bond_id for m in self.memberships if m.role == "bondsspecialist"]

    @property
    def initiative_ids(self) -> list[int]:
        return [m.initiative_id for m in self.memberships if m.role == "initiatiefmedewerker"]

    @property
    def gemeente_ids(self) -> list[int]:
        return [m.gemeente_id for m in self.memberships if m.role == "gemeente"]

    @property
    def region_ids(self) -> list[int]:
        return [m.region_id for m in self.memberships if m.role == "adviseur"]

    def __repr__(self):
        return f"<User {self.email}>"


class Membership(db.Model):
    """A role a user holds, in the organisation that role belongs to."""

    __tablename__ = "memberships"
    __table_args__ = (
        choice_constraint("role", ROLES),
        Index("ix_memberships_role_user", "role", "user_id"),  # beheer's user list filtered by role
        CheckConstraint(_role_matches_organisation(), name="role_matches_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    club_id: Mapped[int | None] = mapped_column(ForeignKey("clubs.id"), index=True)
    loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id"), index=True)
    bond_id: Mapped[int | None] = mapped_column(ForeignKey("bonden.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    # Team lead (coördinator) of its loket, bond or initiative.
    is_team_lead: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    club = relationship("Club", lazy="joined")
    loket = relationship("Loket", lazy="joined")
    bond = relationship("Bond", lazy="joined")
    initiative = relationship("Initiative", lazy="joined")
    gemeente = relationship("Gemeente", lazy="joined")
    region = relationship("Region", lazy="joined")

    @property
    def organisation(self):
        return self.club or self.loket or self.bond or self.initiative or self.gemeente or self.region

    @property
    def label(self) -> str:
        role = ROLE_LABELS[self.role]
        return f"{role} — {self.organisation.name}" if self.organisation else role


# set_password: the first password of an account someone else made (beheer, a supporter adding a contact).
ACCOUNT_TOKEN_PURPOSES = ("confirm_email", "reset_password", "change_email", "set_password")


class AccountToken(db.Model):
    """A single-use, expiring link mailed to a person: confirm an address, reset a password, confirm a new
    address, choose the first password of an account made for them. Only the SHA-256 of the token is stored; the token itself is only in the mail."""

    __tablename__ = "account_tokens"
    __table_args__ = (choice_constraint("purpose", ACCOUNT_TOKEN_PURPOSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    new_email: Mapped[str | None] = mapped_column(String(254))  # change_email: the address being confirmed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginSession(db.Model):
    """One login on one device (services/network/login_sessions): a random token that the Flask session and the
    remember-me cookie carry (only its SHA-256 stored). Logging out revokes this row; a password change,
    "overal uitloggen" or a deactivation revokes every row of the user."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user_live", "user_id", "revoked_at"),)  # the account page's list

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)  # a remember-me cookie carries it
    user_agent: Mapped[str | None] = mapped_column(String(200))  # which browser, for the account page
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that stands in for an authenticator code (ten per enrolment, shown once; only the
    SHA-256 stored: they are random, so a fast hash is enough)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class TeamInvitation(db.Model):
    """A team lead (or beheer) invites someone by email into a loket, bond or initiative team: an expiring, single-use link
    (only its SHA-256 stored) with which the invitee sets a name and password, or, with an account already,
    joins the team after logging in."""

    __tablename__ = "team_invitations"
    __table_args__ = (
        choice_constraint("role", SUPPORTER_ROLES),
        CheckConstraint(
            "(role = 'clubondersteuner' AND loket_id IS NOT NULL AND bond_id IS NULL AND initiative_id IS NULL)"
            " OR (role = 'bondsspecialist' AND bond_id IS NOT NULL AND loket_id IS NULL AND initiative_id IS NULL)"
            " OR (role = 'initiatiefmedewerker' AND initiative_id IS NOT NULL AND loket_id IS NULL"
            " AND bond_id IS NULL)",
            name="role_matches_team",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    loket_id: Mapped[int | None] = mapped_column(ForeignKey("loketten.id", ondelete="CASCADE"), index=True)
    bond_id: Mapped[int | None] = mapped_column(ForeignKey("bonden.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id", ondelete="CASCADE"),
                                                      index=True)
    team_lead: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    loket = relationship("Loket")
    bond = relationship("Bond")
    initiative = relationship("Initiative")

    @property
    def organisation(self):
        return self.loket or self.bond or self.initiative

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
