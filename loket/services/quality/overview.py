"""The coördinatiepunt's national overview (DESIGN §1, §6, §7): the 2026 targets, every loket's quality
with its trend, and one loket's measurement history. Loketten and the realisation stages are grouped by
province, or by the regions of any imported region set (`network.regions.Grouping`; gemeenten outside every
region of the set are "Niet ingedeeld"). (The demand for support over time is not quality:
it lives in loket/services/reporting/demand.py.)

Aggregates only: nothing here selects a request's title, description, messages, satisfaction comment or
anybody's contact details — requests are only ever counted. Every function runs a fixed number of
queries whatever the number of loketten, gemeenten or requests (GROUP BY in SQL, never a loop of queries).
Whether a loket *voldoet* comes from voldoet.evaluate, the one definition.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from loket.extensions import db
from loket.formatting import number
from loket.models import (
    Bond,
    CriteriaSet,
    Criterion,
    Gemeente,
    Loket,
    Measurement,
    RegionSet,
)
from loket.models.base import today_in_amsterdam
from loket.services.errors import NotFound
from loket.services.network import lifecycle
from loket.services.network.regions import PROVINCES, Grouping
from loket.services.quality.criteria import current_set
from loket.services.quality.registry import unit_of
from loket.services.quality.voldoet import LoketQuality, Measured, evaluate, newest_measurements

# The Sportakkoord II targets for 2026 (DESIGN §1). "All bonden" is however many bonden there are.
TARGET_GEMEENTEN = 342
TARGET_LOKETTEN_VOLDOEN = 100

STATUS_FILTERS = {
    "operationeel": "Operationeel",
    "in_oprichting": "In oprichting",
    "voldoet": "Voldoet",
    "voldoet_niet": "Voldoet (nog) niet",
}
TREND_LABELS = {"beter": "Beter", "gelijk": "Gelijk", "slechter": "Slechter"}



# ---------------------------------------------------------------- the targets and the loketten table

@dataclass(frozen=True)
class Targets:
    gemeenten_total: int
    gemeenten_covered: int  # served by an operational loket
    loketten_total: int
    loketten_operational: int
    loketten_aangehaakt: int
    loketten_voldoen: int
    bonden_total: int
    bonden_aangesloten: int
    target_gemeenten: int = TARGET_GEMEENTEN
    target_loketten_voldoen: int = TARGET_LOKETTEN_VOLDOEN

    @property
    def target_bonden(self) -> int:
        return self.bonden_total


@dataclass(frozen=True)
class Trend:
    """Passing metric criteria in a loket's latest measured month against the month measured before it."""

    latest_period: date
    latest_passing: int
    previous_period: date | None = None
    previous_passing: int | None = None

    @property
    def direction(self) -> str | None:
        """beter / gelijk / slechter; None with only one month measured."""
        if self.previous_passing is None:
            return None
        if self.latest_passing > self.previous_passing:
            return "beter"
        return "gelijk" if self.latest_passing == self.previous_passing else "slechter"


@dataclass
class LoketRow:
    id: int
    slug: str
    name: str
    status: str
    aangehaakt: bool
    provinces: tuple[str, ...]
    gemeenten: int
    quality: LoketQuality
    trend: Trend | None = None
    regions: tuple[str, ...] = ()  # its gemeenten's regions in the overview's region set (none: by province)

    @property
    def voldoet(self) -> bool:
        return self.quality.voldoet

    @property
    def criteria(self) -> dict[str, bool | None]:
        return self.quality.criteria

    def criteria_in(self, criteria: list[Criterion]) -> list[bool | None]:
        """Whether each of `criteria` passes (None: no data), in their order: one row of the table."""
        verdicts = self.quality.criteria
        return [verdicts.get(criterion.code) for criterion in criteria]

    @property
    def trend_direction(self) -> str | None:
        return self.trend.direction if self.trend else None

    def matches(self, *, province: str | None = None, status: str | None = None, region: str | None = None) -> bool:
        if province and province not in self.provinces:
            return False
        if region and region not in self.regions:
            return False
        if status in ("operationeel", "in_oprichting"):
            return self.status == status
        if status == "voldoet":
            return self.voldoet
        if status == "voldoet_niet":
            return not self.voldoet
        return True


@dataclass
class Overview:
    as_of: date
    targets: Targets
    criteria_set: CriteriaSet | None
    loketten: list[LoketRow]
    provinces: list[str]  # every province with a gemeente, for the filter
    grouping: Grouping = PROVINCES
    regions: list[str] = field(default_factory=list)  # the region set's regions (+ NOT_GROUPED), for the filter

    @property
    def criteria(self) -> list[Criterion]:
        return list(self.criteria_set.criteria) if self.criteria_set else []

    def filtered(self, *, province: str | None = None, status: str | None = None,
                 region: str | None = None) -> list[LoketRow]:
        return [row for row in self.loketten if row.matches(province=province, status=status, region=region)]


def clean_filters(overview: Overview, province: str | None, status: str | None) -> tuple[str | None, str | None]:
    """Unknown filter values (a stale link, a typo) mean no filter rather than an empty table."""
    return (province if province in overview.provinces else None,
            status if status in STATUS_FILTERS else None)


