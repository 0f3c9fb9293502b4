"""Audits (toetsingen) of a loket by the coördinatiepunt, and a loket's own self-assessment (DESIGN §6, §7).

Who writes: the coördinatiepunt writes audits; the team lead (coördinator) of a loket writes that loket's
self-assessment. Who reads: the coördinatiepunt and beheer read every audit and every final
self-assessment; a loket's clubondersteuners read its final audits and all its self-assessments (a concept
audit is the auditor's work in progress, a concept self-assessment the loket's). A final audit or
self-assessment never changes. Every function that writes commits exactly once.

Also here: "waar staan we", one loket's standing (criteria, latest measurements, latest audit findings,
the voldoet verdict and what to improve), because it is the audits' reading side for the loket.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from loket.extensions import db
from loket.models import (
    AUDIT_KINDS,
    FINDING_RESULTS,
    VERDICTS,
    Audit,
    AuditFinding,
    CriteriaSet,
    Criterion,
    Loket,
    Measurement,
    User,
)
from loket.models.base import today_in_amsterdam, utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network.teams import is_loket_lead
from loket.services.quality import voldoet
from loket.services.quality.criteria import current_set
from loket.services.quality.verdict_log import record_verdicts
from loket.services.text import typed_day
from loket.services.transaction import commit

EVIDENCE_MAX = 5000
NOTES_MAX = 10000

KIND_LABELS = {"audit": "Audit", "self_assessment": "Zelfevaluatie"}
STATE_LABELS = {"concept": "Concept", "definitief": "Definitief"}
RESULT_LABELS = {"pass": "Voldoet", "fail": "Voldoet niet", "not_assessed": "Niet beoordeeld"}
VERDICT_LABELS = {"positief": "Positief", "negatief": "Negatief"}

NOT_FOUND_MESSAGE = "Deze audit bestaat niet of je hebt er geen toegang toe."
LOKET_NOT_FOUND_MESSAGE = "Dit loket bestaat niet of je hebt er geen toegang toe."
AUDIT_FORBIDDEN = "Alleen het landelijk coördinatiepunt kan een audit starten of bewerken."
SELF_FORBIDDEN = "Alleen de coördinator (teamleider) van dit loket kan de zelfevaluatie starten of bewerken."
FINAL_CONFLICT = "Deze {kind} is definitief en kan niet meer worden gewijzigd."
NO_SET_CONFLICT = "Er is nog geen landelijke criteriaset vastgesteld; een audit kan pas starten als die er is."
OPEN_CONCEPT_CONFLICT = "Voor dit loket staat al een {kind} in concept open. Werk die eerst af."

# One actionable line per criterion that does not pass, by metric name (a new criteria version that
# reuses a metric keeps its advice) and for assessments by code.
METRIC_ADVICE = {
    "contact_reviewed_days": "Laat de contactgegevens en openingstijden nakijken en leg de datum vast.",
    "first_response_within_sla": "Geef nieuwe aanvragen binnen twee werkdagen een eerste reactie: "
                                 "kijk dagelijks in de wachtrij en spreek af wie nieuwe aanvragen oppakt.",
    "median_resolution_workdays": "Rond aanvragen sneller af: zet een aanvraag op ‘wacht op club’ als je op de "
                                  "club wacht en verwijs warm door wat een ander beter kan oppakken.",
    "referrals_decided_in_time": "Accepteer of wijs doorverwijzingen binnen drie werkdagen af en besluit over "
                                 "doorverwijzingen die nog openstaan.",
    "mean_satisfaction": "Vraag clubs na afloop om hun oordeel en bespreek lage scores in het team.",
    "active_supporters": "Zorg voor een tweede actieve clubondersteuner.",
    "club_reach": "Maak het loket bekend bij de clubs in jullie werkgebied, zodat meer clubs hun vraag stellen.",
    "basiseisen_known": "Breng de basiseisen van de clubs in jullie werkgebied in beeld en leg de stand vast "
                        "in het clubprofiel.",
}
ASSESSMENT_ADVICE = {
    "K8": "Leg met de bonden vast wie generieke en wie sportspecifieke ondersteuning geeft, en laat dat zien "
          "bij de audit.",
    "K9": "Zet jullie ondersteuningsaanbod in de catalogus en houd het actueel.",
}
# The criterion whose evidence is the bonden's confirmed agreements for the loket's clubs (network.agreements
# .evidence_for_loket), shown beside it on the audit page.
AGREEMENTS_CRITERION = "K8"
NO_AUDIT_ADVICE = "Vraag het landelijk coördinatiepunt om een audit; een zelfevaluatie helpt je die voor te bereiden."
NEGATIVE_AUDIT_ADVICE = "Bespreek de uitkomst van de laatste audit met het coördinatiepunt en plan een nieuwe audit."


def local_today() -> date:
    return today_in_amsterdam()


# ---------------------------------------------------------------- who may do what

def may_write(user: User, kind: str, loket_id: int) -> bool:
    """The author's side: the coördinatiepunt for an audit, the loket's team lead for its self-assessment."""
    if kind == "audit":
        return user.has_role("coordinatiepunt")
    return is_loket_lead(user, loket_id)


def can_write(user: User, audit: Audit) -> bool:
    return may_write(user, audit.kind, audit.loket_id)


def can_edit(user: User, audit: Audit) -> bool:
    return audit.state == "concept" and can_write(user, audit)


def can_read(user: User, audit: Audit) -> bool:
    if can_write(user, audit):
        return True
    if user.has_role("coordinatiepunt", "beheer") and (audit.kind == "audit" or audit.state == "definitief"):
        return True
    if audit.loket_id in user.loket_ids and (audit.kind == "self_assessment" or audit.state == "definitief"):
        return True
    return False


def _visible_to(user: User):
    """The SQL condition equivalent to can_read, for lists."""
    conditions = []
    if user.has_role("coordinatiepunt", "beheer"):
        conditions.append(or_(Audit.kind == "audit", Audit.state == "definitief"))
    if user.loket_ids:
        conditions.append(Audit.loket_id.in_(user.loket_ids)
                          & or_(Audit.kind == "self_assessment", Audit.state == "definitief"))
    return or_(*conditions) if conditions else Audit.id.is_(None)


def _require_write(actor: User, kind: str, loket_id: int) -> None:
    if not may_write(actor, kind, loket_id):
        raise Forbidden(AUDIT_FORBIDDEN if kind == "audit" else SELF_FORBIDDEN)


def _require_concept(audit: Audit) -> None:
    if audit.state != "concept":
        raise Conflict(FINAL_CONFLICT.format(kind=KIND_LABELS[audit.kind].lower()))


# ---------------------------------------------------------------- reading

def get_loket(loket_id) -> Loket:
    loket = db.session.get(Loket, _as_int(loket_id) or 0)
    if loket is None:
        raise NotFound(LOKET_NOT_FOUND_MESSAGE)
    return loket


def get_audit_for(user: User, audit_id) -> Audit:
    """An audit with its findings (and their criteria), if `user` may read it; NotFound otherwise."""
    audit_id = _as_int(audit_id)
    audit = db.session.scalar(
        select(Audit).where(Audit.id == audit_id).options(selectinload(Audit.findings))) if audit_id else None
    if audit is None or not can_read(user, audit):
        raise NotFound(NOT_FOUND_MESSAGE)
    return audit


def audits_of(loket_id: int, *, viewer: User) -> list[Audit]:
    """The audits and self-assessments of one loket that `viewer` may read, newest first (one query)."""
    return list(db.session.scalars(
        select(Audit).where(Audit.loket_id == loket_id, _visible_to(viewer)).options(joinedload(Audit.author))
        .order_by(Audit.audit_date.desc(), Audit.id.desc())))


def latest_self_assessment(loket_id: int, *, final_only: bool = True) -> Audit | None:
    """The loket's newest self-assessment (by default only a final one), with its findings."""
    query = select(Audit).where(Audit.loket_id == loket_id, Audit.kind == "self_assessment")
    if final_only:
        query = query.where(Audit.state == "definitief")
    return db.session.scalar(query.options(selectinload(Audit.findings))
                             .order_by(Audit.audit_date.desc(), Audit.id.desc()).limit(1))


