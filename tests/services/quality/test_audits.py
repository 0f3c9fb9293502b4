"""Audits and self-assessments: who starts and edits them, validation in Dutch, finalizing, immutability,
the prefill from a self-assessment, the reading queries, and a loket's "waar staan we"."""
from datetime import date, datetime

import pytest

from loket.extensions import db as _db
from loket.models import Audit
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.quality import audits
from loket.services.quality import criteria as criteria_service
from tests.factories import MeasurementFactory, make_user
from tests.support.db import count_rows
from tests.support.lookups import METRIC_CODES, criterion as _criterion, finding as _finding

TODAY = date(2026, 11, 24)


@pytest.fixture()
def commits(monkeypatch):
    """Counts the commits of the session (every write action commits exactly once; a refusal never)."""
    calls = []
    session = _db.session()  # the session object itself: transaction.commit() calls it, not the scoped proxy
    original = session.commit

    def counting():
        calls.append(1)
        return original()

    monkeypatch.setattr(session, "commit", counting)
    return calls


def _count(model=Audit) -> int:
    return count_rows(model)


def _reload(audit) -> Audit:
    """Commit anything a refused call left pending, then read the audit back from the database."""
    _db.session.commit()
    _db.session.expire_all()
    return _db.session.get(Audit, audit.id)


def start(network, kind="audit", actor=None, loket=None, **kwargs):
    actor = actor or network.coordinator
    return audits.start_audit((loket or network.loket_utrecht).id, actor=actor, kind=kind, today=TODAY, **kwargs)


def save(audit, actor, findings=None, *, notes=None, verdict=None, **kwargs):
    return audits.save_findings(audit, actor=actor, findings=findings or {}, notes=notes, verdict=verdict,
                                today=TODAY, **kwargs)


def assessed(audit, k8="pass", k9="pass", **more):
    results = {"K8": k8, "K9": k9, **more}
    return {_finding(audit, code).criterion_id: (result, f"Onderbouwing {code}") for code, result in results.items()}


# ---------------------------------------------------------------- starting

def test_the_coordinatiepunt_starts_a_concept_audit_with_a_finding_per_criterion(network, commits):
    audit = start(network)
    assert len(commits) == 1
    audit = _reload(audit)
    assert (audit.kind, audit.state, audit.author_id, audit.audit_date) == (
        "audit", "concept", network.coordinator.id, TODAY)
    assert audit.criteria_set.version == "2026.1"
    assert [f.criterion.code for f in sorted(audit.findings, key=lambda f: f.criterion.position)] == [
        "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10"]
    assert {(f.result, f.evidence) for f in audit.findings} == {("not_assessed", None)}
    assert audit.verdict is None and audit.finalized_at is None


def test_the_team_lead_starts_a_self_assessment_of_their_own_loket(network, lead, commits):
    audit = start(network, "self_assessment", actor=lead)
    assert len(commits) == 1
    assert (audit.kind, audit.state, audit.author_id, audit.loket_id) == (
        "self_assessment", "concept", lead.id, network.loket_utrecht.id)
    assert len(audit.findings) == 10


@pytest.mark.parametrize("who, kind, message", [
    ("ondersteuner", "audit", audits.AUDIT_FORBIDDEN),
    ("lead", "audit", audits.AUDIT_FORBIDDEN),
    ("beheerder", "audit", audits.AUDIT_FORBIDDEN),
    ("bondsspecialist", "audit", audits.AUDIT_FORBIDDEN),
    ("ondersteuner", "self_assessment", audits.SELF_FORBIDDEN),  # a colleague, not the team lead
    ("coordinator", "self_assessment", audits.SELF_FORBIDDEN),
    ("beheerder", "self_assessment", audits.SELF_FORBIDDEN),
    ("club_contact", "self_assessment", audits.SELF_FORBIDDEN),
])
def test_only_the_authors_side_may_start(network, lead, commits, who, kind, message):
    actor = lead if who == "lead" else getattr(network, who)
    with pytest.raises(Forbidden) as raised:
        start(network, kind, actor=actor)
    assert raised.value.message == message
    assert commits == [] and _count() == 0