def clean_region(overview: Overview, region: str | None) -> str | None:
    """A region filter only with a region set, and only for one of its regions (or NOT_GROUPED)."""
    return region if overview.grouping.region_set is not None and region in overview.regions else None


def national_overview(today: date | None = None, *, region_set: RegionSet | None = None) -> Overview:
    """The targets and every loket with its verdict and trend; with `region_set` also each loket's regions in
    that set. Read-only; six queries however many loketten and months (seven with a region set)."""
    today = today or today_in_amsterdam()
    grouping = Grouping(region_set) if region_set is not None else PROVINCES
    loketten = db.session.execute(
        select(Loket.id, Loket.slug, Loket.name, Loket.status, Loket.aangehaakt).order_by(Loket.name, Loket.id)).all()
    region = (grouping.key if region_set is not None else None)
    columns = [Gemeente.loket_id, Gemeente.province, *([region.label("region")] if region is not None else [])]
    served = db.session.execute(
        grouping.join(select(*columns, func.count().label("gemeenten")).select_from(Gemeente))
        .group_by(*columns)).all()
    provinces_of: dict[int, set[str]] = defaultdict(set)
    regions_of: dict[int, set[str]] = defaultdict(set)
    gemeenten_of: dict[int, int] = defaultdict(int)
    for row in served:
        if row.loket_id is not None:
            provinces_of[row.loket_id].add(row.province)
            if region is not None:
                regions_of[row.loket_id].add(grouping.name_of(row.region))
            gemeenten_of[row.loket_id] += row.gemeenten
    criteria_set = current_set(today)
    ids = [loket.id for loket in loketten]
    measured = newest_measurements(ids, criteria_set)
    verdicts = evaluate(ids, criteria_set=criteria_set, today=today, measured=measured)
    trends = _trends(measured)
    rows = [LoketRow(id=loket.id, slug=loket.slug, name=loket.name, status=loket.status,
                     aangehaakt=loket.aangehaakt, provinces=tuple(sorted(provinces_of[loket.id])),
                     gemeenten=gemeenten_of[loket.id], quality=verdicts[loket.id], trend=trends.get(loket.id),
                     regions=tuple(_in_order(regions_of[loket.id])))
            for loket in loketten]
    return Overview(as_of=today, targets=_targets(rows), criteria_set=criteria_set, loketten=rows,
                    provinces=sorted({row.province for row in served}), grouping=grouping,
                    regions=grouping.names() if region_set is not None else [])


def _in_order(names) -> list[str]:
    """Region names by name, NOT_GROUPED last."""
    return sorted(names, key=lambda name: (name == Grouping.name_of(None), name))


def _targets(rows: list[LoketRow]) -> Targets:
    operational = (select(Loket.id).where(Loket.status == "operationeel")).scalar_subquery()
    counts = db.session.execute(select(
        select(func.count()).select_from(Gemeente).scalar_subquery().label("gemeenten_total"),
        select(func.count()).select_from(Gemeente).where(Gemeente.loket_id.in_(operational))
        .scalar_subquery().label("gemeenten_covered"),
        select(func.count()).select_from(Bond).scalar_subquery().label("bonden_total"),
        select(func.count()).select_from(Bond).where(Bond.aangesloten.is_(True))
        .scalar_subquery().label("bonden_aangesloten"),
    )).one()
    return Targets(
        gemeenten_total=counts.gemeenten_total, gemeenten_covered=counts.gemeenten_covered,
        loketten_total=len(rows), loketten_operational=sum(r.status == "operationeel" for r in rows),
        loketten_aangehaakt=sum(r.aangehaakt for r in rows), loketten_voldoen=sum(r.voldoet for r in rows),
        bonden_total=counts.bonden_total, bonden_aangesloten=counts.bonden_aangesloten)


def loket_trends(loket_ids: list[int], criteria_set: CriteriaSet | None) -> dict[int, Trend]:
    """Per loket: passing metric criteria of the current set in its two latest measured months (one query).

    Only the current set's criteria count, so a month measured under an older version with other
    criteria is never compared with one under the current version.
    """
    if not loket_ids or criteria_set is None:
        return {}
    return _trends(newest_measurements(loket_ids, criteria_set))


def _trends(measured: Measured) -> dict[int, Trend]:
    trends = {}
    for loket_id, (latest, *previous) in measured.months.items():
        before = previous[0] if previous else None
        trends[loket_id] = Trend(latest.period, latest.passing, before.period if before else None,
                                 before.passing if before else None)
    return trends


# ---------------------------------------------------------------- one loket: the drill-down

@dataclass(frozen=True)
class HistoryPoint:
    period: date
    value: float | None
    passed: bool | None
    threshold: float | None  # the norm of the version this month was measured against
    comparison: str
    version: str
    details: dict[str, float]  # numeric details only (counts behind the value)

    @property
    def numerator(self) -> float | None:
        return self.details.get("numerator")

    @property
    def denominator(self) -> float | None:
        return self.details.get("denominator")

    @property
    def count(self) -> float | None:
        return self.details.get("count")

    @property
    def basis(self) -> str:
        """What the value was computed from, in words: '9 van 10', '12 waarnemingen', or ''."""
        if self.numerator is not None and self.denominator is not None:
            return f"{number(self.numerator, None)} van {number(self.denominator, None)}"
        return f"{number(self.count, None)} {'waarneming' if self.count == 1 else 'waarnemingen'}" if self.count is not None else ""


