"""The metric computations (DESIGN §6): one set-based SQL statement per metric for all loketten at once.

Each function takes the moment of measurement `as_of` (naive UTC) and the criterion's window in days,
and returns a `MetricResult` for every loket (operational or not: the overview filters). Windows are
half-open: a request counts when `as_of - window_days <= created_at < as_of` (or `resolved_at`, for K3
and K5). Ratios and means are divided in Python from the counts the query returns, so a share that is
exactly at its threshold (9 of 10) compares exactly. Which metric is which lives in
loket/services/quality/registry.py; turning a result into a verdict in metrics.py.

Known limits (stored data only): requests count for their current owning team (a request referred on
later counts for the team that owns it now); clubs, memberships and basiseisen are counted as they are
now, also when `as_of` lies in the past.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, distinct, func, or_, select

from loket.extensions import db
from loket.models import (
    BASISEISEN,
    Club,
    Gemeente,
    Loket,
    Membership,
    Referral,
    SupportRequest,
    Team,
    User,
)

DECIDED_STATES = ("geaccepteerd", "afgewezen")


@dataclass(frozen=True)
class MetricResult:
    """One loket's raw outcome of a metric."""

    value: float | None
    details: dict = field(default_factory=dict)  # numerator / denominator / count and friends
    override: bool | None = None  # a definite verdict that replaces the comparison


# ---------------------------------------------------------------- helpers

def _window(column, as_of: datetime, window_days: int | None):
    """`column` in [as_of - window_days, as_of); no lower bound without a window."""
    if window_days is None:
        return column < as_of
    return and_(column >= as_of - timedelta(days=window_days), column < as_of)


def _count_if(condition):
    return func.count(case((condition, 1)))


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _per_loket(subquery, *columns):
    """Every loket, with the (outer-joined) aggregate columns of `subquery` (NULL where it has no row)."""
    return db.session.execute(
        select(Loket.id, *(subquery.c[name] for name in columns))
        .outerjoin(subquery, subquery.c.loket_id == Loket.id)
        .order_by(Loket.id))


def _loket_requests(*columns):
    """Requests joined to the loket that owns them (bond and fallback requests drop out)."""
    return (select(Team.loket_id.label("loket_id"), *columns)
            .select_from(SupportRequest).join(Team, Team.id == SupportRequest.owner_team_id)
            .where(Team.loket_id.is_not(None)))


def _werkgebied_clubs(*columns):
    """Active clubs joined to the loket serving their gemeente (clubs in a gemeente without a loket drop out, and
    so do registrations the loket has not approved: they are no clubs of its werkgebied yet)."""
    return (select(Gemeente.loket_id.label("loket_id"), *columns)
            .select_from(Club).join(Gemeente, Gemeente.id == Club.gemeente_id)
            .where(Gemeente.loket_id.is_not(None), Club.status == "actief"))


# ---------------------------------------------------------------- K1

def contact_reviewed_days(as_of: datetime, window_days: int | None = None) -> dict[int, MetricResult]:
    """Whole days since the loket last reviewed its contact details and opening hours.

    Never reviewed is a definite fail, not 'not measurable'.
    """
    results = {}
    for loket_id, reviewed_at in db.session.execute(
            select(Loket.id, Loket.contact_reviewed_at).order_by(Loket.id)):
        if reviewed_at is None:
            results[loket_id] = MetricResult(None, {"reviewed_at": None}, override=False)
        else:
            days = max(0, (as_of - reviewed_at).days)  # 183 days and 23 hours is still 183 days
            results[loket_id] = MetricResult(float(days), {"reviewed_at": reviewed_at.isoformat()})
    return results


# ---------------------------------------------------------------- K2