def open_concept(loket_id: int, kind: str) -> Audit | None:
    return db.session.scalar(select(Audit).where(
        Audit.loket_id == loket_id, Audit.kind == kind, Audit.state == "concept").order_by(Audit.id).limit(1))


@dataclass
class LoketAudits:
    loket: Loket
    latest: Audit | None  # the newest final audit
    concept: Audit | None  # an audit in progress


def audit_overview() -> list[LoketAudits]:
    """Every loket with its latest final audit and any concept audit, by name (three queries)."""
    loketten = list(db.session.scalars(select(Loket).order_by(Loket.name, Loket.id)))
    ids = [loket.id for loket in loketten]
    latest = voldoet.latest_final_audits(ids) if ids else {}
    concepts = {}
    for audit in db.session.scalars(select(Audit).where(Audit.kind == "audit", Audit.state == "concept")
                                    .order_by(Audit.id.desc())):
        concepts[audit.loket_id] = audit  # the oldest open concept wins, as open_concept
    return [LoketAudits(loket, latest.get(loket.id), concepts.get(loket.id)) for loket in loketten]


def latest_measurements(loket_id: int, criterion_ids: list[int]) -> dict[int, Measurement]:
    """criterion_id → the loket's newest Measurement of that criterion (one query)."""
    if not criterion_ids:
        return {}
    ranked = (select(Measurement.id, func.row_number().over(
        partition_by=Measurement.criterion_id, order_by=Measurement.period.desc()).label("rank"))
        .where(Measurement.loket_id == loket_id, Measurement.criterion_id.in_(criterion_ids)).subquery())
    rows = db.session.scalars(select(Measurement).join(ranked, ranked.c.id == Measurement.id)
                              .where(ranked.c.rank == 1))
    return {row.criterion_id: row for row in rows}


