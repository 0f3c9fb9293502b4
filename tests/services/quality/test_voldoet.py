"""voldoet.evaluate: a loket voldoet only when every metric criterion passed in its latest measurement, K8 and
K9 passed in its latest final audit, and that audit's verdict is positief. Each way to fail, on its own."""
from datetime import date

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Audit, AuditFinding, Criterion, Measurement
from loket.services.quality import criteria as criteria_service
from loket.services.quality import voldoet
from tests.factories import AuditFactory, LoketFactory, MeasurementFactory
from tests.support.db import count_queries
from tests.support.lookups import ASSESSMENT_CODES, METRIC_CODES, criteria_set

TODAY = date(2026, 11, 24)
OCTOBER, NOVEMBER, SEPTEMBER = date(2026, 10, 1), date(2026, 11, 1), date(2026, 9, 1)


def measure(loket, code, passed, *, period=OCTOBER, value=1.0, version="2026.1"):
    MeasurementFactory(loket=loket, code=code, version=version, period=period, value=value, passed=passed)
    _db.session.commit()


def make_audit(loket, author, *, results=None, verdict="positief", kind="audit", state="definitief",
               audit_date=OCTOBER, version="2026.1") -> Audit:
    """An audit with a finding per criterion of the set: K8/K9 pass unless `results` says otherwise."""
    audit = AuditFactory(loket=loket, author=author, results=results or {}, verdict=verdict, kind=kind,
                         state=state, audit_date=audit_date, version=version)
    _db.session.commit()
    return audit


def meets_everything(network, loket, *, period=OCTOBER, version="2026.1"):
    for code in METRIC_CODES:
        measure(loket, code, True, period=period, version=version)
    return make_audit(loket, network.coordinator)


def evaluate(loket, today=TODAY):
    return voldoet.evaluate([loket.id], today=today)[loket.id]


def _latest(loket, code):
    return _db.session.scalar(select(Measurement).join(Criterion).where(
        Measurement.loket_id == loket.id, Criterion.code == code).order_by(Measurement.period.desc()).limit(1))


# ---------------------------------------------------------------- passing

def test_a_loket_passing_every_criterion_with_a_positive_audit_voldoet(network):
    audit = meets_everything(network, network.loket_utrecht)
    result = evaluate(network.loket_utrecht)
    assert result.voldoet is True
    assert result.reasons == []
    assert result.criteria == {code: True for code in (*METRIC_CODES, *ASSESSMENT_CODES)}
    assert (result.audit_id, result.audit_verdict) == (audit.id, "positief")


def test_an_older_failed_measurement_is_overruled_by_a_newer_pass(network):
    loket = network.loket_utrecht
    measure(loket, "K2", False, period=SEPTEMBER, value=0.5)
    meets_everything(network, loket)  # October: everything passes
    result = evaluate(loket)
    assert result.criteria["K2"] is True
    assert result.voldoet is True


# ---------------------------------------------------------------- each way to fail, on its own

def test_a_failed_metric_fails(network):
    meets_everything(network, network.loket_utrecht)
    _latest(network.loket_utrecht, "K2").passed = False
    _db.session.commit()
    result = evaluate(network.loket_utrecht)
    assert result.voldoet is False
    assert result.criteria["K2"] is False
    assert result.reasons == ["K2: voldoet niet in de laatste meting."]


def test_a_metric_that_is_not_measurable_fails(network):
    meets_everything(network, network.loket_utrecht)
    measurement = _latest(network.loket_utrecht, "K5")
    measurement.passed, measurement.value = None, None  # fewer than 10 satisfaction answers
    _db.session.commit()
    result = evaluate(network.loket_utrecht)
    assert result.voldoet is False
    assert result.criteria["K5"] is None
    assert result.reasons == ["K5: nog niet gemeten of niet meetbaar."]


def test_a_metric_that_was_never_measured_fails(network):
    meets_everything(network, network.loket_utrecht)
    _db.session.delete(_latest(network.loket_utrecht, "K7"))
    _db.session.commit()
    result = evaluate(network.loket_utrecht)
    assert result.voldoet is False
    assert result.criteria["K7"] is None
    assert result.reasons == ["K7: nog niet gemeten of niet meetbaar."]