def test_the_team_lead_of_another_loket_cannot_start_our_self_assessment(network, commits):
    eemland_lead = make_user("clubondersteuner", network.loket_eemland, team_lead=True)
    _db.session.commit()
    commits.clear()
    with pytest.raises(Forbidden) as raised:
        start(network, "self_assessment", actor=eemland_lead, loket=network.loket_utrecht)
    assert raised.value.message == audits.SELF_FORBIDDEN
    assert _count() == 0 and commits == []


def test_an_unknown_kind_is_refused(network):
    with pytest.raises(InvalidInput) as raised:
        start(network, "inspectie")
    assert raised.value.errors == {"kind": "Kies een audit of een zelfevaluatie."}
    assert _count() == 0


@pytest.mark.parametrize("loket_id", [999, "abc", None])
def test_an_unknown_loket_is_not_found(network, loket_id):
    with pytest.raises(NotFound) as raised:
        audits.start_audit(loket_id, actor=network.coordinator, kind="audit", today=TODAY)
    assert raised.value.message == audits.LOKET_NOT_FOUND_MESSAGE


def test_without_a_criteria_set_in_force_nothing_starts(network, commits):
    with pytest.raises(Conflict) as raised:
        audits.start_audit(network.loket_utrecht.id, actor=network.coordinator, kind="audit", today=date(2025, 12, 1))
    assert raised.value.message == audits.NO_SET_CONFLICT
    assert _count() == 0 and commits == []


def test_an_audit_starts_against_the_set_in_force(network):
    specs = criteria_service.specs_of(criteria_service.current_set(TODAY))
    new = criteria_service.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs[:9],
                                       actor=network.coordinator)
    audit = audits.start_audit(network.loket_utrecht.id, actor=network.coordinator, kind="audit",
                               today=date(2027, 1, 5))
    assert audit.criteria_set_id == new.id and len(audit.findings) == 9


def test_one_open_concept_per_kind_and_loket(network, lead, commits):
    start(network)
    start(network, "self_assessment", actor=lead)  # the other kind is independent
    start(network, loket=network.loket_eemland)  # so is another loket
    commits.clear()
    with pytest.raises(Conflict) as raised:
        start(network)
    assert raised.value.message == "Voor dit loket staat al een audit in concept open. Werk die eerst af."
    with pytest.raises(Conflict) as raised:
        start(network, "self_assessment", actor=lead)
    assert raised.value.message == "Voor dit loket staat al een zelfevaluatie in concept open. Werk die eerst af."
    assert _count() == 3 and commits == []


def test_after_finalizing_a_new_audit_can_start(network):
    audit = start(network)
    save(audit, network.coordinator, assessed(audit), verdict="positief", finalize=True)
    assert start(network).id != audit.id


# ---------------------------------------------------------------- prefill from the self-assessment

def _final_self_assessment(network, lead, results: dict, audit_date=TODAY):
    sa = audits.start_audit(network.loket_utrecht.id, actor=lead, kind="self_assessment", today=audit_date)
    findings = {_finding(sa, code).criterion_id: value for code, value in results.items()}
    audits.save_findings(sa, actor=lead, findings=findings, notes=None, verdict=None, finalize=True,
                         today=audit_date)
    return sa


def test_an_audit_starts_from_the_latest_final_self_assessment(network, lead):
    _final_self_assessment(network, lead, {"K8": ("fail", "Oud"), "K9": ("fail", "Oud")}, date(2026, 6, 1))
    _final_self_assessment(network, lead, {"K8": ("pass", "Convenant met de KNVB, mei 2026"),
                                           "K9": ("pass", "Catalogus bijgewerkt"), "K2": ("fail", "Te traag")})
    concept = audits.start_audit(network.loket_utrecht.id, actor=lead, kind="self_assessment", today=TODAY)
    save(concept, lead, {_finding(concept, "K8").criterion_id: ("fail", "Concept: niet gebruiken")})
    audit = start(network)
    assert (_finding(audit, "K8").result, _finding(audit, "K8").evidence) == ("pass", "Convenant met de KNVB, mei 2026")
    assert (_finding(audit, "K9").result, _finding(audit, "K9").evidence) == ("pass", "Catalogus bijgewerkt")
    assert (_finding(audit, "K2").result, _finding(audit, "K2").evidence) == ("fail", "Te traag")
    assert (_finding(audit, "K1").result, _finding(audit, "K1").evidence) == ("not_assessed", None)
    assert audit.verdict is None  # the verdict is the auditor's own