# ---------------------------------------------------------------- writing

def start_audit(loket_id, *, actor: User, kind: str, today: date | None = None) -> Audit:
    """Open a concept audit (coördinatiepunt) or self-assessment (the loket's team lead) against the
    current criteria set, with one finding per criterion. An audit starts from the loket's latest final
    self-assessment: its results and evidence, matched by criterion code, are filled in.

    Side effects: commits.
    """
    if kind not in AUDIT_KINDS:
        raise InvalidInput({"kind": "Kies een audit of een zelfevaluatie."})
    loket = get_loket(loket_id)
    _require_write(actor, kind, loket.id)
    today = today or local_today()
    criteria_set = current_set(today)
    if criteria_set is None:
        raise Conflict(NO_SET_CONFLICT)
    if open_concept(loket.id, kind) is not None:
        raise Conflict(OPEN_CONCEPT_CONFLICT.format(kind=KIND_LABELS[kind].lower()))
    prefill = {}
    if kind == "audit":
        previous = latest_self_assessment(loket.id)
        if previous is not None:
            prefill = {f.criterion.code: f for f in previous.findings}
    audit = Audit(loket_id=loket.id, criteria_set_id=criteria_set.id, kind=kind, state="concept",
                  author_id=actor.id, audit_date=today)
    for criterion in criteria_set.criteria:
        earlier = prefill.get(criterion.code)
        audit.findings.append(AuditFinding(
            criterion_id=criterion.id, result=earlier.result if earlier else "not_assessed",
            evidence=earlier.evidence if earlier else None))
    db.session.add(audit)
    commit()
    return audit


