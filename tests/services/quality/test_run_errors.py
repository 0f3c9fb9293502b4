"""Who reads why a quality run failed (the overview page only shows what runs.error_shown_to returns)."""
from loket.models import QualityRun
from loket.services.quality.runs import error_shown_to
from tests.factories import make_user


def test_beheer_reads_the_error_of_a_failed_run(db):
    assert error_shown_to(QualityRun(state="failed", error="No criteria set"), make_user("beheer")) == \
        "No criteria set"


def test_the_coordinatiepunt_does_not_read_the_error(db):
    assert error_shown_to(QualityRun(state="failed", error="No criteria set"), make_user("coordinatiepunt")) is None


def test_no_run_or_no_error_shows_nothing(db):
    beheer = make_user("beheer")
    assert error_shown_to(None, beheer) is None
    assert error_shown_to(QualityRun(state="done", error=None), beheer) is None