def test_an_audit_without_a_self_assessment_starts_empty(network, lead):
    concept = audits.start_audit(network.loket_utrecht.id, actor=lead, kind="self_assessment", today=TODAY)
    save(concept, lead, assessed(concept))  # still a concept: not a starting point
    audit = start(network)
    assert {(f.result, f.evidence) for f in audit.findings} == {("not_assessed", None)}


def test_the_prefill_matches_criteria_by_code_across_versions(network, lead):
    _final_self_assessment(network, lead, {"K8": ("pass", "Afspraken vastgelegd"), "K9": ("fail", "Verouderd")})
    criteria_service.publish_set(version="2027.1", valid_from=date(2027, 1, 1),
                                 criteria=criteria_service.specs_of(criteria_service.current_set(TODAY)),
                                 actor=network.coordinator)
    audit = audits.start_audit(network.loket_utrecht.id, actor=network.coordinator, kind="audit",
                               today=date(2027, 1, 10))
    assert audit.criteria_set.version == "2027.1"
    assert _finding(audit, "K8").criterion.criteria_set.version == "2027.1"
    assert (_finding(audit, "K8").result, _finding(audit, "K8").evidence) == ("pass", "Afspraken vastgelegd")
    assert (_finding(audit, "K9").result, _finding(audit, "K9").evidence) == ("fail", "Verouderd")


def test_another_lokets_self_assessment_is_not_used(network, lead):
    _final_self_assessment(network, lead, {"K8": ("pass", "Utrecht"), "K9": ("pass", "Utrecht")})
    audit = start(network, loket=network.loket_eemland)
    assert {(f.result, f.evidence) for f in audit.findings} == {("not_assessed", None)}


# ---------------------------------------------------------------- saving a concept

def test_saving_stores_findings_notes_verdict_and_date(network, commits):
    audit = start(network)
    k2, k8 = _finding(audit, "K2").criterion_id, _finding(audit, "K8").criterion_id
    commits.clear()
    save(audit, network.coordinator, {k2: ("fail", "  Halen de norm niet  "), str(k8): ("pass", "")},
         notes="  Bezoek op locatie. ", verdict="negatief", audit_date="2026-11-20")
    assert len(commits) == 1
    audit = _reload(audit)
    assert (_finding(audit, "K2").result, _finding(audit, "K2").evidence) == ("fail", "Halen de norm niet")
    assert (_finding(audit, "K8").result, _finding(audit, "K8").evidence) == ("pass", None)
    assert (_finding(audit, "K9").result, _finding(audit, "K9").evidence) == ("not_assessed", None)
    assert (audit.notes, audit.verdict, audit.audit_date, audit.state) == (
        "Bezoek op locatie.", "negatief", date(2026, 11, 20), "concept")


def test_saving_with_an_empty_verdict_and_date_clears_the_verdict_and_keeps_the_date(network):
    audit = start(network)
    save(audit, network.coordinator, verdict="positief", notes="x")
    save(audit, network.coordinator, verdict="", notes="", audit_date="")
    audit = _reload(audit)
    assert (audit.verdict, audit.notes, audit.audit_date) == (None, None, TODAY)


def test_a_date_in_dutch_notation_is_accepted(network):
    audit = start(network)
    save(audit, network.coordinator, audit_date="03-11-2026")
    assert _reload(audit).audit_date == date(2026, 11, 3)


def test_another_coordinatiepunt_user_may_continue_the_audit(network):
    colleague = make_user("coordinatiepunt", name="Co Collega")
    _db.session.commit()
    audit = start(network)
    save(audit, colleague, verdict="positief")
    audit = _reload(audit)
    assert audit.verdict == "positief" and audit.author_id == network.coordinator.id