def save_findings(audit: Audit, *, actor: User, findings: dict, notes: str | None, verdict: str | None,
                  audit_date=None, finalize: bool = False, today: date | None = None, now: datetime | None = None
                  ) -> Audit:
    """Store the findings, notes, verdict (and optionally the audit date) of a concept; nothing changes
    when any value is invalid. With finalize=True the same changes are saved and the audit made final in
    one go, or nothing is stored when it cannot be finalized yet.

    :param findings: criterion id → (result, evidence); criteria left out keep their finding.
    :param audit_date: a `date`, an ISO or dd-mm-jjjj string; None or empty keeps the current date.
    Side effects: commits.
    """
    _require_write(actor, audit.kind, audit.loket_id)
    _require_concept(audit)
    today = today or local_today()
    errors: dict[str, str] = {}
    by_criterion = {f.criterion_id: f for f in audit.findings}
    changes: list[tuple[AuditFinding, str, str | None]] = []
    for raw_id, value in (findings or {}).items():
        criterion_id = _as_int(raw_id)
        finding = by_criterion.get(criterion_id)
        if finding is None:
            errors["findings"] = "Een of meer criteria horen niet bij deze audit. Laad de pagina opnieuw."
            continue
        result, evidence = value
        code = finding.criterion.code
        if result not in FINDING_RESULTS:
            errors[f"result_{criterion_id}"] = f"{code}: kies ‘voldoet’, ‘voldoet niet’ of ‘niet beoordeeld’."
        evidence = (evidence or "").strip() or None
        if evidence and len(evidence) > EVIDENCE_MAX:
            errors[f"evidence_{criterion_id}"] = (f"{code}: de onderbouwing mag maximaal {EVIDENCE_MAX} tekens "
                                                  f"lang zijn (nu {len(evidence)}).")
        changes.append((finding, result, evidence))
    notes = (notes or "").strip() or None
    if notes and len(notes) > NOTES_MAX:
        errors["notes"] = f"De toelichting mag maximaal {NOTES_MAX} tekens lang zijn (nu {len(notes)})."
    verdict = (verdict or "").strip() or None
    if verdict is not None and verdict not in VERDICTS:
        errors["verdict"] = "Kies als oordeel ‘positief’ of ‘negatief’."
    new_date = _audit_date(errors, audit_date, today)
    if errors:
        raise InvalidInput(errors)
    # Check finalization against the values as they will be, before anything is changed.
    if finalize:
        results = {f.criterion_id: f.result for f in audit.findings}
        results.update({finding.criterion_id: result for finding, result, _ in changes})
        _check_finalizable(audit, results, verdict)
    for finding, result, evidence in changes:
        finding.result, finding.evidence = result, evidence
    audit.notes, audit.verdict = notes, verdict
    if new_date is not None:
        audit.audit_date = new_date
    if finalize:
        audit.state, audit.finalized_at = "definitief", now or utcnow()
        record_verdicts(audit.finalized_at)
    commit()
    return audit


def finalize(audit: Audit, *, actor: User, now: datetime | None = None) -> Audit:
    """Make a concept final: an audit needs a verdict, and every assessment criterion (K8, K9) must be
    judged pass or fail (metric criteria may stay unassessed: their evidence is the measurement).
    A final audit never changes.

    Side effects: commits.
    """
    _require_write(actor, audit.kind, audit.loket_id)
    _require_concept(audit)
    _check_finalizable(audit, {f.criterion_id: f.result for f in audit.findings}, audit.verdict)
    audit.state, audit.finalized_at = "definitief", now or utcnow()
    record_verdicts(audit.finalized_at)
    commit()
    return audit


def _check_finalizable(audit: Audit, results: dict[int, str], verdict: str | None) -> None:
    errors: dict[str, str] = {}
    if audit.kind == "audit" and verdict not in VERDICTS:
        errors["verdict"] = "Kies een oordeel (positief of negatief) voordat je de audit definitief maakt."
    for finding in sorted(audit.findings, key=lambda f: f.criterion.position):
        if finding.criterion.kind == "assessment" and results.get(finding.criterion_id) not in ("pass", "fail"):
            errors[f"result_{finding.criterion_id}"] = (
                f"{finding.criterion.code}: beoordeel dit criterium (voldoet of voldoet niet) voordat je de "
                f"{KIND_LABELS[audit.kind].lower()} definitief maakt.")
    if errors:
        raise InvalidInput(errors)


