"""Support requests (ondersteuningsvragen), their categories and append-only timeline."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, bindparam, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.club import Club
from loket.models.organisation import Sport, Team
from loket.models.user import User

CATEGORY_SCOPES = ("generiek", "sportspecifiek")
STATUSES = ("nieuw", "in_behandeling", "wacht_op_club", "doorverwezen", "opgelost", "gesloten")
STATUS_LABELS = {
    "nieuw": "Nieuw",
    "in_behandeling": "In behandeling",
    "wacht_op_club": "Wacht op club",
    "doorverwezen": "Doorverwezen",
    "opgelost": "Opgelost",
    "gesloten": "Gesloten",
}
# The same statuses as a club reads them on its own pages (staff keep STATUS_LABELS).
CLUB_STATUS_LABELS = {
    "nieuw": "Ontvangen",
    "in_behandeling": "In behandeling",
    "wacht_op_club": "Wacht op jullie reactie",
    "doorverwezen": "Doorverwezen naar een ander team",
    "opgelost": "Opgelost",
    "gesloten": "Afgesloten",
}
OPEN_STATUSES = ("nieuw", "in_behandeling", "wacht_op_club", "doorverwezen")
OPEN_STATUS_CONDITION = "status IN (" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"
PRIORITIES = ("laag", "normaal", "hoog")
# How a request (or a contact moment on its timeline) came in; a club filing itself is `portaal`.
CHANNELS = ("portaal", "telefoon", "bezoek", "e-mail")
CHANNEL_LABELS = {"portaal": "Portaal", "telefoon": "Telefoon", "bezoek": "Bezoek", "e-mail": "E-mail"}
EVENT_KINDS = (
    "created", "routed", "public_reply", "internal_note", "status_changed", "assigned",
    "unassigned", "referral_proposed", "referral_accepted", "referral_declined",
    "referral_withdrawn", "collaborator_added", "collaborator_removed", "email_sent", "satisfaction_given",
    "profile_changed",
    # A supporter logged a phone call or visit (data: channel); the owner team changed because the club's
    # gemeente moved to another loket or got an operational loket (data: from_team_id, to_team_id).
    "contact_moment", "moved",
    # A duplicate was merged into another request of the same club (on both: data from/into id and reference).
    "merged",
)


# "Overig" keeps this position, so it sorts after every other category, also those beheer adds later.
CATEGORY_LAST_POSITION = 1000


class Category(db.Model):
    __tablename__ = "categories"
    __table_args__ = (choice_constraint("scope", CATEGORY_SCOPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(20), default="generiek")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # What belongs here, in a club volunteer's words; shown where a club chooses a category.
    description: Mapped[str | None] = mapped_column(String(300))

    @property
    def is_sport_specific(self) -> bool:
        return self.scope == "sportspecifiek"

    def __repr__(self):
        return f"<Category {self.slug}>"


class ReferenceSequence(db.Model):
    """Per-year counter behind references like LK-2026-000123 (atomic upsert, no gaps in use)."""

    __tablename__ = "reference_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class SupportRequest(db.Model):
    __tablename__ = "support_requests"
    __table_args__ = (
        choice_constraint("status", STATUSES),
        choice_constraint("priority", PRIORITIES),
        choice_constraint("channel", CHANNELS),
        # The team queue: owner + status filter, sorted by due date.
        Index("ix_support_requests_queue", "owner_team_id", "status", "due_at"),
        # The queue's default (open requests, soonest deadline first) and "all statuses" in deadline order.
        Index("ix_support_requests_team_open_due", "owner_team_id", "due_at",
              sqlite_where=text(OPEN_STATUS_CONDITION), postgresql_where=text(OPEN_STATUS_CONDITION)),
        Index("ix_support_requests_team_due", "owner_team_id", "due_at"),
        # A category or assignee filter, in deadline order: the page's ids come in index order (a LIMIT stops
        # early however many match), the count from the same index.
        Index("ix_support_requests_team_category", "owner_team_id", "category_id", "due_at"),
        Index("ix_support_requests_team_assignee", "owner_team_id", "assignee_id", "due_at"),
        # The same filters on the default (open) queue: its count reads a small index and no rows.
        Index("ix_support_requests_team_open_category", "owner_team_id", "category_id", "due_at",
              sqlite_where=text(OPEN_STATUS_CONDITION), postgresql_where=text(OPEN_STATUS_CONDITION)),
        Index("ix_support_requests_team_open_assignee", "owner_team_id", "assignee_id", "due_at",
              sqlite_where=text(OPEN_STATUS_CONDITION), postgresql_where=text(OPEN_STATUS_CONDITION)),
        # The queue's other orders: oldest first, last activity first. (The club order sorts one team's
        # requests by their club's name after the join: no index serves an order across two tables.)
        Index("ix_support_requests_team_created", "owner_team_id", "created_at"),
        # The request page's merge candidates (merging.merge_targets): a club's requests of one team, not closed
        # or merged, newest first — a busy club has thousands of closed ones.
        Index("ix_support_requests_club_team_mergeable", "club_id", "owner_team_id", "created_at", "id",
              sqlite_where=text("merged_into_id IS NULL AND status <> 'gesloten'"),
              postgresql_where=text("merged_into_id IS NULL AND status <> 'gesloten'")),
        Index("ix_support_requests_team_updated", "owner_team_id", "updated_at"),
        Index("ix_support_requests_club_created", "club_id", "created_at"),
        # Quality metrics and demand aggregates scan by filing and resolution time.
        Index("ix_support_requests_created_at", "created_at"),
        Index("ix_support_requests_resolved_at", "resolved_at"),
        # The requests a person filed (AVG export and erasure).
        Index("ix_support_requests_requester", "requester_id"),
        # The retention job: closed requests whose texts are still there, oldest first.
        Index("ix_support_requests_retention", "anonymised_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Filed on the club's behalf by this supporter (NULL: the club filed itself), and how it came in.
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10), default="portaal", server_default="portaal")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    sport_id: Mapped[int | None] = mapped_column(ForeignKey("sports.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="nieuw")
    priority: Mapped[str] = mapped_column(String(10), default="normaal")
    # NOT NULL: the database guarantees every request has an owning team.
    owner_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    first_response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    # The deadline that matters now (first response until answered, then resolution): the queue sort key.
    due_at: Mapped[datetime | None]
    # Start of the current wacht_op_club pause; the clock does not run while set.
    sla_paused_at: Mapped[datetime | None]
    # Working seconds spent in wacht_op_club so far, and the resulting resolution time in werkdagen
    # (set when resolved): stored so quality metrics are plain SQL aggregates.
    paused_seconds: Mapped[float] = mapped_column(default=0.0, server_default="0")
    resolution_workdays: Mapped[float | None]
    satisfaction_score: Mapped[int | None]
    satisfaction_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    # Set when the retention period (or an erasure) replaced its texts: the statistics stay, the words go.
    anonymised_at: Mapped[datetime | None]
    # A duplicate merged into another request of the same club: closed, its timeline and files moved there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("support_requests.id"))

    __mapper_args__ = {"version_id_col": version}

    club: Mapped[Club] = relationship(lazy="joined", innerjoin=True)
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    sport: Mapped[Sport | None] = relationship(lazy="joined")
    owner_team: Mapped[Team] = relationship(lazy="joined", innerjoin=True)
    events: Mapped[list["Event"]] = relationship(
        back_populates="request", order_by="Event.id", cascade="save-update, merge"
    )
    merged_into: Mapped["SupportRequest | None"] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def __repr__(self):
        return f"<SupportRequest {self.reference}>"


def status_in(statuses) -> ColumnElement[bool]:
    """The requests with one of these statuses, the statuses written into the statement instead of sent as
    parameters (they are the code's, never typed): the plan PostgreSQL keeps for a statement that is prepared
    (psycopg prepares what a connection runs again and again) then still knows them, and can use the indexes
    whose condition names them (the open requests'); one plan for "some statuses" would read closed ones too."""
    values = tuple(statuses)
    if len(values) == 1:
        return SupportRequest.status == bindparam(None, values[0], literal_execute=True)
    return SupportRequest.status.in_(bindparam(None, values, expanding=True, literal_execute=True))


class RequestContact(db.Model):
    """A club contact told about a request besides its requester: the requester of a duplicate merged into it."""

    __tablename__ = "request_contacts"
    __table_args__ = (
        # Also the index behind "the contacts of this request".
        UniqueConstraint("request_id", "user_id", name="uq_request_contacts_request_user"),
        Index("ix_request_contacts_user", "user_id"),  # a person's rows (AVG export and erasure)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Event(db.Model):
    """One step on a request's timeline. Append-only: the timeline is the audit trail."""

    __tablename__ = "events"
    # No CHECK on `kind`: kinds grow with features; `Event.__init__` callers use EVENT_KINDS.
    __table_args__ = (
        Index("ix_events_request_created", "request_id", "id"),
        # A person's own messages (AVG export and erasure).
        Index("ix_events_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Public events are shown to the club; internal notes and routing details are not.
    is_public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[SupportRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@event.listens_for(Event, "init")
def _check_event_kind(target, args, kwargs):
    if kwargs.get("kind") not in EVENT_KINDS:
        raise ValueError(f"Unknown event kind {kwargs.get('kind')!r}")


@event.listens_for(Event, "before_update")
@event.listens_for(Event, "before_delete")
def _refuse_event_changes(mapper, connection, target):
    raise RuntimeError("Timeline events are append-only; add a new event instead.")