def first_response_within_sla(as_of: datetime, window_days: int | None) -> dict[int, MetricResult]:
    """Share of the requests filed in the window whose first response came by its due date.

    `first_response_due_at` already includes the time spent in wacht_op_club. Judged are requests
    answered before `as_of` (in time or late) and unanswered requests whose deadline passed while the
    clock ran (a request paused before its deadline is not late); unanswered requests not yet due are
    left out. No judged request: not measurable.
    """
    r = SupportRequest
    answered = and_(r.first_response_at.is_not(None), r.first_response_at < as_of)
    due = func.coalesce(r.first_response_due_at, r.first_response_at)
    unanswered = or_(r.first_response_at.is_(None), r.first_response_at >= as_of)
    overdue = and_(unanswered, r.first_response_due_at < as_of,
                   or_(r.sla_paused_at.is_(None), r.sla_paused_at > r.first_response_due_at))
    sub = (_loket_requests(
        func.count().label("filed"),
        _count_if(and_(answered, r.first_response_at <= due)).label("in_time"),
        _count_if(and_(answered, r.first_response_at > due)).label("late"),
        _count_if(overdue).label("overdue"))
        .where(_window(r.created_at, as_of, window_days)).group_by(Team.loket_id).subquery())
    results = {}
    for loket_id, filed, in_time, late, overdue_count in _per_loket(sub, "filed", "in_time", "late", "overdue"):
        filed, in_time, late, overdue_count = filed or 0, in_time or 0, late or 0, overdue_count or 0
        judged = in_time + late + overdue_count
        results[loket_id] = MetricResult(_share(in_time, judged), {
            "numerator": in_time, "denominator": judged, "count": judged, "filed": filed,
            "answered_late": late, "unanswered_overdue": overdue_count,
            "pending": filed - judged})
    return results


# ---------------------------------------------------------------- K3

def median_resolution_workdays(as_of: datetime, window_days: int | None) -> dict[int, MetricResult]:
    """Median werkdagen to resolution (time in wacht_op_club excluded) of requests resolved in the window.

    Portable median (SQLite ≥ 3.25 and PostgreSQL): number the values per loket, then average the one
    or two middle rows, (n+1) div 2 and (n+2) div 2.
    """
    r = SupportRequest
    ranked = (_loket_requests(
        r.resolution_workdays.label("workdays"),
        func.row_number().over(partition_by=Team.loket_id,
                               order_by=(r.resolution_workdays, r.id)).label("position"),
        func.count().over(partition_by=Team.loket_id).label("n"))
        .where(_window(r.resolved_at, as_of, window_days), r.resolution_workdays.is_not(None))
        .subquery())
    sub = (select(ranked.c.loket_id, func.avg(ranked.c.workdays).label("median"),
                  func.max(ranked.c.n).label("resolved"))
           .where(ranked.c.position.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2))
           .group_by(ranked.c.loket_id).subquery())
    return {loket_id: MetricResult(float(median) if median is not None else None, {"count": resolved or 0})
            for loket_id, median, resolved in _per_loket(sub, "median", "resolved")}


# ---------------------------------------------------------------- K4

def referrals_decided_in_time(as_of: datetime, window_days: int | None) -> dict[int, MetricResult]:
    """Share of referrals to the loket (created in the window) decided by their due date, and the
    referrals still open past due.

    As of `as_of`: a referral decided (accepted or declined) before it counts as decided, in time when
    `decided_at <= due_at`; withdrawn ones are left out; undecided ones past due count as misses, those not
    yet due are left out. Any referral open past due — also one created before the window — fails the
    criterion outright. Nothing to judge (and nothing open past due) passes: a loket that nobody
    referred to is not failing (`Metric.empty_passes` in the registry).
    """
    f = Referral
    open_ = or_(f.decided_at.is_(None), f.decided_at >= as_of)
    decided = and_(~open_, f.state.in_(DECIDED_STATES))
    open_overdue = and_(open_, f.due_at < as_of)
    in_window = _window(f.created_at, as_of, window_days)
    sub = (select(Team.loket_id.label("loket_id"),
                  _count_if(and_(in_window, decided, f.decided_at <= f.due_at)).label("in_time"),
                  _count_if(and_(in_window, decided, f.decided_at > f.due_at)).label("late"),
                  _count_if(and_(in_window, open_overdue)).label("overdue"),
                  _count_if(open_overdue).label("overdue_total"),
                  _count_if(and_(in_window, open_, f.due_at >= as_of)).label("not_yet_due"))
           .select_from(Referral).join(Team, Team.id == Referral.to_team_id)
           .where(Team.loket_id.is_not(None), f.created_at < as_of)
           .group_by(Team.loket_id).subquery())
    results = {}
    for loket_id, in_time, late, overdue, overdue_total, not_yet_due in _per_loket(
            sub, "in_time", "late", "overdue", "overdue_total", "not_yet_due"):
        in_time, late, overdue, overdue_total = in_time or 0, late or 0, overdue or 0, overdue_total or 0
        judged = in_time + late + overdue
        details = {"numerator": in_time, "denominator": judged, "count": judged, "decided_late": late,
                   "open_overdue": overdue_total, "not_yet_due": not_yet_due or 0}
        if not judged and not overdue_total:
            details["note"] = "Geen doorverwijzingen om te beoordelen: dat telt als voldoen."
        results[loket_id] = MetricResult(_share(in_time, judged), details,
                                         override=False if overdue_total else None)
    return results