def _audit_date(errors: dict, value, today: date) -> date | None:
    try:
        parsed = typed_day(value)
    except ValueError:
        errors["audit_date"] = "Vul een geldige datum in, bijvoorbeeld 31-03-2026."
        return None
    if parsed is not None and parsed > today:
        errors["audit_date"] = "De datum van de audit mag niet in de toekomst liggen."
        return None
    return parsed


# ---------------------------------------------------------------- waar staan we

@dataclass
class CriterionStanding:
    criterion: Criterion
    passed: bool | None  # as voldoet decides it
    measurement: Measurement | None = None
    finding: AuditFinding | None = None  # assessments: from the latest final audit


@dataclass
class Improvement:
    code: str | None
    title: str
    reason: str
    advice: str


@dataclass
class LoketStanding:
    loket: Loket
    criteria_set: CriteriaSet | None
    quality: voldoet.LoketQuality
    criteria: list[CriterionStanding] = field(default_factory=list)
    latest_audit: Audit | None = None
    improvements: list[Improvement] = field(default_factory=list)

    @property
    def voldoet(self) -> bool:
        return self.quality.voldoet


def standing(loket_id: int, *, today: date | None = None) -> LoketStanding:
    """Where one loket stands against the current criteria: the latest measurement per metric criterion,
    the latest final audit's findings, the voldoet verdict and one improvement line per failing criterion.
    Reads only; a constant number of queries.
    """
    loket = get_loket(loket_id)
    criteria_set = current_set(today)
    quality = voldoet.evaluate([loket.id], criteria_set=criteria_set, today=today)[loket.id]
    result = LoketStanding(loket=loket, criteria_set=criteria_set, quality=quality)
    if criteria_set is None:
        result.improvements.append(Improvement(None, "Criteriaset", quality.reasons[0], ""))
        return result
    measurements = latest_measurements(loket.id, [c.id for c in criteria_set.criteria if c.kind == "metric"])
    audit = None
    if quality.audit_id is not None:
        audit = db.session.scalar(select(Audit).where(Audit.id == quality.audit_id)
                                  .options(selectinload(Audit.findings)))
    findings = {f.criterion.code: f for f in audit.findings} if audit else {}
    result.latest_audit = audit
    for criterion in criteria_set.criteria:
        row = CriterionStanding(criterion, quality.criteria.get(criterion.code),
                                measurements.get(criterion.id), findings.get(criterion.code))
        result.criteria.append(row)
        if row.passed is not True:
            reason = next((r.split(":", 1)[1].strip() for r in quality.reasons
                           if r.startswith(f"{criterion.code}:")), "voldoet niet.")
            result.improvements.append(Improvement(criterion.code, criterion.title, reason[:1].upper() + reason[1:],
                                                   _advice(criterion)))
    if audit is None:
        result.improvements.append(Improvement(None, "Audit", "Er is nog geen afgeronde audit.", NO_AUDIT_ADVICE))
    elif audit.verdict != "positief":
        result.improvements.append(Improvement(None, "Audit", "Het oordeel van de laatste audit is niet positief.",
                                               NEGATIVE_AUDIT_ADVICE))
    return result


def _advice(criterion: Criterion) -> str:
    if criterion.kind == "metric":
        advice = METRIC_ADVICE.get(criterion.metric)
    else:
        advice = ASSESSMENT_ADVICE.get(criterion.code)
    what = criterion.description or "bespreek met het coördinatiepunt wat daarvoor nodig is."
    return advice or f"Werk aan ‘{criterion.title}’: {what}"


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

