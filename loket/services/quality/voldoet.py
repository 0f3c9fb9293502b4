"""Whether a loket *voldoet* (DESIGN §6), decided in one place for every page, export and API:

every criterion of the current set passes — metric criteria in the loket's latest measurement,
assessment criteria (K8, K9) in its latest final audit — and that latest audit's verdict is positive.

Criteria are matched by code across versions (codes are the stable names: an audit against 2026.1
still speaks for K8 under 2027.1). A criterion without a measurement or finding does not pass.
Everything is loaded set-based: three queries, however many loketten.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Audit, AuditFinding, CriteriaSet, Criterion, Measurement
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


def evaluate(loket_ids: list[int], *, criteria_set: CriteriaSet | None = None,
             today: date | None = None) -> dict[int, LoketQuality]:
    """The quality verdict of each loket, against the current (or given) criteria set."""
    criteria_set = criteria_set or current_set(today)
    results = {loket_id: LoketQuality(loket_id) for loket_id in loket_ids}
    if criteria_set is None or not loket_ids:
        for result in results.values():
            result.reasons.append("Er is nog geen landelijke criteriaset vastgesteld.")
        return results
    metric_codes = [c.code for c in criteria_set.criteria if c.kind == "metric"]
    assessment_codes = [c.code for c in criteria_set.criteria if c.kind == "assessment"]
    latest = latest_measurements(loket_ids, criteria_set.id)
    audits = latest_final_audits(loket_ids)
    findings = _findings_by_code([a.id for a in audits.values()])
    for loket_id, result in results.items():
        for code in metric_codes:
            passed = latest.get((loket_id, code))
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


def latest_measurements(loket_ids: list[int], criteria_set_id: int) -> dict[tuple[int, str], bool | None]:
    """(loket_id, code) → passed, from each loket's newest period per criterion of the set."""
    newest = (select(Measurement.loket_id, Measurement.criterion_id,
                     func.max(Measurement.period).label("period"))
              .join(Criterion, Criterion.id == Measurement.criterion_id)
              .where(Measurement.loket_id.in_(loket_ids), Criterion.criteria_set_id == criteria_set_id)
              .group_by(Measurement.loket_id, Measurement.criterion_id).subquery())
    rows = db.session.execute(
        select(Measurement.loket_id, Criterion.code, Measurement.passed)
        .join(newest, (newest.c.loket_id == Measurement.loket_id)
              & (newest.c.criterion_id == Measurement.criterion_id) & (newest.c.period == Measurement.period))
        .join(Criterion, Criterion.id == Measurement.criterion_id))
    return {(row.loket_id, row.code): row.passed for row in rows}


def latest_final_audits(loket_ids: list[int]) -> dict[int, Audit]:
    """Each loket's newest final audit by the coördinatiepunt (self-assessments do not count)."""
    ranked = (select(Audit.id, func.row_number().over(
        partition_by=Audit.loket_id, order_by=(Audit.audit_date.desc(), Audit.id.desc())).label("rank"))
        .where(Audit.loket_id.in_(loket_ids), Audit.kind == "audit", Audit.state == "definitief").subquery())
    audits = db.session.scalars(select(Audit).join(ranked, ranked.c.id == Audit.id).where(ranked.c.rank == 1))
    return {audit.loket_id: audit for audit in audits}


def _findings_by_code(audit_ids: list[int]) -> dict[tuple[int, str], str]:
    if not audit_ids:
        return {}
    rows = db.session.execute(select(AuditFinding.audit_id, Criterion.code, AuditFinding.result)
                              .join(Criterion, Criterion.id == AuditFinding.criterion_id)
                              .where(AuditFinding.audit_id.in_(audit_ids)))
    return {(row.audit_id, row.code): row.result for row in rows}