# ---------------------------------------------------------------- K5

def mean_satisfaction(as_of: datetime, window_days: int | None) -> dict[int, MetricResult]:
    """Mean satisfaction score (1–5) of requests resolved in the window that the club rated.

    `details["count"]` is the number of answers; the criterion's min_count decides measurability.
    """
    r = SupportRequest
    sub = (_loket_requests(func.count(r.satisfaction_score).label("answers"),
                           func.sum(r.satisfaction_score).label("total"))
           .where(_window(r.resolved_at, as_of, window_days), r.satisfaction_score.is_not(None))
           .group_by(Team.loket_id).subquery())
    return {loket_id: MetricResult(_share(int(total or 0), answers or 0),
                                   {"count": answers or 0, "total_score": int(total or 0)})
            for loket_id, answers, total in _per_loket(sub, "answers", "total")}


# ---------------------------------------------------------------- K6

def active_supporters(as_of: datetime, window_days: int | None = None) -> dict[int, MetricResult]:
    """Active users with a clubondersteuner membership of the loket (as they are now)."""
    sub = (select(Membership.loket_id.label("loket_id"), func.count(distinct(User.id)).label("supporters"))
           .join(User, User.id == Membership.user_id)
           .where(Membership.role == "clubondersteuner", User.active.is_(True))
           .group_by(Membership.loket_id).subquery())
    return {loket_id: MetricResult(float(supporters or 0), {"count": supporters or 0})
            for loket_id, supporters in _per_loket(sub, "supporters")}


# ---------------------------------------------------------------- K7

def club_reach(as_of: datetime, window_days: int | None) -> dict[int, MetricResult]:
    """Share of the clubs in the werkgebied that filed a request (to any team) in the window."""
    filers = (select(SupportRequest.club_id)
              .where(_window(SupportRequest.created_at, as_of, window_days)).distinct().subquery())
    sub = (_werkgebied_clubs(func.count(Club.id).label("clubs"), func.count(filers.c.club_id).label("reached"))
           .outerjoin(filers, filers.c.club_id == Club.id)
           .group_by(Gemeente.loket_id).subquery())
    return {loket_id: MetricResult(_share(reached or 0, clubs or 0),
                                   {"numerator": reached or 0, "denominator": clubs or 0, "count": clubs or 0})
            for loket_id, clubs, reached in _per_loket(sub, "clubs", "reached")}


# ---------------------------------------------------------------- K10

def basiseisen_known(as_of: datetime, window_days: int | None = None) -> dict[int, MetricResult]:
    """Share of the clubs in the werkgebied whose four basiseisen all have a status other than 'onbekend'."""
    known = and_(*(getattr(Club, f"basiseis_{key}_status") != "onbekend" for key, _ in BASISEISEN))
    sub = (_werkgebied_clubs(func.count(Club.id).label("clubs"), _count_if(known).label("known"))
           .group_by(Gemeente.loket_id).subquery())
    return {loket_id: MetricResult(_share(known_count or 0, clubs or 0),
                                   {"numerator": known_count or 0, "denominator": clubs or 0, "count": clubs or 0})
            for loket_id, clubs, known_count in _per_loket(sub, "clubs", "known")}