def test_the_latest_measurement_wins_over_an_older_pass(network):
    meets_everything(network, network.loket_utrecht)  # October passes
    measure(network.loket_utrecht, "K1", False, period=NOVEMBER, value=200)
    result = evaluate(network.loket_utrecht)
    assert result.criteria["K1"] is False
    assert result.reasons == ["K1: voldoet niet in de laatste meting."]


def test_the_latest_measurement_wins_even_when_it_is_not_measurable(network):
    meets_everything(network, network.loket_utrecht)
    measure(network.loket_utrecht, "K3", None, period=NOVEMBER, value=None)
    assert evaluate(network.loket_utrecht).reasons == ["K3: nog niet gemeten of niet meetbaar."]


def test_a_failed_k8_in_the_latest_audit_fails(network):
    loket = network.loket_utrecht
    meets_everything(network, loket)
    finding = _db.session.scalar(select(AuditFinding).join(Criterion).where(Criterion.code == "K8"))
    finding.result = "fail"
    _db.session.commit()
    result = evaluate(loket)
    assert result.voldoet is False
    assert result.criteria["K8"] is False
    assert result.reasons == ["K8: afgekeurd in de laatste audit."]


def test_k9_not_assessed_in_the_latest_audit_fails(network):
    loket = network.loket_utrecht
    for code in METRIC_CODES:
        measure(loket, code, True)
    make_audit(loket, network.coordinator, results={"K9": "not_assessed"})
    result = evaluate(loket)
    assert result.voldoet is False
    assert result.criteria["K9"] is None
    assert result.reasons == ["K9: niet beoordeeld in de laatste audit."]


def test_without_any_audit_it_fails(network):
    loket = network.loket_utrecht
    for code in METRIC_CODES:
        measure(loket, code, True)
    result = evaluate(loket)
    assert result.voldoet is False
    assert (result.criteria["K8"], result.criteria["K9"]) == (None, None)
    assert result.audit_id is None and result.audit_verdict is None
    assert result.reasons == ["K8: nog geen audit.", "K9: nog geen audit.", "Er is nog geen afgeronde audit."]


def test_a_negative_latest_audit_fails_even_after_an_older_positive_one(network):
    loket = network.loket_utrecht
    meets_everything(network, loket)  # positief, October
    latest = make_audit(loket, network.coordinator, verdict="negatief", audit_date=NOVEMBER)
    result = evaluate(loket)
    assert result.voldoet is False
    assert (result.audit_id, result.audit_verdict) == (latest.id, "negatief")
    assert result.criteria["K8"] is True  # the findings pass; the verdict does not
    assert result.reasons == ["Het oordeel van de laatste audit is niet positief."]


def test_a_positive_latest_audit_counts_after_an_older_negative_one(network):
    loket = network.loket_utrecht
    for code in METRIC_CODES:
        measure(loket, code, True)
    make_audit(loket, network.coordinator, verdict="negatief", results={"K8": "fail"}, audit_date=SEPTEMBER)
    latest = make_audit(loket, network.coordinator, audit_date=OCTOBER)
    result = evaluate(loket)
    assert result.voldoet is True
    assert result.audit_id == latest.id


def test_of_two_audits_on_the_same_day_the_later_one_counts(network):
    loket = network.loket_utrecht
    meets_everything(network, loket)
    later = make_audit(loket, network.coordinator, verdict="negatief")
    assert evaluate(loket).audit_id == later.id


@pytest.mark.parametrize("kind, state", [("audit", "concept"), ("self_assessment", "definitief"),
                                         ("self_assessment", "concept")])
def test_a_concept_audit_or_a_self_assessment_does_not_count(network, kind, state):
    loket = network.loket_utrecht
    for code in METRIC_CODES:
        measure(loket, code, True)
    make_audit(loket, network.coordinator, kind=kind, state=state)  # positive and passing, but not an audit
    result = evaluate(loket)
    assert result.voldoet is False
    assert result.audit_id is None
    assert "Er is nog geen afgeronde audit." in result.reasons


