"""The demand for support over time (DESIGN §1, §7): requests filed per month per category, province or region
of a region set.

Counts only: nothing here selects a request's title, description or anybody's contact details. Each
function runs two queries whatever the number of requests: the counts are a GROUP BY over the window's rows of
models.demand (requests per month × gemeente × category, kept current by the database's triggers), not over
the requests themselves.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Category, Gemeente, RegionSet, RequestDemandCount
from loket.models.base import last_months, next_month, today_in_amsterdam
from loket.services.network.regions import NOT_GROUPED, Grouping
from loket.services.requests.categories import ORDER as CATEGORY_ORDER

DEMAND_MONTHS = 12


@dataclass(frozen=True)
class DemandSeries:
    key: str
    label: str
    counts: tuple[int, ...]  # aligned with Demand.months

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Demand:
    months: tuple[date, ...]  # first day of each month, oldest first
    series: tuple[DemandSeries, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(s.counts[i] for s in self.series) for i in range(len(self.months)))

    @property
    def total(self) -> int:
        return sum(self.totals)


def demand_by_category(today: date | None = None, months: int = DEMAND_MONTHS, *,
                       gemeente_ids: list[int] | None = None) -> Demand:
    """Requests filed per month per category over the last `months` months (months in UTC). Two queries.

    Every active category appears, also with no requests; an inactive one only when it had requests.
    `gemeente_ids`: count only requests of clubs in these gemeenten (None: everywhere).
    """
    window = last_months(months, today or today_in_amsterdam())
    counts = _counts_per_month(RequestDemandCount.category_id, window, gemeente_ids=gemeente_ids)
    categories = db.session.execute(select(Category.id, Category.slug, Category.name, Category.active)
                                    .order_by(*CATEGORY_ORDER)).all()
    return Demand(window, tuple(
        DemandSeries(c.slug, c.name if c.active else f"{c.name} (niet meer te kiezen)", _aligned(counts[c.id], window))
        for c in categories if c.active or c.id in counts))


def demand_by_province(today: date | None = None, months: int = DEMAND_MONTHS, *,
                       gemeente_ids: list[int] | None = None) -> Demand:
    """Requests filed per month per province of the club's gemeente over the last `months` months
    (months in UTC). Two queries; every province with a gemeente appears (with `gemeente_ids`: only requests of
    clubs in these gemeenten, and only their provinces)."""
    window = last_months(months, today or today_in_amsterdam())
    counts = _counts_per_month(Gemeente.province, window, join_gemeente=True, gemeente_ids=gemeente_ids)
    provinces = db.session.scalars(_only(select(Gemeente.province), gemeente_ids)
                                   .distinct().order_by(Gemeente.province)).all()
    return Demand(window, tuple(DemandSeries(p, p, _aligned(counts[p], window)) for p in provinces))


def demand_by_region(region_set: RegionSet, today: date | None = None, months: int = DEMAND_MONTHS) -> Demand:
    """Requests filed per month per region of `region_set` that holds the club's gemeente, over the last
    `months` months (months in UTC); a gemeente outside every region of the set counts under "Niet ingedeeld"
    (a series shown when the set leaves a gemeente out). Two queries; every region appears."""
    window = last_months(months, today or today_in_amsterdam())
    grouping = Grouping(region_set)
    counts = _counts_per_month(grouping.key, window, join_gemeente=True, grouping=grouping)
    names = grouping.names()
    if None in counts and NOT_GROUPED not in names:  # cannot happen while the set covers every gemeente
        names.append(NOT_GROUPED)
    return Demand(window, tuple(
        DemandSeries(name, name, _aligned(counts[None if name == NOT_GROUPED else name], window)) for name in names))


def demand_by_gemeente(gemeente_ids: list[int], today: date | None = None, months: int = DEMAND_MONTHS) -> Demand:
    """Requests filed per month per gemeente (of the club), for these gemeenten only, over the last `months`
    months (months in UTC): what a gemeente officer or an adviseur sees. Two queries; every one of the
    gemeenten appears, by name."""
    window = last_months(months, today or today_in_amsterdam())
    counts = _counts_per_month(RequestDemandCount.gemeente_id, window, gemeente_ids=gemeente_ids)
    gemeenten = db.session.execute(_only(select(Gemeente.id, Gemeente.code, Gemeente.name), gemeente_ids)
                                   .order_by(Gemeente.name, Gemeente.id)).all()
    return Demand(window, tuple(DemandSeries(g.code, g.name, _aligned(counts[g.id], window)) for g in gemeenten))


def _only(query, gemeente_ids: list[int] | None):
    """The query on gemeenten restricted to `gemeente_ids` (None: all of them)."""
    return query if gemeente_ids is None else query.where(Gemeente.id.in_(gemeente_ids))


def _counts_per_month(key, window: tuple[date, ...], *, join_gemeente: bool = False, grouping=None,
                      gemeente_ids: list[int] | None = None) -> dict:
    """{key: {first of month: count}} — one GROUP BY query over the window's rows of the summary table
    (models.demand: requests per month × gemeente × category, at most months × gemeenten × categories rows
    whatever the number of requests; `grouping`: a regions.Grouping whose joins the key needs, after the
    gemeente's; `gemeente_ids`: only requests of clubs in these gemeenten). Rows of 0 are left out, so a key
    appears only with requests."""
    end = next_month(window[-1])
    query = (select(key.label("key"), RequestDemandCount.month, func.sum(RequestDemandCount.requests).label("requests"))
             .where(RequestDemandCount.month >= window[0], RequestDemandCount.month < end,
                    RequestDemandCount.requests > 0)
             .group_by(key, RequestDemandCount.month))
    if join_gemeente:
        query = query.join(Gemeente, Gemeente.id == RequestDemandCount.gemeente_id)
    if gemeente_ids is not None:
        query = query.where(RequestDemandCount.gemeente_id.in_(gemeente_ids))
    if grouping is not None:
        query = grouping.join(query)
    counts: dict = defaultdict(dict)
    for row in db.session.execute(query):
        counts[row.key][row.month] = int(row.requests)
    return counts


def _aligned(per_month: dict[date, int], window: tuple[date, ...]) -> tuple[int, ...]:
    return tuple(per_month.get(month, 0) for month in window)