@pytest.mark.parametrize("field, value, key, message", [
    ("result", "misschien", "result_{K2}", "K2: kies ‘voldoet’, ‘voldoet niet’ of ‘niet beoordeeld’."),
    ("result", None, "result_{K2}", "K2: kies ‘voldoet’, ‘voldoet niet’ of ‘niet beoordeeld’."),
    ("evidence", "x" * 5001, "evidence_{K2}", "K2: de onderbouwing mag maximaal 5000 tekens lang zijn (nu 5001)."),
    ("notes", "x" * 10001, "notes", "De toelichting mag maximaal 10000 tekens lang zijn (nu 10001)."),
    ("verdict", "goed", "verdict", "Kies als oordeel ‘positief’ of ‘negatief’."),
    ("audit_date", "31-02-2026", "audit_date", "Vul een geldige datum in, bijvoorbeeld 31-03-2026."),
    ("audit_date", "2026-11-25", "audit_date", "De datum van de audit mag niet in de toekomst liggen."),
    ("criterion", 99999, "findings", "Een of meer criteria horen niet bij deze audit. Laad de pagina opnieuw."),
])
def test_invalid_input_is_refused_in_dutch_and_nothing_changes(network, commits, field, value, key, message):
    audit = start(network)
    k2, k8 = _finding(audit, "K2").criterion_id, _finding(audit, "K8").criterion_id
    findings = {k8: ("pass", "Geldig en toch niet opgeslagen")}
    findings[k2] = (value if field == "result" else "pass", value if field == "evidence" else "Bewijs")
    if field == "criterion":
        findings[value] = ("pass", "")
    kwargs = {"notes": value if field == "notes" else "Geldige notitie",
              "verdict": value if field == "verdict" else "positief",
              "audit_date": value if field == "audit_date" else None}
    commits.clear()
    with pytest.raises(InvalidInput) as raised:
        audits.save_findings(audit, actor=network.coordinator, findings=findings, today=TODAY, **kwargs)
    assert raised.value.errors == {key.format(K2=k2): message}
    assert commits == []
    audit = _reload(audit)
    assert {(f.result, f.evidence) for f in audit.findings} == {("not_assessed", None)}
    assert (audit.notes, audit.verdict, audit.audit_date) == (None, None, TODAY)


@pytest.mark.parametrize("kind, who, message", [
    ("audit", "ondersteuner", audits.AUDIT_FORBIDDEN),
    ("audit", "lead", audits.AUDIT_FORBIDDEN),
    ("audit", "beheerder", audits.AUDIT_FORBIDDEN),
    ("self_assessment", "coordinator", audits.SELF_FORBIDDEN),
    ("self_assessment", "ondersteuner", audits.SELF_FORBIDDEN),
    ("self_assessment", "beheerder", audits.SELF_FORBIDDEN),
])
@pytest.mark.parametrize("action", ["save", "finalize"])
def test_only_the_authors_side_may_edit_or_finalize(network, lead, commits, kind, who, message, action):
    audit = start(network, kind, actor=lead if kind == "self_assessment" else network.coordinator)
    save(audit, lead if kind == "self_assessment" else network.coordinator, assessed(audit), verdict="positief")
    actor = lead if who == "lead" else getattr(network, who)
    commits.clear()
    with pytest.raises(Forbidden) as raised:
        if action == "save":
            save(audit, actor, assessed(audit, "fail", "fail"), verdict="negatief")
        else:
            audits.finalize(audit, actor=actor)
    assert raised.value.message == message
    assert commits == []
    audit = _reload(audit)
    assert (audit.state, audit.verdict, _finding(audit, "K8").result) == ("concept", "positief", "pass")


# ---------------------------------------------------------------- finalizing

def test_finalizing_an_audit_needs_a_verdict_and_k8_k9_judged(network, commits):
    audit = start(network)
    commits.clear()
    with pytest.raises(InvalidInput) as raised:
        audits.finalize(audit, actor=network.coordinator)
    k8, k9 = _finding(audit, "K8").criterion_id, _finding(audit, "K9").criterion_id
    assert raised.value.errors == {
        "verdict": "Kies een oordeel (positief of negatief) voordat je de audit definitief maakt.",
        f"result_{k8}": "K8: beoordeel dit criterium (voldoet of voldoet niet) voordat je de audit definitief maakt.",
        f"result_{k9}": "K9: beoordeel dit criterium (voldoet of voldoet niet) voordat je de audit definitief maakt.",
    }
    assert commits == [] and _reload(audit).state == "concept"


