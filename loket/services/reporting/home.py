"""The start page after login: per role, what needs doing now (DESIGN §7).

One function per role, each returning a small dataclass; the view picks the sections for the user's roles.
Every function runs a fixed number of queries, however many requests, loketten or mails there are, and
reuses the rule's one home: the satisfaction survey (requests.satisfaction), the queue views and their counts
(requests.queues), overdue / at risk (requests.workflow), the 2026 targets and trends (quality.overview).
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select

from loket.extensions import db
from loket.models import (
    OPEN_STATUSES,
    Bond,
    Gemeente,
    Loket,
    OutboxMessage,
    SupportRequest,
    Team,
    User,
)
from loket.models.base import day_in_amsterdam, utcnow
from loket.services.network import registrations
from loket.services.network.teams import team_ids_of
from loket.services.quality.overview import LoketRow, Targets, national_overview
from loket.services.quality import verdict_log
from loket.services.reporting.area import area_overview
from loket.services.requests import mentions as mentions_service
from loket.services.requests import workflow
from loket.services.requests.queues import QueueFilter, queue_counts, queue_query
from loket.services.requests.satisfaction import RATABLE_STATUSES, can_give_satisfaction

LIST_SIZE = 10  # requests listed per block; the rest is one link away
WEEK = timedelta(days=7)


# ---------------------------------------------------------------- club

@dataclass(frozen=True)
class ClubHome:
    waiting: list[SupportRequest]  # wacht op jullie reactie: wacht_op_club, or resolved and not yet rated
    open: list[SupportRequest]  # the other open requests, newest first
    waiting_total: int
    open_total: int

    @property
    def more(self) -> int:
        """Requests counted but not listed here."""
        return self.waiting_total + self.open_total - len(self.waiting) - len(self.open)


def _waits_for_club():
    """The club's turn: the loket asked something, or the request is resolved and the survey is still open
    (satisfaction.can_give_satisfaction in SQL)."""
    return or_(SupportRequest.status == "wacht_op_club",
               SupportRequest.status.in_(RATABLE_STATUSES) & SupportRequest.satisfaction_score.is_(None))


def club_home(user: User) -> ClubHome:
    """The open requests of the user's clubs, those waiting for the club first. Two queries."""
    club_ids = user.club_ids
    if not club_ids:
        return ClubHome([], [], 0, 0)
    waits = _waits_for_club()
    relevant = (SupportRequest.club_id.in_(club_ids), or_(SupportRequest.status.in_(OPEN_STATUSES), waits))
    counts = db.session.execute(select(func.count(case((waits, 1))).label("waiting"),
                                       func.count(case((~waits, 1))).label("open"))
                                .where(*relevant)).one()
    rows = db.session.scalars(
        select(SupportRequest).where(*relevant)
        .order_by(case((waits, 0), else_=1), SupportRequest.created_at.desc(), SupportRequest.id.desc())
        .limit(LIST_SIZE)).all()
    waiting = [r for r in rows if r.status == "wacht_op_club" or can_give_satisfaction(r)]
    return ClubHome(waiting=waiting, open=[r for r in rows if r not in waiting],
                    waiting_total=counts.waiting, open_total=counts.open)


# ---------------------------------------------------------------- clubondersteuner / bondsspecialist / initiatiefmedewerker

@dataclass(frozen=True)
class SupporterHome:
    mine: list[SupportRequest]  # open and assigned to me, soonest due first
    mine_total: int
    overdue: int  # open requests of our team(s) past their deadline (workflow.is_overdue)
    at_risk: int  # due within the next 24 hours (workflow.is_at_risk)
    counts: dict[str, int] = field(default_factory=dict)  # open requests per queue view (queues.QUEUE_VIEWS)
    registrations: int | None = None  # aanmeldingen waiting for our loket's decision; None: not a clubondersteuner
    mentions: list = field(default_factory=list)  # unseen mentions of me in internal notes (mentions.MentionItem)
    mentions_total: int = 0

    @property
    def referred_to_us(self) -> int:
        return self.counts.get("inkomend", 0)

    @property
    def invited(self) -> int:
        return self.counts.get("samenwerking", 0)


def supporter_home(user: User, now: datetime | None = None) -> SupporterHome:
    """My open requests, the team's overdue and at-risk counts, and the queue tab counts.

    Eleven queries whatever the size of the queue: team ids (1), my requests (page + count + two selectin
    loads), the team's overdue and at-risk counts (1, with workflow's SQL form of the rules), one count per
    queue view (4), my unseen mentions (1; a second to count them when there are more than a page).
    """
    now = now or utcnow()
    mine = db.paginate(queue_query(user, QueueFilter(view="team", assignee="ik")), page=1, per_page=LIST_SIZE,
                       error_out=False)
    team_ids = team_ids_of(user)
    overdue, at_risk = db.session.execute(
        select(func.count().filter(workflow.overdue_condition(now)),
               func.count().filter(workflow.at_risk_condition(now)))
        .select_from(SupportRequest).where(SupportRequest.owner_team_id.in_(team_ids))).one() if team_ids else (0, 0)
    mentioned, mentioned_total = mentions_service.unseen(user, limit=LIST_SIZE)
    return SupporterHome(mine=list(mine.items), mine_total=mine.total or 0, overdue=overdue, at_risk=at_risk,
                         counts=queue_counts(user),
                         registrations=registrations.pending_count(user) if user.has_role("clubondersteuner") else None,
                         mentions=mentioned, mentions_total=mentioned_total)


