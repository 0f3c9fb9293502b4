"""Thresholds per metric unit: percentages typed as percentages and stored as a share, and the range of each
unit checked when a version is published (Dutch messages, nothing stored)."""
from dataclasses import replace
from datetime import date

import pytest

from loket.services.errors import InvalidInput
from loket.services.quality import criteria


@pytest.mark.parametrize("metric, typed, stored", [
    ("first_response_within_sla", 90, 0.9),
    ("first_response_within_sla", 90.5, 0.905),
    ("first_response_within_sla", 0.5, 0.005),  # a percentage however small: typed and shown the same way
    ("first_response_within_sla", 1, 0.01),
    ("first_response_within_sla", 100, 1.0),
    ("contact_reviewed_days", 183, 183),
    ("mean_satisfaction", 4, 4),
    ("first_response_within_sla", None, None),
])
def test_stored_threshold(metric, typed, stored):
    assert criteria.stored_threshold(metric, typed) == stored


def test_shown_threshold_is_the_percentage():
    assert criteria.shown_threshold("first_response_within_sla", 0.9) == 90
    assert criteria.shown_threshold("basiseisen_known", 0.905) == 90.5
    assert criteria.shown_threshold("contact_reviewed_days", 183.0) == 183


def _with(specs, code, **changes):
    return [replace(s, **changes) if s.code == code else s for s in specs]


@pytest.mark.parametrize("code, threshold, message", [
    ("K2", 90, "K2: een percentage ligt tussen 0 en 100 %."),
    ("K2", -0.1, "K2: een percentage ligt tussen 0 en 100 %."),
    ("K5", 6, "K5: een score ligt tussen 1 en 5."),
    ("K5", 0.5, "K5: een score ligt tussen 1 en 5."),
    ("K1", -1, "K1: vul 0 of meer dagen in."),
    ("K3", -2, "K3: vul 0 of meer werkdagen in."),
    ("K6", -1, "K6: vul een aantal van 0 of meer in."),
])
def test_publishing_refuses_a_threshold_out_of_its_units_range(network, code, threshold, message):
    specs = _with(criteria.specs_of(criteria.current_set(date(2026, 11, 24))), code, threshold=threshold)
    with pytest.raises(InvalidInput) as caught:
        criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs, actor=network.coordinator)
    assert caught.value.errors[f"criteria.{code}"] == message
    assert [s.version for s in criteria.all_sets()] == ["2026.1"]


@pytest.mark.parametrize("code, threshold", [("K2", 0), ("K2", 1), ("K5", 1), ("K5", 5), ("K1", 0)])
def test_publishing_accepts_the_ends_of_each_range(network, code, threshold):
    specs = _with(criteria.specs_of(criteria.current_set(date(2026, 11, 24))), code, threshold=threshold)
    new = criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs,
                               actor=network.coordinator)
    assert next(c for c in new.criteria if c.code == code).threshold == threshold


@pytest.mark.parametrize("changes, message", [
    # Found by the hostile-input walk: 2**63 reached the database and answered 500.
    ({"min_count": 2**63}, "K1: een minimum aantal ligt tussen 0 en 100.000."),
    ({"min_count": -1}, "K1: een minimum aantal ligt tussen 0 en 100.000."),
    ({"window_days": 2**31}, "K1: een periode ligt tussen 0 en 3660 dagen."),
    ({"threshold": float("nan")}, "K1: vul als drempelwaarde een gewoon getal in."),
    ({"threshold": float("inf")}, "K1: vul als drempelwaarde een gewoon getal in."),
])
def test_publishing_refuses_a_period_count_or_threshold_no_database_can_hold(network, changes, message):
    specs = _with(criteria.specs_of(criteria.current_set(date(2026, 11, 24))), "K1", **changes)
    with pytest.raises(InvalidInput) as caught:
        criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs, actor=network.coordinator)
    assert caught.value.errors["criteria.K1"] == message
    assert [s.version for s in criteria.all_sets()] == ["2026.1"]


def test_publishing_refuses_control_characters_in_a_criterion_the_version_and_the_notes(network):
    """Found by the hostile-input walk on PostgreSQL, which refuses a NUL in text (500 before)."""
    current = criteria.specs_of(criteria.current_set(date(2026, 11, 24)))
    for specs, version, notes, field in ((_with(current, "K3", title="a\x00b"), "2027.1", None, "criteria.K3"),
                                         (_with(current, "K3", description="x\x1b[31m"), "2027.1", None, "criteria.K3"),
                                         (current, "2027\x00", None, "version"),
                                         (current, "2027.1", "toelichting\x07", "notes")):
        with pytest.raises(InvalidInput) as caught:
            criteria.publish_set(version=version, valid_from=date(2027, 1, 1), criteria=specs, notes=notes,
                                 actor=network.coordinator)
        assert "stuurtekens" in caught.value.errors[field], (field, caught.value.errors)
    assert [s.version for s in criteria.all_sets()] == ["2026.1"]
    # A line break in a description or the notes stays allowed.
    criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), notes="Regel 1\nRegel 2",
                         criteria=_with(current, "K3", description="Eén\nTwee"), actor=network.coordinator)