@pytest.mark.parametrize("k8, k9, verdict, missing", [
    ("pass", "pass", None, "verdict"),
    ("pass", "not_assessed", "positief", "K9"),
    ("not_assessed", "fail", "negatief", "K8"),
])
def test_finalizing_is_refused_while_anything_is_missing(network, k8, k9, verdict, missing):
    audit = start(network)
    save(audit, network.coordinator, assessed(audit, k8, k9), verdict=verdict)
    with pytest.raises(InvalidInput) as raised:
        audits.finalize(audit, actor=network.coordinator)
    expected_key = "verdict" if missing == "verdict" else f"result_{_finding(audit, missing).criterion_id}"
    assert list(raised.value.errors) == [expected_key]
    assert _reload(audit).state == "concept"


def test_a_judged_audit_is_finalized_with_metric_criteria_left_unassessed(network, commits):
    audit = start(network)
    save(audit, network.coordinator, assessed(audit, "pass", "fail"), verdict="negatief")
    commits.clear()
    moment = datetime(2026, 11, 24, 9, 30)
    audits.finalize(audit, actor=network.coordinator, now=moment)
    assert len(commits) == 1
    audit = _reload(audit)
    assert (audit.state, audit.finalized_at, audit.verdict) == ("definitief", moment, "negatief")
    assert _finding(audit, "K2").result == "not_assessed"


def test_a_self_assessment_is_finalized_without_a_verdict(network, lead):
    sa = start(network, "self_assessment", actor=lead)
    save(sa, lead, assessed(sa))
    audits.finalize(sa, actor=lead)
    sa = _reload(sa)
    assert (sa.state, sa.verdict) == ("definitief", None)


def test_a_self_assessment_still_needs_k8_and_k9_judged(network, lead):
    sa = start(network, "self_assessment", actor=lead)
    with pytest.raises(InvalidInput) as raised:
        audits.finalize(sa, actor=lead)
    assert set(raised.value.errors) == {f"result_{_finding(sa, 'K8').criterion_id}",
                                        f"result_{_finding(sa, 'K9').criterion_id}"}
    assert "zelfevaluatie definitief maakt" in raised.value.errors[f"result_{_finding(sa, 'K8').criterion_id}"]


def test_saving_and_finalizing_in_one_go_commits_once(network, commits):
    audit = start(network)
    commits.clear()
    save(audit, network.coordinator, assessed(audit), verdict="positief", notes="Alles op orde", finalize=True)
    assert len(commits) == 1
    audit = _reload(audit)
    assert (audit.state, audit.verdict, audit.notes, _finding(audit, "K9").result) == (
        "definitief", "positief", "Alles op orde", "pass")
    assert audit.finalized_at is not None


def test_saving_and_finalizing_stores_nothing_when_it_cannot_be_finalized(network, commits):
    audit = start(network)
    commits.clear()
    with pytest.raises(InvalidInput) as raised:
        save(audit, network.coordinator, assessed(audit, "pass", "not_assessed"), verdict="positief",
             notes="Bijna klaar", finalize=True)
    assert list(raised.value.errors) == [f"result_{_finding(audit, 'K9').criterion_id}"]
    assert commits == []
    audit = _reload(audit)
    assert (audit.state, audit.verdict, audit.notes, _finding(audit, "K8").result) == (
        "concept", None, None, "not_assessed")


def test_the_finalize_check_sees_the_changes_made_in_the_same_call(network):
    """K8/K9 were assessed earlier; un-assessing one while finalizing must be refused."""
    audit = start(network)
    save(audit, network.coordinator, assessed(audit), verdict="positief")
    with pytest.raises(InvalidInput):
        save(audit, network.coordinator, assessed(audit, "pass", "not_assessed"), verdict="positief", finalize=True)
    assert _reload(audit).state == "concept"