@dataclass
class CriterionHistory:
    criterion: Criterion  # of the current set
    points: list[HistoryPoint] = field(default_factory=list)  # oldest first

    @property
    def unit(self) -> str:
        return unit_of(self.criterion.metric)

    @property
    def latest(self) -> HistoryPoint | None:
        return self.points[-1] if self.points else None


@dataclass
class LoketDetail:
    row: LoketRow
    gemeenten: list[tuple[str, str]]  # (name, province)
    criteria_set: CriteriaSet | None
    histories: list[CriterionHistory]  # one per metric criterion of the current set
    assessments: list[tuple[Criterion, bool | None]]  # from the latest final audit


def loket_detail(slug: str, today: date | None = None) -> LoketDetail:
    """One loket's verdict and the full history of each metric criterion (matched by code across
    criteria versions, so a new version does not wipe the history). Read-only; six queries.

    :raises NotFound: no loket has this slug.
    """
    today = today or today_in_amsterdam()
    loket = db.session.execute(select(Loket.id, Loket.slug, Loket.name, Loket.status, Loket.aangehaakt)
                               .where(Loket.slug == slug)).one_or_none()
    if loket is None:
        raise NotFound("Dit loket bestaat niet.")
    gemeenten = [(g.name, g.province) for g in db.session.execute(
        select(Gemeente.name, Gemeente.province).where(Gemeente.loket_id == loket.id).order_by(Gemeente.name))]
    criteria_set = current_set(today)
    measured = newest_measurements([loket.id], criteria_set)
    quality = evaluate([loket.id], criteria_set=criteria_set, today=today, measured=measured)[loket.id]
    row = LoketRow(id=loket.id, slug=loket.slug, name=loket.name, status=loket.status, aangehaakt=loket.aangehaakt,
                   provinces=tuple(sorted({p for _, p in gemeenten})), gemeenten=len(gemeenten), quality=quality,
                   trend=_trends(measured).get(loket.id))
    criteria = list(criteria_set.criteria) if criteria_set else []
    metrics = [c for c in criteria if c.kind == "metric"]
    return LoketDetail(row=row, gemeenten=gemeenten, criteria_set=criteria_set,
                       histories=_histories(loket.id, metrics),
                       assessments=[(c, quality.criteria.get(c.code)) for c in criteria if c.kind == "assessment"])


def _histories(loket_id: int, metrics: list[Criterion]) -> list[CriterionHistory]:
    histories = {c.code: CriterionHistory(c) for c in metrics}
    if not histories:
        return []
    rows = db.session.execute(
        select(Criterion.code, Measurement.period, Measurement.value, Measurement.passed, Measurement.details,
               Criterion.threshold, Criterion.comparison, CriteriaSet.version)
        .join(Criterion, Criterion.id == Measurement.criterion_id)
        .join(CriteriaSet, CriteriaSet.id == Criterion.criteria_set_id)
        .where(Measurement.loket_id == loket_id, Criterion.code.in_(histories))
        # A month measured under two versions keeps the newer version's measurement (it comes last).
        .order_by(Measurement.period, CriteriaSet.valid_from, CriteriaSet.id))
    by_month: dict[str, dict[date, HistoryPoint]] = defaultdict(dict)
    for row in rows:
        numbers = {k: v for k, v in (row.details or {}).items()
                   if isinstance(v, int | float) and not isinstance(v, bool)}
        by_month[row.code][row.period] = HistoryPoint(row.period, row.value, row.passed, row.threshold,
                                                      row.comparison, row.version, numbers)
    for code, history in histories.items():
        history.points = [by_month[code][period] for period in sorted(by_month[code])]
    return list(histories.values())


# ---------------------------------------------------------------- realisation: gemeenten per stage

@dataclass(frozen=True)
class Realisation:
    """How far the network has come: gemeenten per realisation stage, per province (or per region of a region
    set) now, and month by month."""

    as_of: date
    provinces: list[lifecycle.StageCounts]  # per group of `grouping`: provinces, or regions then NOT_GROUPED
    total: lifecycle.StageCounts
    months: list[lifecycle.StageMonth]  # oldest first; the last is the month under way
    grouping: Grouping = PROVINCES

    @property
    def groups(self) -> list[lifecycle.StageCounts]:
        return self.provinces


def realisation(today: date | None = None, *, region_set: RegionSet | None = None) -> Realisation:
    """Stage counts per province (or per region of `region_set`) now and over the last twelve months (three
    queries; four with a region set)."""
    grouping = Grouping(region_set) if region_set is not None else PROVINCES
    groups, total = lifecycle.stage_counts_by_group(grouping)
    return Realisation(as_of=today or today_in_amsterdam(), provinces=groups, total=total,
                       months=lifecycle.stage_counts_over_time(months=12), grouping=grouping)
