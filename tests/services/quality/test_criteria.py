"""Criteria as versioned data: the seed set 2026.1, publishing new versions, comparisons."""
from datetime import date

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import CriteriaSet, Criterion
from loket.services.errors import InvalidInput
from loket.services.quality import criteria
from loket.services.quality.criteria import CriterionSpec
from loket.services.seed.criteria import seed_criteria


def test_seed_set_is_design_section_6(network):
    current = criteria.current_set(date(2026, 11, 24))
    assert current.version == "2026.1"
    table = {c.code: (c.kind, c.metric, c.threshold, c.comparison, c.min_count) for c in current.criteria}
    assert table == {
        "K1": ("metric", "contact_reviewed_days", 183, "<=", None),
        "K2": ("metric", "first_response_within_sla", 0.9, ">=", None),
        "K3": ("metric", "median_resolution_workdays", 15, "<=", None),
        "K4": ("metric", "referrals_decided_in_time", 0.9, ">=", None),
        "K5": ("metric", "mean_satisfaction", 4.0, ">=", 10),
        "K6": ("metric", "active_supporters", 2, ">=", None),
        "K7": ("metric", "club_reach", 0.10, ">=", None),
        "K8": ("assessment", None, None, ">=", None),
        "K9": ("assessment", None, None, ">=", None),
        "K10": ("metric", "basiseisen_known", 0.75, ">=", None),
    }


def test_seeding_twice_changes_nothing(network):
    assert seed_criteria() is False
    assert _db.session.scalar(select(func.count()).select_from(Criterion)) == 10


def test_publishing_a_new_version_keeps_the_old_one(network):
    old = criteria.current_set(date(2026, 11, 24))
    specs = [s for s in criteria.specs_of(old) if s.code != "K7"]  # retire K7
    specs[1] = CriterionSpec("K2", "Snelle eerste reactie", "metric", "first_response_within_sla", 0.95, ">=", 365)
    specs.append(CriterionSpec("K11", "Nieuw criterium", "assessment"))
    new = criteria.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs, actor=network.coordinator)
    assert criteria.current_set(date(2026, 12, 31)).version == "2026.1"
    assert criteria.current_set(date(2027, 1, 1)).id == new.id
    assert {c.code for c in new.criteria} == {f"K{i}" for i in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11)}
    assert next(c for c in new.criteria if c.code == "K2").threshold == 0.95
    _db.session.refresh(old)
    assert next(c for c in old.criteria if c.code == "K2").threshold == 0.9
    assert len(old.criteria) == 10


@pytest.mark.parametrize("version, specs, field", [
    ("2026.1", [CriterionSpec("K1", "t", "assessment")], "version"),
    ("", [CriterionSpec("K1", "t", "assessment")], "version"),
    ("2027.2", [], "criteria"),
    ("2027.3", [CriterionSpec("K1", "t", "assessment"), CriterionSpec("K1", "u", "assessment")], "criteria"),
    ("2027.4", [CriterionSpec("K1", "t", "metric", "no_such_metric", 1)], "criteria.K1"),
    ("2027.5", [CriterionSpec("K1", "t", "metric", "club_reach", None)], "criteria.K1"),
    ("2027.6", [CriterionSpec("K1", "t", "metric", "club_reach", 1, "~")], "criteria.K1"),
])
def test_invalid_versions_are_refused_with_dutch_messages(network, version, specs, field):
    with pytest.raises(InvalidInput) as raised:
        criteria.publish_set(version=version, valid_from=date(2027, 1, 1), criteria=specs, actor=network.coordinator)
    assert field in raised.value.errors
    assert _db.session.scalar(select(func.count()).select_from(CriteriaSet)) == 1


@pytest.mark.parametrize("value, comparison, threshold, expected", [
    (None, ">=", 1, None), (0.9, ">=", 0.9, True), (0.89, ">=", 0.9, False),
    (15, "<=", 15, True), (15.5, "<=", 15, False), (2, ">", 2, False), (1, "<", 2, True), (3, "==", 3, True),
])
def test_compare(value, comparison, threshold, expected):
    assert criteria.compare(value, comparison, threshold) is expected