@pytest.mark.parametrize("kind", ["audit", "self_assessment"])
def test_a_final_audit_is_immutable(network, lead, commits, kind):
    actor = network.coordinator if kind == "audit" else lead
    audit = start(network, kind, actor=actor)
    save(audit, actor, assessed(audit), verdict="positief", finalize=True)
    label = "audit" if kind == "audit" else "zelfevaluatie"
    commits.clear()
    with pytest.raises(Conflict) as raised:
        save(audit, actor, assessed(audit, "fail", "fail"), verdict="negatief")
    assert raised.value.message == f"Deze {label} is definitief en kan niet meer worden gewijzigd."
    with pytest.raises(Conflict):
        audits.finalize(audit, actor=actor)
    assert commits == []
    audit = _reload(audit)
    assert (audit.verdict, _finding(audit, "K8").result) == ("positief", "pass")


# ---------------------------------------------------------------- reading

@pytest.fixture()
def history(network, lead):
    """Utrecht: a final audit, a concept audit, a final and a concept self-assessment; Eemland: a final audit."""
    final = start(network)
    save(final, network.coordinator, assessed(final), verdict="positief", audit_date="2026-10-01", finalize=True)
    concept = start(network)
    sa_final = start(network, "self_assessment", actor=lead)
    save(sa_final, lead, assessed(sa_final), audit_date="2026-09-01", finalize=True)
    sa_concept = start(network, "self_assessment", actor=lead)
    other = start(network, loket=network.loket_eemland)
    save(other, network.coordinator, assessed(other), verdict="negatief", finalize=True)
    return {"final": final.id, "concept": concept.id, "sa_final": sa_final.id, "sa_concept": sa_concept.id,
            "other": other.id}


@pytest.mark.parametrize("who, visible", [
    ("coordinator", ["concept", "final", "sa_final"]),
    ("beheerder", ["concept", "final", "sa_final"]),
    ("ondersteuner", ["sa_concept", "final", "sa_final"]),
    ("lead", ["sa_concept", "final", "sa_final"]),
    ("ondersteuner_eemland", []),
    ("bondsspecialist", []),
    ("club_contact", []),
])
def test_who_reads_which_audits_of_a_loket(network, lead, history, who, visible):
    viewer = lead if who == "lead" else getattr(network, who)
    listed = [a.id for a in audits.audits_of(network.loket_utrecht.id, viewer=viewer)]
    assert listed == [history[name] for name in visible]  # newest first: by date, then id
    for name, audit_id in history.items():
        if name == "other":
            continue
        if name in visible:
            assert audits.get_audit_for(viewer, audit_id).id == audit_id
        else:
            with pytest.raises(NotFound) as raised:
                audits.get_audit_for(viewer, audit_id)
            assert raised.value.message == audits.NOT_FOUND_MESSAGE


def test_a_loket_never_reads_another_lokets_audit(network, lead, history):
    for viewer in (network.ondersteuner, lead):
        with pytest.raises(NotFound):
            audits.get_audit_for(viewer, history["other"])
    assert audits.get_audit_for(network.ondersteuner_eemland, history["other"]).id == history["other"]


@pytest.mark.parametrize("audit_id", [424242, "abc", None])
def test_an_unknown_audit_is_not_found(network, audit_id):
    with pytest.raises(NotFound):
        audits.get_audit_for(network.coordinator, audit_id)


def test_latest_self_assessment_is_the_newest_final_one_unless_asked(network, lead, history):
    assert audits.latest_self_assessment(network.loket_utrecht.id).id == history["sa_final"]
    assert audits.latest_self_assessment(network.loket_utrecht.id, final_only=False).id == history["sa_concept"]
    assert audits.latest_self_assessment(network.loket_eemland.id) is None


def test_audit_overview_lists_every_loket_with_its_latest_final_audit_and_open_concept(network, history):
    rows = {row.loket.name: row for row in audits.audit_overview()}
    assert list(rows) == ["Sportloket Bunnik", "Sportloket Eemland", "Sportloket Utrecht"]
    assert (rows["Sportloket Utrecht"].latest.id, rows["Sportloket Utrecht"].concept.id) == (
        history["final"], history["concept"])
    assert (rows["Sportloket Eemland"].latest.id, rows["Sportloket Eemland"].concept) == (history["other"], None)
    assert (rows["Sportloket Bunnik"].latest, rows["Sportloket Bunnik"].concept) == (None, None)


def _measure(loket, code, period, value, passed):
    MeasurementFactory(loket=loket, code=code, period=period, value=value, passed=passed)
    _db.session.commit()


