"""Whether a loket *voldoet* (DESIGN §6), decided in one place for every page, export and API:

every criterion of the current set passes — metric criteria in the loket's latest measurement,
assessment criteria (K8, K9) in its latest final audit — and that latest audit's verdict is positive.

Criteria are matched by code across versions (codes are the stable names: an audit against 2026.1
still speaks for K8 under 2027.1). A criterion without a measurement or finding does not pass.
Everything is loaded set-based: two queries, however many loketten and months (the newest measurements;
the latest final audits with their findings).
"""
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter

from sqlalchemy import func, select, true

from loket.extensions import db
from loket.models import Audit, AuditFinding, CriteriaSet, Criterion, Loket, Measurement
from loket.services.quality.criteria import current_set


@dataclass
class LoketQuality:
    loket_id: int
    criteria: dict[str, bool | None] = field(default_factory=dict)  # code → passed (None: no data)
    audit_id: int | None = None
    audit_verdict: str | None = None
    reasons: list[str] = field(default_factory=list)  # Dutch, why it does not voldoet

    @property
    def voldoet(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Month:
    """One month measured for a loket: how many metric criteria of the set passed in it."""

    period: date
    passing: int


@dataclass(frozen=True)
class Measured:
    """The newest measurements of each loket's metric criteria of one set (`newest_measurements`)."""

    latest: dict[int, dict[str, bool | None]]  # loket id → code → passed in that criterion's newest month
    months: dict[int, list[Month]]  # loket id → its two newest measured months, newest first


def evaluate(loket_ids: list[int], *, criteria_set: CriteriaSet | None = None,
             today: date | None = None, measured: Measured | None = None) -> dict[int, LoketQuality]:
    """The quality verdict of each loket, against the current (or given) criteria set; `measured`: the
    loketten's `newest_measurements` of that set, when the caller has read them already."""
    criteria_set = criteria_set or current_set(today)
    results = {loket_id: LoketQuality(loket_id) for loket_id in loket_ids}
    if criteria_set is None or not loket_ids:
        for result in results.values():
            result.reasons.append("Er is nog geen landelijke criteriaset vastgesteld.")
        return results
    metric_codes = [c.code for c in criteria_set.criteria if c.kind == "metric"]
    assessment_codes = [c.code for c in criteria_set.criteria if c.kind == "assessment"]
    latest = (measured or newest_measurements(loket_ids, criteria_set)).latest
    unmeasured: dict[str, bool | None] = {}
    audits, findings = latest_audit_findings(loket_ids, assessment_codes)
    for loket_id, result in results.items():
        measured_codes = latest.get(loket_id, unmeasured)
        for code in metric_codes:
            passed = measured_codes.get(code)
            result.criteria[code] = passed
            if passed is None:
                result.reasons.append(f"{code}: nog niet gemeten of niet meetbaar.")
            elif not passed:
                result.reasons.append(f"{code}: voldoet niet in de laatste meting.")
        audit = audits.get(loket_id)
        for code in assessment_codes:
            outcome = findings.get((audit.id, code)) if audit else None
            result.criteria[code] = {"pass": True, "fail": False}.get(outcome)
            if outcome != "pass":
                result.reasons.append(f"{code}: {'afgekeurd' if outcome == 'fail' else 'niet beoordeeld'} "
                                      "in de laatste audit." if audit else f"{code}: nog geen audit.")
        if audit is None:
            result.reasons.append("Er is nog geen afgeronde audit.")
        else:
            result.audit_id, result.audit_verdict = audit.id, audit.verdict
            if audit.verdict != "positief":
                result.reasons.append("Het oordeel van de laatste audit is niet positief.")
    return results


def newest_measurements(loket_ids: list[int], criteria_set: CriteriaSet | None) -> Measured:
    """Per loket, each metric criterion's passed in its newest month, and the loket's two newest measured
    months with the number of metric criteria passing in each (the overview's trend). One query, reading two
    measurements per loket and criterion however many months are stored.

    Two rows per criterion are enough: the loket's newest month is some criterion's newest, and no criterion
    has a month between the loket's two newest, so every measurement in those two months is among its
    criterion's two newest.
    """
    code_of = {c.id: c.code for c in criteria_set.criteria if c.kind == "metric"} if criteria_set else {}
    if not loket_ids or not code_of:
        return Measured({}, {})
    if db.session.get_bind().dialect.name == "postgresql":
        # Per loket and criterion the two newest rows, from uq_measurements_loket_criterion_period read
        # backwards; one row per loket with them in arrays (a few hundred rows to fetch, not thousands).
        newest = (select(Measurement.period, Measurement.passed)
                  .where(Measurement.loket_id == Loket.id, Measurement.criterion_id == Criterion.id)
                  .order_by(Measurement.period.desc()).limit(2).lateral())
        per_loket = db.session.execute(
            select(Loket.id, func.array_agg(Criterion.id), func.array_agg(newest.c.period),
                   func.array_agg(newest.c.passed))
            .select_from(Loket).join(Criterion, true()).join(newest, true())
            .where(Loket.id.in_(loket_ids), Criterion.id.in_(code_of)).group_by(Loket.id))
        per_loket = ((loket_id, zip(*arrays)) for loket_id, *arrays in per_loket)
    else:  # SQLite (development, tests): no LATERAL; the same rows by a window over the loketten's measurements
        ranked = (select(Measurement.loket_id, Measurement.criterion_id, Measurement.period, Measurement.passed,
                         func.row_number().over(partition_by=(Measurement.loket_id, Measurement.criterion_id),
                                                order_by=Measurement.period.desc()).label("rank"))
                  .where(Measurement.loket_id.in_(loket_ids), Measurement.criterion_id.in_(code_of)).subquery())
        rows = db.session.execute(
            select(ranked.c.loket_id, ranked.c.criterion_id, ranked.c.period, ranked.c.passed)
            .where(ranked.c.rank <= 2).order_by(ranked.c.loket_id))
        per_loket = [(loket_id, [row[1:] for row in group]) for loket_id, group in groupby(rows, key=itemgetter(0))]
    latest: dict[int, dict[str, bool | None]] = {}
    months: dict[int, list[Month]] = {}
    for loket_id, measured in per_loket:  # (criterion id, period, passed): two per criterion, in any order
        newest: dict[int, date] = {}
        verdicts: dict[str, bool | None] = {}
        passing: dict[date, int] = {}
        for criterion_id, period, passed in measured:
            if criterion_id not in newest or period > newest[criterion_id]:
                newest[criterion_id] = period
                verdicts[code_of[criterion_id]] = passed
            passing[period] = passing.get(period, 0) + (passed is True)
        latest[loket_id] = verdicts
        months[loket_id] = [Month(period, passing[period]) for period in sorted(passing, reverse=True)[:2]]
    return Measured(latest, months)


def latest_final_audits(loket_ids: list[int]) -> dict[int, Audit]:
    """Each loket's newest final audit by the coördinatiepunt (self-assessments do not count)."""
    ranked = _ranked_final_audits(loket_ids)
    audits = db.session.scalars(select(Audit).join(ranked, ranked.c.id == Audit.id).where(ranked.c.rank == 1))
    return {audit.loket_id: audit for audit in audits}


def _ranked_final_audits(loket_ids: list[int]):
    return (select(Audit.id, func.row_number().over(
        partition_by=Audit.loket_id, order_by=(Audit.audit_date.desc(), Audit.id.desc())).label("rank"))
        .where(Audit.loket_id.in_(loket_ids), Audit.kind == "audit", Audit.state == "definitief").subquery())


@dataclass(frozen=True)
class AuditVerdict:
    """What a verdict reads of a loket's newest final audit."""

    id: int
    loket_id: int
    verdict: str | None


def latest_audit_findings(loket_ids: list[int], codes: list[str]) -> tuple[dict[int, AuditVerdict],
                                                                           dict[tuple[int, str], str]]:
    """Each loket's newest final audit by the coördinatiepunt (its id and verdict), and that audit's findings
    of the criteria `codes`: (audit id, code) → result. One query."""
    if not loket_ids:
        return {}, {}
    ranked = _ranked_final_audits(loket_ids)
    rows = db.session.execute(
        select(Audit.id, Audit.loket_id, Audit.verdict, Criterion.code, AuditFinding.result)
        .join(ranked, ranked.c.id == Audit.id)
        .outerjoin(AuditFinding, (AuditFinding.audit_id == Audit.id) & AuditFinding.criterion_id.in_(
            select(Criterion.id).where(Criterion.code.in_(codes))))
        .outerjoin(Criterion, Criterion.id == AuditFinding.criterion_id)
        .where(ranked.c.rank == 1))
    audits, findings = {}, {}
    for audit_id, loket_id, verdict, code, result in rows:
        audits[loket_id] = AuditVerdict(audit_id, loket_id, verdict)
        if code is not None:
            findings[(audit_id, code)] = result
    return audits, findings