@pytest.mark.parametrize("kind, state", [("audit", "concept"), ("self_assessment", "definitief")])
def test_a_newer_concept_or_self_assessment_does_not_overrule_the_final_audit(network, kind, state):
    loket = network.loket_utrecht
    audit = meets_everything(network, loket)
    make_audit(loket, network.coordinator, kind=kind, state=state, verdict="negatief",
               results={"K8": "fail", "K9": "fail"}, audit_date=NOVEMBER)
    result = evaluate(loket)
    assert result.voldoet is True
    assert result.audit_id == audit.id


def _publish_2027(network):
    specs = criteria_service.specs_of(criteria_set())
    return criteria_service.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs,
                                        actor=network.coordinator)


def test_an_audit_against_an_older_set_still_counts_for_the_same_codes(network):
    loket = network.loket_utrecht
    make_audit(loket, network.coordinator, version="2026.1")
    _publish_2027(network)
    for code in METRIC_CODES:
        measure(loket, code, True, period=date(2027, 1, 1), version="2027.1")
    result = evaluate(loket, today=date(2027, 2, 1))
    assert result.voldoet is True
    assert (result.criteria["K8"], result.criteria["K9"]) == (True, True)


def test_measurements_count_only_for_the_criteria_of_the_current_set(network):
    """A new version may change a threshold: a pass measured against the old one says nothing."""
    loket = network.loket_utrecht
    meets_everything(network, loket, version="2026.1")
    _publish_2027(network)
    result = evaluate(loket, today=date(2027, 2, 1))
    assert result.voldoet is False
    assert result.criteria["K1"] is None
    assert evaluate(loket, today=date(2026, 12, 31)).voldoet is True  # still 2026.1 in force


def test_without_a_criteria_set_no_loket_voldoet(network):
    meets_everything(network, network.loket_utrecht)
    result = evaluate(network.loket_utrecht, today=date(2025, 6, 1))  # before 2026.1 is in force
    assert result.voldoet is False
    assert result.reasons == ["Er is nog geen landelijke criteriaset vastgesteld."]


# ---------------------------------------------------------------- several loketten at once

def test_each_loket_is_judged_on_its_own_measurements_and_audits(network):
    utrecht, eemland = network.loket_utrecht, network.loket_eemland
    meets_everything(network, utrecht)
    for code in METRIC_CODES:
        measure(eemland, code, code != "K6")
    make_audit(eemland, network.coordinator, verdict="negatief", results={"K9": "fail"})
    results = voldoet.evaluate([utrecht.id, eemland.id, network.loket_bunnik.id], today=TODAY)
    assert results[utrecht.id].voldoet is True
    assert results[eemland.id].reasons == ["K6: voldoet niet in de laatste meting.",
                                           "K9: afgekeurd in de laatste audit.",
                                           "Het oordeel van de laatste audit is niet positief."]
    assert results[network.loket_bunnik.id].criteria == {code: None for code in (*METRIC_CODES, *ASSESSMENT_CODES)}


def test_evaluate_of_no_loketten_is_empty(network):
    assert voldoet.evaluate([], today=TODAY) == {}


def test_evaluate_uses_the_same_number_of_queries_for_one_or_six_loketten(app, network):
    loketten = [network.loket_utrecht, network.loket_eemland, *(LoketFactory() for _ in range(4))]
    for i, loket in enumerate(loketten):
        meets_everything(network, loket)
        measure(loket, "K2", i % 2 == 0, period=NOVEMBER)
        make_audit(loket, network.coordinator, audit_date=NOVEMBER, verdict="negatief" if i % 3 else "positief")
    ids = [loket.id for loket in loketten]
    _db.session.expire_all()
    with count_queries(app) as one:
        single = voldoet.evaluate(ids[:1], today=TODAY)
    _db.session.expire_all()
    with count_queries(app) as six:
        several = voldoet.evaluate(ids, today=TODAY)
    assert len(six) == len(one), "\n".join(six)
    assert single[ids[0]].voldoet is True
    assert [several[loket_id].voldoet for loket_id in ids] == [True, False, False, False, False, False]