def test_latest_measurements_are_the_newest_per_criterion_of_the_loket(network):
    utrecht = network.loket_utrecht
    _measure(utrecht, "K2", date(2026, 9, 1), 0.95, True)
    _measure(utrecht, "K2", date(2026, 10, 1), 0.80, False)
    _measure(utrecht, "K6", date(2026, 9, 1), 3, True)
    _measure(network.loket_eemland, "K2", date(2026, 11, 1), 1.0, True)
    latest = audits.latest_measurements(utrecht.id, [_criterion(c).id for c in ("K1", "K2", "K6")])
    assert {m.criterion.code: (m.period, m.value, m.passed) for m in latest.values()} == {
        "K2": (date(2026, 10, 1), 0.80, False), "K6": (date(2026, 9, 1), 3, True)}
    assert audits.latest_measurements(utrecht.id, []) == {}


# ---------------------------------------------------------------- waar staan we


def test_standing_gives_one_improvement_per_failing_criterion(network):
    utrecht = network.loket_utrecht
    for code in METRIC_CODES:
        _measure(utrecht, code, date(2026, 10, 1), 1, code not in ("K1", "K6"))
    result = audits.standing(utrecht.id, today=TODAY)
    assert result.voldoet is False
    assert [(i.code, i.reason, i.advice) for i in result.improvements] == [
        ("K1", "Voldoet niet in de laatste meting.", "Laat de contactgegevens en openingstijden nakijken en leg de "
                                                     "datum vast."),
        ("K6", "Voldoet niet in de laatste meting.", "Zorg voor een tweede actieve clubondersteuner."),
        ("K8", "Nog geen audit.", audits.ASSESSMENT_ADVICE["K8"]),
        ("K9", "Nog geen audit.", audits.ASSESSMENT_ADVICE["K9"]),
        (None, "Er is nog geen afgeronde audit.", audits.NO_AUDIT_ADVICE),
    ]
    rows = {row.criterion.code: row for row in result.criteria}
    assert (rows["K6"].passed, rows["K6"].measurement.value) == (False, 1)
    assert rows["K8"].finding is None


def test_standing_of_a_loket_that_voldoet_has_nothing_to_improve(network):
    utrecht = network.loket_utrecht
    for code in METRIC_CODES:
        _measure(utrecht, code, date(2026, 10, 1), 1, True)
    audit = start(network)
    save(audit, network.coordinator, assessed(audit), verdict="positief", finalize=True)
    result = audits.standing(utrecht.id, today=TODAY)
    assert result.voldoet is True and result.improvements == []
    assert result.latest_audit.id == audit.id
    assert {row.criterion.code: row.finding.evidence for row in result.criteria if row.finding and
            row.criterion.kind == "assessment"} == {"K8": "Onderbouwing K8", "K9": "Onderbouwing K9"}


def test_standing_after_a_negative_audit_says_to_discuss_it(network):
    utrecht = network.loket_utrecht
    for code in METRIC_CODES:
        _measure(utrecht, code, date(2026, 10, 1), 1, True)
    audit = start(network)
    save(audit, network.coordinator, assessed(audit, "pass", "fail"), verdict="negatief", finalize=True)
    result = audits.standing(utrecht.id, today=TODAY)
    assert [(i.code, i.reason) for i in result.improvements] == [
        ("K9", "Afgekeurd in de laatste audit."), (None, "Het oordeel van de laatste audit is niet positief.")]
    assert result.improvements[-1].advice == audits.NEGATIVE_AUDIT_ADVICE


def test_an_unknown_metric_or_assessment_gets_generic_advice(network):
    specs = criteria_service.specs_of(criteria_service.current_set(TODAY))
    specs.append(criteria_service.CriterionSpec("K11", "Vindbaar in de gemeentegids", "assessment",
                                                description="Het loket staat in de gemeentegids."))
    criteria_service.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs,
                                 actor=network.coordinator)
    result = audits.standing(network.loket_utrecht.id, today=date(2027, 1, 2))
    advice = next(i.advice for i in result.improvements if i.code == "K11")
    assert advice == "Werk aan ‘Vindbaar in de gemeentegids’: Het loket staat in de gemeentegids."
