"""Correcting a published criteria version that is not yet in force: edited in place with the same validation
as publishing, who and when recorded; a version in force (or already measured or audited against) never changes."""
from dataclasses import replace
from datetime import date

import pytest

from loket.extensions import db as _db
from loket.services.errors import Conflict, InvalidInput
from loket.services.quality import criteria
from loket.services.quality.criteria import CriterionSpec
from tests.factories import AuditFactory, MeasurementFactory

TODAY = date(2026, 12, 1)


@pytest.fixture()
def future(network):
    """Version 2027.1, valid from 1 January 2027: the seed set's criteria."""
    specs = criteria.specs_of(criteria.current_set(TODAY))
    return criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs,
                                actor=network.coordinator, notes="Eerste versie")


def _snapshot(criteria_set):
    _db.session.expire_all()
    return (criteria_set.valid_from, criteria_set.notes, len(criteria_set.corrections),
            [(c.id, c.code, c.title, c.description, c.threshold, c.comparison, c.window_days, c.min_count, c.position)
             for c in criteria.get_set(criteria_set.id).criteria])


def test_correcting_a_future_version_edits_it_in_place_and_records_who(network, future):
    specs = [s for s in criteria.specs_of(future) if s.code != "K7"]  # retire K7
    specs[1] = replace(specs[1], threshold=0.95, comparison=">", title="Snellere eerste reactie",
                       description="Nieuwe omschrijving")
    specs.append(CriterionSpec("K11", "Vertrouwenspersoon bekend", "assessment"))
    k2_id = next(c.id for c in future.criteria if c.code == "K2")

    corrected = criteria.correct_set(future, valid_from=date(2027, 2, 1), criteria=specs, actor=network.coordinator,
                                     notes="Gecorrigeerd", today=TODAY)

    _db.session.expire_all()
    corrected = criteria.get_set(corrected.id)
    assert (corrected.version, corrected.valid_from, corrected.notes) == ("2027.1", date(2027, 2, 1), "Gecorrigeerd")
    [correction] = corrected.corrections
    assert correction.corrected_by_id == network.coordinator.id and correction.corrected_at is not None
    assert {(c["field"], c["code"]) for c in correction.changes} == {
        ("valid_from", None), ("notes", None), ("retired", "K7"), ("added", "K11"), ("threshold", "K2"),
        ("comparison", "K2"), ("title", "K2"), ("description", "K2")}
    threshold = next(c for c in correction.changes if c["field"] == "threshold")
    assert (threshold["from"], threshold["to"], threshold["metric"]) == (0.9, 0.95, "first_response_within_sla")
    assert [c.code for c in corrected.criteria] == ["K1", "K2", "K3", "K4", "K5", "K6", "K8", "K9", "K10", "K11"]
    assert [c.position for c in corrected.criteria] == list(range(10))
    k2 = corrected.criteria[1]
    assert (k2.id, k2.threshold, k2.comparison, k2.title, k2.description) == \
        (k2_id, 0.95, ">", "Snellere eerste reactie", "Nieuwe omschrijving")  # the same row, edited
    assert criteria.current_set(TODAY).version == "2026.1"
    old_k2 = next(c for c in criteria.current_set(TODAY).criteria if c.code == "K2")
    assert (old_k2.threshold, old_k2.title) == (0.9, "Snelle eerste reactie")  # the version in force is untouched


def test_valid_from_may_move_to_today_but_not_into_the_past(network, future):
    specs = criteria.specs_of(future)
    before = _snapshot(future)
    with pytest.raises(InvalidInput) as raised:
        criteria.correct_set(future, valid_from=date(2026, 11, 30), criteria=specs, actor=network.coordinator,
                             today=TODAY)
    assert "verleden" in raised.value.errors["valid_from"]
    assert _snapshot(future) == before
    criteria.correct_set(future, valid_from=TODAY, criteria=specs, actor=network.coordinator, today=TODAY)
    assert criteria.current_set(TODAY).version == "2027.1"


@pytest.mark.parametrize("specs, field", [
    ([], "criteria"),
    ([CriterionSpec("K1", "t", "assessment"), CriterionSpec("K1", "u", "assessment")], "criteria"),
    ([CriterionSpec("K1", "", "assessment")], "criteria.K1"),
    ([CriterionSpec("K1", "t", "metric", "no_such_metric", 1)], "criteria.K1"),
    ([CriterionSpec("K1", "t", "metric", "club_reach", None)], "criteria.K1"),
    ([CriterionSpec("K1", "t", "metric", "club_reach", 1, "~")], "criteria.K1"),
    ([CriterionSpec("K1", "t", "metric", "club_reach", 1.5)], "criteria.K1"),  # 150 %
])
def test_invalid_corrections_are_refused_in_dutch_and_nothing_changes(network, future, specs, field):
    before = _snapshot(future)
    with pytest.raises(InvalidInput) as raised:
        criteria.correct_set(future, valid_from=date(2027, 1, 1), criteria=specs, actor=network.coordinator,
                             today=TODAY)
    assert field in raised.value.errors
    _db.session.rollback()
    assert _snapshot(future) == before


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2027, 3, 1)])
def test_a_version_in_force_is_never_changed(network, future, today):
    before = _snapshot(future)
    with pytest.raises(Conflict) as raised:
        criteria.correct_set(future, valid_from=date(2027, 6, 1), criteria=criteria.specs_of(future),
                             actor=network.coordinator, today=today)
    assert raised.value.status_code == 409
    assert "Versie 2027.1 is van kracht sinds 01-01-2027" in raised.value.message
    assert _snapshot(future) == before


def test_the_seed_set_in_force_is_refused(network):
    seed = criteria.current_set(TODAY)
    with pytest.raises(Conflict):
        criteria.correct_set(seed, valid_from=date(2027, 1, 1), criteria=criteria.specs_of(seed),
                             actor=network.coordinator, today=TODAY)


@pytest.mark.parametrize("made", ["measurement", "audit"])
def test_a_version_already_measured_or_audited_against_is_refused(network, future, made):
    if made == "measurement":
        k2 = next(c for c in future.criteria if c.code == "K2")
        MeasurementFactory(loket=network.loket_utrecht, criterion=k2, period=date(2026, 12, 1), value=0.9,
                           passed=True, details={})
    else:
        AuditFactory(loket=network.loket_utrecht, version="2027.1")
    _db.session.commit()
    before = _snapshot(future)
    with pytest.raises(Conflict) as raised:
        criteria.correct_set(future, valid_from=date(2027, 1, 1), criteria=criteria.specs_of(future)[:3],
                             actor=network.coordinator, today=TODAY)
    assert "al gemeten of geaudit" in raised.value.message
    assert _snapshot(future) == before
