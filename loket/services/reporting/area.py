"""What the people who build the loketten see (DESIGN §7, §9): a gemeente's sport officer (role `gemeente`, their
own gemeenten) and an adviseur lokale sport or procesbegeleider (role `adviseur`, every gemeente of their
region): each gemeente's realisation stage, its loket and that loket's quality and audit verdicts, and for an
adviseur the realisation pipeline of the region at a glance.

Aggregates only, like the coördinatiepunt: nothing here selects a request, a club's contact or anybody's
address; requests are counted in reporting.demand. The stage is `network.stages.stage_of`, the verdict
`quality.voldoet.evaluate` and a loket's measurement history `quality.overview.loket_detail` — the one home of
each rule. Every function runs a fixed number of queries however many gemeenten the area has.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from loket.extensions import db
from loket.models import (
    GEMEENTE_STAGE_LABELS,
    GEMEENTE_STAGES,
    Audit,
    Criterion,
    Gemeente,
    NetworkChange,
    User,
)
from loket.models.base import today_in_amsterdam
from loket.models.region import Region, RegionGemeente
from loket.services.errors import NotFound
from loket.services.network import history
from loket.services.network.stages import stage_of
from loket.services.quality.criteria import current_set
from loket.services.quality.overview import LoketDetail, loket_detail
from loket.services.quality.voldoet import LoketQuality, evaluate

AREA_ROLES = ("gemeente", "adviseur")
# The realisation pipeline: the four stages of a gemeente, then its operational loket aangehaakt bij het
# coördinatiepunt (DESIGN §9).
PIPELINE = (*GEMEENTE_STAGES, "aangehaakt")
PIPELINE_LABELS = {**GEMEENTE_STAGE_LABELS, "aangehaakt": "Loket aangehaakt"}
NOT_IN_AREA_MESSAGE = "Deze gemeente hoort niet bij je gebied."


def pipeline_stage(stage: str, aangehaakt: bool) -> str:
    """Where a gemeente stands in the pipeline: its stage, or `aangehaakt` once its loket is operational and
    aangehaakt (a loket aangehaakt while still in oprichting stays in_oprichting)."""
    return "aangehaakt" if stage == "operationeel" and aangehaakt else stage


# ---------------------------------------------------------------- which gemeenten

def _area_rows(user: User) -> list[tuple[Gemeente, int | None]]:
    """(gemeente with its loket, the region of the user's that holds it or None) — one query. A gemeente in two of
    the user's regions (of different sets) comes twice."""
    own = [g for g in user.gemeente_ids if g is not None]
    region_ids = [r for r in user.region_ids if r is not None]
    if not own and not region_ids:
        return []
    # The outer join finds the gemeente's rows among the user's regions only (ix_region_gemeenten_region).
    in_region = and_(RegionGemeente.gemeente_id == Gemeente.id, RegionGemeente.region_id.in_(region_ids))
    visible = [*([Gemeente.id.in_(own)] if own else []),
               *([RegionGemeente.region_id.is_not(None)] if region_ids else [])]
    rows = db.session.execute(
        select(Gemeente, RegionGemeente.region_id).outerjoin(RegionGemeente, in_region).where(or_(*visible))
        .options(joinedload(Gemeente.loket)).order_by(Gemeente.name, Gemeente.id)).all()
    return [(row[0], row[1]) for row in rows]


def gemeenten_of(user: User) -> list[Gemeente]:
    """The gemeenten a gemeente officer or an adviseur may see, by name, each with its loket loaded: the officer's
    own gemeenten and every gemeente of the adviseur's region(s); none for any other role. One query."""
    seen: dict[int, Gemeente] = {}
    for gemeente, _ in _area_rows(user):
        seen.setdefault(gemeente.id, gemeente)
    return list(seen.values())


def ids_of(user: User) -> list[int]:
    """The ids of gemeenten_of(user) (for restricting statistics)."""
    return [gemeente.id for gemeente in gemeenten_of(user)]


# ---------------------------------------------------------------- the overview

@dataclass(frozen=True)
class AreaLoket:
    id: int
    slug: str
    name: str
    status: str
    aangehaakt: bool
    aangehaakt_at: date | None
    quality: LoketQuality

    @property
    def voldoet(self) -> bool:
        return self.quality.voldoet


@dataclass(frozen=True)
class AreaGemeente:
    code: str
    name: str
    province: str
    stage: str  # network.stages.stage_of
    exploring_since: date | None
    loket: AreaLoket | None

    @property
    def pipeline_stage(self) -> str:
        return pipeline_stage(self.stage, bool(self.loket and self.loket.aangehaakt))


@dataclass(frozen=True)
class AreaRegion:
    """One region an adviseur works for, with its gemeenten's pipeline counts."""

    id: int
    name: str
    set_name: str
    gemeenten: tuple[str, ...]  # codes, by name
    pipeline: dict[str, int]  # PIPELINE stage → number of gemeenten

    @property
    def total(self) -> int:
        return sum(self.pipeline.values())


@dataclass
class AreaOverview:
    as_of: date
    gemeenten: list[AreaGemeente]
    criteria: list[Criterion]  # of the current set, for the table's columns
    regions: list[AreaRegion] = field(default_factory=list)  # the adviseur's regions (none for a gemeente officer)

    @property
    def pipeline(self) -> dict[str, int]:
        """Every gemeente of the area counted once, per PIPELINE stage."""
        return _count(self.gemeenten)

    def gemeente(self, code: str) -> AreaGemeente | None:
        return next((g for g in self.gemeenten if g.code == code), None)


def _count(gemeenten) -> dict[str, int]:
    counts = dict.fromkeys(PIPELINE, 0)
    for gemeente in gemeenten:
        counts[gemeente.pipeline_stage] += 1
    return counts


def area_overview(user: User, today: date | None = None) -> AreaOverview:
    """Per gemeente of the user's area: stage, loket (name, status, aangehaakt since), the loket's verdict per
    criterion (its latest measurement; K8/K9 from the latest final audit), whether it voldoet and the latest audit
    verdict; and per region of an adviseur the pipeline counts. Read-only; six queries however large the area
    (the gemeenten, the current criteria set and its criteria, the verdicts' three)."""
    today = today or today_in_amsterdam()
    rows = _area_rows(user)
    criteria_set = current_set(today)
    loket_ids = sorted({g.loket.id for g, _ in rows if g.loket is not None})
    verdicts = evaluate(loket_ids, criteria_set=criteria_set, today=today) if loket_ids else {}
    by_id: dict[int, AreaGemeente] = {}
    codes_in: dict[int, list[str]] = {}
    for gemeente, region_id in rows:
        if gemeente.id not in by_id:
            by_id[gemeente.id] = _area_gemeente(gemeente, verdicts.get(gemeente.loket.id) if gemeente.loket else None)
        if region_id is not None:
            codes_in.setdefault(region_id, []).append(gemeente.code)
    gemeenten = list(by_id.values())
    by_code = {g.code: g for g in gemeenten}
    regions = [AreaRegion(region.id, region.name, region.region_set.name, tuple(codes_in.get(region.id, ())),
                          _count(by_code[code] for code in codes_in.get(region.id, ())))
               for region in _regions_of(user)]
    return AreaOverview(as_of=today, gemeenten=gemeenten, regions=regions,
                        criteria=list(criteria_set.criteria) if criteria_set else [])


def _area_gemeente(gemeente: Gemeente, quality: LoketQuality | None) -> AreaGemeente:
    """One gemeente's row (its loket loaded), with its loket's verdict."""
    loket = gemeente.loket
    return AreaGemeente(
        code=gemeente.code, name=gemeente.name, province=gemeente.province, stage=stage_of(gemeente),
        exploring_since=gemeente.exploring_since,
        loket=AreaLoket(loket.id, loket.slug, loket.name, loket.status, loket.aangehaakt, loket.aangehaakt_at,
                        quality) if loket is not None else None)


def _regions_of(user: User) -> list[Region]:
    """The adviseur's regions (loaded with the memberships: no query), by set and name."""
    regions = {m.region.id: m.region for m in user.memberships if m.role == "adviseur" and m.region is not None}
    return sorted(regions.values(), key=lambda r: (r.region_set.name, r.name, r.id))


# ---------------------------------------------------------------- one gemeente

@dataclass(frozen=True)
class AuditVerdict:
    audit_date: date
    verdict: str | None


@dataclass
class GemeentePage:
    gemeente: AreaGemeente
    changes: list[NetworkChange]  # its stage and loket changes, newest first
    loket: LoketDetail | None  # its loket's verdict and measurement history
    audits: list[AuditVerdict]  # its loket's final audits by the coördinatiepunt, newest first


def gemeente_page(user: User, code: str, today: date | None = None) -> GemeentePage:
    """One gemeente of the user's area: stage history, its loket's measurements with their history, and the
    verdicts of its loket's final audits (never an audit's notes). A fixed number of queries.

    :raises NotFound: the gemeente does not exist or is outside the user's area (the same answer for both).
    """
    today = today or today_in_amsterdam()
    wanted = (code or "").strip().upper()
    gemeente = next((g for g in gemeenten_of(user) if g.code == wanted), None)
    if gemeente is None:
        raise NotFound(NOT_IN_AREA_MESSAGE)
    loket = gemeente.loket
    detail = loket_detail(loket.slug, today) if loket is not None else None
    row = _area_gemeente(gemeente, detail.row.quality if detail is not None else None)
    audits = [AuditVerdict(r.audit_date, r.verdict) for r in db.session.execute(
        select(Audit.audit_date, Audit.verdict)
        .where(Audit.loket_id == loket.id, Audit.kind == "audit", Audit.state == "definitief")
        .order_by(Audit.audit_date.desc(), Audit.id.desc()))] if loket is not None else []
    return GemeentePage(gemeente=row, changes=history.of_gemeente(gemeente.id), loket=detail, audits=audits)