# ---------------------------------------------------------------- coördinatiepunt

@dataclass(frozen=True)
class CoordinatieHome:
    targets: Targets
    since: datetime  # the start of "this week": seven days ago
    fallback_open: int  # open requests in the fallback queue
    fallback_new: int  # filed into the fallback queue since `since`
    loketten_aangehaakt: int  # loketten connected to the coördinatiepunt since `since`
    bonden_aangesloten: int  # bonden connected to the network since `since`
    registrations_pending: int  # aanmeldingen from gemeenten without an operational loket, waiting for a decision
    started: list[LoketRow]  # meet the criteria now, did not at `since`
    stopped: list[LoketRow]  # met the criteria at `since`, no longer do
    compared: bool  # False while no verdict was recorded a week ago: nothing to compare with yet


def coordinatie_home(now: datetime | None = None) -> CoordinatieHome:
    """The four 2026 targets and what changed in the last seven days.

    The national overview's fixed number of queries (the targets, every loket's verdict and trend), one for the
    fallback queue, the aanmeldingen waiting at the coördinatiepunt and the week's new connections, and one for the verdicts recorded a week ago.
    """
    now = now or utcnow()
    since = now - WEEK
    overview = national_overview(day_in_amsterdam(now))
    fallback = select(Team.id).where(Team.kind == "fallback").scalar_subquery()
    week = db.session.execute(select(
        select(func.count()).select_from(SupportRequest)
        .where(SupportRequest.owner_team_id == fallback, SupportRequest.status.in_(OPEN_STATUSES))
        .scalar_subquery().label("fallback_open"),
        select(func.count()).select_from(SupportRequest)
        .where(SupportRequest.owner_team_id == fallback, SupportRequest.created_at >= since)
        .scalar_subquery().label("fallback_new"),
        select(func.count()).select_from(Loket)
        .where(Loket.aangehaakt.is_(True), Loket.aangehaakt_at >= day_in_amsterdam(since))
        .scalar_subquery().label("loketten_aangehaakt"),
        select(func.count()).select_from(Bond)
        .where(Bond.aangesloten.is_(True), Bond.aangesloten_at >= day_in_amsterdam(since))
        .scalar_subquery().label("bonden_aangesloten"),
        registrations.pending_at_coordinatiepunt().label("registrations_pending"),
    )).one()
    moves = verdict_log.moves_since(since, {row.id: row.voldoet for row in overview.loketten})
    return CoordinatieHome(
        targets=overview.targets, since=since, fallback_open=week.fallback_open, fallback_new=week.fallback_new,
        loketten_aangehaakt=week.loketten_aangehaakt, bonden_aangesloten=week.bonden_aangesloten,
        registrations_pending=week.registrations_pending,
        started=[row for row in overview.loketten if row.id in moves.started],
        stopped=[row for row in overview.loketten if row.id in moves.stopped], compared=moves.compared)


# ---------------------------------------------------------------- beheer

@dataclass(frozen=True)
class BeheerHome:
    failed: int  # outbox rows that failed for good (mails and jobs): what /beheer/uitgaand?status=failed lists
    failed_mails: int  # of which mails
    loketten_in_oprichting: int
    gemeenten_zonder_loket: int
    bonden_niet_aangesloten: int

    @property
    def to_set_up(self) -> int:
        return self.loketten_in_oprichting + self.gemeenten_zonder_loket + self.bonden_niet_aangesloten


def beheer_home() -> BeheerHome:
    """Failed messages and what still needs setting up. One query."""
    failed = OutboxMessage.status == "failed"
    row = db.session.execute(select(
        select(func.count()).select_from(OutboxMessage).where(failed).scalar_subquery().label("failed"),
        select(func.count()).select_from(OutboxMessage).where(failed, OutboxMessage.kind == "email")
        .scalar_subquery().label("failed_mails"),
        select(func.count()).select_from(Loket).where(Loket.status == "in_oprichting")
        .scalar_subquery().label("loketten_in_oprichting"),
        select(func.count()).select_from(Gemeente).where(Gemeente.loket_id.is_(None))
        .scalar_subquery().label("gemeenten_zonder_loket"),
        select(func.count()).select_from(Bond).where(Bond.aangesloten.is_(False))
        .scalar_subquery().label("bonden_niet_aangesloten"),
    )).one()
    return BeheerHome(**row._asdict())


# ---------------------------------------------------------------- gemeente officer / adviseur

@dataclass(frozen=True)
class AreaHome:
    pipeline: dict[str, int]  # the area's gemeenten per pipeline stage (reporting.area.PIPELINE)
    gemeenten: int
    loketten: int  # loketten serving a gemeente of the area
    loketten_voldoen: int
    regions: list[str]  # the adviseur's regions ("Regio Utrecht (VSG-regio's)"); none for a gemeente officer


def area_home(user: User) -> AreaHome:
    """How far the user's gemeenten or region are: the pipeline and how many of their loketten voldoen
    (reporting.area.area_overview's fixed number of queries)."""
    overview = area_overview(user)
    loketten = {g.loket.id: g.loket for g in overview.gemeenten if g.loket is not None}
    return AreaHome(pipeline=overview.pipeline, gemeenten=len(overview.gemeenten), loketten=len(loketten),
                    loketten_voldoen=sum(loket.voldoet for loket in loketten.values()),
                    regions=[f"{r.name} ({r.set_name})" for r in overview.regions])
