"""Quality runs (loket/services/quality/runs.py), their job (workers/quality.py), the nightly scheduler slot
and `flask quality recompute`.

The network has 3 loketten and the seed set 2026.1 has 8 metric criteria (K1–K7, K10), so a complete
run stores 3 × 8 = 24 measurements per month. With nothing filed, the hand-computed outcome per loket is:
K1 never reviewed → fail; K2, K3, K5 nothing to measure → not measurable; K4 nothing referred → pass;
K6 Utrecht 2 supporters → pass, Eemland 1 and Bunnik 0 → fail; K7 and K10 one club each, no request,
nothing known → fail.
"""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.jobs import resolve
from loket.models import Measurement, OutboxMessage, PeriodicTask, QualityRun
from loket.models.base import utcnow
from loket.services import scheduler
from loket.services.messaging import outbox
from loket.services.quality import metrics, runs
from loket.services.quality.criteria import current_set
from tests.support.db import count_rows
from workers.quality import nightly_recompute, recompute_quality

JULY = datetime(2026, 7, 15, 12)
JUNE = datetime(2026, 6, 15, 12)


def _count(model, *where) -> int:
    return count_rows(model, *where)


def _measurements(period: date) -> dict[tuple[int, str], Measurement]:
    _db.session.expire_all()
    rows = _db.session.scalars(select(Measurement).where(Measurement.period == period))
    return {(m.loket_id, m.criterion.code): m for m in rows}


def _outbox_row(run) -> OutboxMessage:
    return _db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == f"quality-run:{run.id}"))


@pytest.fixture()
def no_dispatch(monkeypatch):
    """Leave outbox rows undelivered (as with a worker that has not picked them up yet); records the ids."""
    dispatched = []
    monkeypatch.setattr(outbox, "dispatch", dispatched.extend)
    return dispatched


# ---------------------------------------------------------------- requesting and computing

def test_request_writes_a_queued_run_and_its_job(network, no_dispatch):
    run = runs.request_recompute(actor=network.coordinator, as_of=JULY)

    assert (run.state, run.period, run.criteria_done, run.criteria_total) == ("queued", date(2026, 7, 1), 0, 8)
    assert run.requested_by_id == network.coordinator.id
    row = _outbox_row(run)
    assert (row.kind, row.name, row.queue, row.status) == ("job", "workers.quality.recompute_quality", "reports",
                                                           "pending")
    assert row.payload == {"args": [run.id, JULY.isoformat()]}
    assert no_dispatch == [row.id]  # handed to dispatch after the commit
    assert _count(Measurement) == 0
    assert resolve(row.name) is recompute_quality


def test_run_and_job_are_one_transaction(network, monkeypatch):
    def fail_at_commit():
        _db.session.flush()
        raise RuntimeError("database went away at commit")

    monkeypatch.setattr(runs, "commit", fail_at_commit)
    with pytest.raises(RuntimeError):
        runs.request_recompute(as_of=JULY)
    _db.session.rollback()

    assert (_count(QualityRun), _count(OutboxMessage)) == (0, 0)


def test_inline_request_computes_every_metric_for_every_loket(network):
    utrecht, eemland, bunnik = network.loket_utrecht.id, network.loket_eemland.id, network.loket_bunnik.id

    run = runs.request_recompute(as_of=JULY)

    _db.session.refresh(run)
    assert (run.state, run.criteria_done, run.criteria_total, run.error) == ("done", 8, 8, None)
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert _outbox_row(run).status == "sent"
    rows = _measurements(date(2026, 7, 1))
    assert len(rows) == 24
    assert {code: rows[(utrecht, code)].passed for code in ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K10")} == {
        "K1": False, "K2": None, "K3": None, "K4": True, "K5": None, "K6": True, "K7": False, "K10": False}
    assert (rows[(eemland, "K6")].value, rows[(eemland, "K6")].passed) == (1, False)
    assert (rows[(bunnik, "K6")].value, rows[(bunnik, "K6")].details) == (0, {"count": 0})


def test_the_job_computes_a_queued_run_once(network, no_dispatch):
    run = runs.request_recompute(as_of=JULY)
    row = _outbox_row(run)

    assert recompute_quality(*row.payload["args"]) == "done"
    first = {key: m.computed_at for key, m in _measurements(date(2026, 7, 1)).items()}
    # Delivered again (a redelivered outbox row): the run is done, so nothing is recomputed.
    assert recompute_quality(*row.payload["args"]) == "done"
    assert {key: m.computed_at for key, m in _measurements(date(2026, 7, 1)).items()} == first
    assert recompute_quality(999_999) is None


def test_the_job_measures_as_of_the_requested_moment(network, no_dispatch):
    # Reviewed on 1 June: as of 15 July that is 44 days; the run is computed later, but measures 15 July.
    network.loket_utrecht.contact_reviewed_at = datetime(2026, 6, 1, 12)
    _db.session.commit()
    run = runs.request_recompute(as_of=JULY)

    recompute_quality(*_outbox_row(run).payload["args"])

    assert _measurements(date(2026, 7, 1))[(network.loket_utrecht.id, "K1")].value == 44


def test_progress_is_committed_after_each_criterion(network, monkeypatch):
    # Before each criterion is measured, throw away whatever is not committed and look at what is.
    seen = []
    measure = metrics.measure

    def measure_after_rollback(criterion, as_of):
        _db.session.rollback()
        seen.append((_db.session.scalar(select(QualityRun.state)),
                     _db.session.scalar(select(QualityRun.criteria_done)), _count(Measurement)))
        return measure(criterion, as_of)

    monkeypatch.setattr(metrics, "measure", measure_after_rollback)
    run = runs.recompute_now(as_of=JULY)

    # Criterion i (0-based) starts with i criteria done and 3 × i measurements stored.
    assert seen == [("running", i, 3 * i) for i in range(8)]
    assert (run.state, run.criteria_done) == ("done", 8)


def test_recomputing_a_month_overwrites_its_rows(network):
    utrecht = network.loket_utrecht.id
    runs.recompute_now(as_of=JULY)
    before = _measurements(date(2026, 7, 1))
    ids = {key: m.id for key, m in before.items()}
    assert (before[(utrecht, "K1")].value, before[(utrecht, "K1")].passed) == (None, False)

    network.loket_utrecht.contact_reviewed_at = datetime(2026, 7, 1, 12)  # 14 days before JULY
    _db.session.commit()
    later = runs.recompute_now(as_of=JULY + timedelta(hours=1))

    after = _measurements(date(2026, 7, 1))
    assert later.state == "done"
    assert {key: m.id for key, m in after.items()} == ids  # same 24 rows, updated in place
    assert _count(Measurement) == 24
    assert (after[(utrecht, "K1")].value, after[(utrecht, "K1")].passed) == (14, True)
    assert after[(utrecht, "K1")].details == {"reviewed_at": "2026-07-01T12:00:00"}


def test_earlier_months_are_kept(network):
    utrecht = network.loket_utrecht.id
    network.loket_utrecht.contact_reviewed_at = datetime(2026, 6, 1, 12)
    _db.session.commit()
    runs.recompute_now(as_of=JUNE)  # 14 days after the review
    runs.recompute_now(as_of=JULY)  # 44 days after

    assert _count(Measurement) == 48
    assert _measurements(date(2026, 6, 1))[(utrecht, "K1")].value == 14
    assert _measurements(date(2026, 7, 1))[(utrecht, "K1")].value == 44


def test_a_failing_criterion_marks_the_run_failed_with_the_error(network, monkeypatch):
    measure = metrics.measure

    def measure_until_the_third(criterion, as_of):
        if criterion.code == "K3":
            raise RuntimeError("division by zero in the median")
        return measure(criterion, as_of)

    monkeypatch.setattr(metrics, "measure", measure_until_the_third)
    run = runs.recompute_now(as_of=JULY)

    _db.session.refresh(run)
    assert (run.state, run.criteria_done) == ("failed", 2)
    assert run.error == "RuntimeError: division by zero in the median"
    assert run.finished_at is not None
    assert {code for _, code in _measurements(date(2026, 7, 1))} == {"K1", "K2"}  # committed before the error


def test_a_run_without_a_criteria_set_in_force_fails(network):
    run = runs.recompute_now(as_of=datetime(2025, 12, 1))  # 2026.1 is valid from 1 January 2026

    assert run.state == "failed"
    assert "No criteria set in force on 2025-12-01" in run.error
    assert _count(Measurement) == 0


def test_a_running_run_is_left_alone_unless_its_worker_is_long_gone(network, no_dispatch):
    run = runs.request_recompute(as_of=JULY)
    run.state, run.started_at = "running", utcnow() - timedelta(minutes=5)
    _db.session.commit()

    assert runs.recompute(run.id).state == "running"  # another worker is busy with it
    assert _count(Measurement) == 0

    run.started_at = utcnow() - runs.STALE_AFTER - timedelta(minutes=1)
    _db.session.commit()

    assert runs.recompute(run.id).state == "done"  # its worker died: taken over
    assert _count(Measurement) == 24


def test_latest_run_is_the_newest_request(network, no_dispatch):
    assert runs.latest_run() is None
    runs.request_recompute(as_of=JUNE)
    newest = runs.request_recompute(as_of=JULY)

    assert runs.latest_run().id == newest.id


def test_outcomes_count_passes_fails_and_unmeasurable_per_criterion(network):
    run = runs.recompute_now(as_of=JULY)

    table = {o.code: (o.passed, o.failed, o.not_measurable) for o in runs.outcomes(run.period, current_set(JULY.date()))}

    assert table == {"K1": (0, 3, 0), "K2": (0, 0, 3), "K3": (0, 0, 3), "K4": (3, 0, 0), "K5": (0, 0, 3),
                     "K6": (1, 2, 0), "K7": (0, 3, 0), "K10": (0, 3, 0)}


# ---------------------------------------------------------------- the nightly slot

def test_the_nightly_slot_requests_one_run_per_night(network):
    nightly = next(task for task in scheduler.PERIODIC if task.name == "quality_recompute")
    assert (nightly.job, nightly.queue, nightly.every) == ("workers.quality.nightly_recompute", "reports",
                                                           timedelta(hours=24))
    assert resolve(nightly.job) is nightly_recompute
    evening = datetime(2026, 7, 14, 22)
    one_am = datetime.combine(date(2026, 7, 15), nightly.at)

    # A scheduler started in the evening does not start the quality run at once, but at 01:00.
    assert "quality_recompute" not in scheduler.run_due(evening)
    assert _db.session.get(PeriodicTask, "quality_recompute").next_run_at == one_am
    assert _count(QualityRun) == 0
    assert "quality_recompute" in scheduler.run_due(one_am + timedelta(minutes=3))  # a late tick still runs it
    assert "quality_recompute" not in scheduler.run_due(one_am + timedelta(minutes=10))
    # The next slot is the next 01:00, not 24 hours after the late tick.
    assert _db.session.get(PeriodicTask, "quality_recompute").next_run_at == one_am + timedelta(days=1)

    run = runs.latest_run()
    assert _count(QualityRun) == 1 and run.state == "done"  # inline: requested and computed
    assert "quality_recompute" in scheduler.run_due(one_am + timedelta(days=1))
    assert _count(QualityRun) == 2


def test_an_anchored_slot_is_the_next_time_of_day():
    nightly = scheduler.Periodic("n", "workers.quality.nightly_recompute", timedelta(hours=24), at=time(1, 0))
    assert nightly.next_slot(datetime(2026, 7, 15, 0, 59)) == datetime(2026, 7, 15, 1, 0)
    assert nightly.next_slot(datetime(2026, 7, 15, 1, 0)) == datetime(2026, 7, 16, 1, 0)
    assert nightly.next_slot(datetime(2026, 7, 15, 23, 0)) == datetime(2026, 7, 16, 1, 0)
    every_five = scheduler.Periodic("s", "x.y", timedelta(minutes=5))
    assert every_five.next_slot(datetime(2026, 7, 15, 0, 59)) == datetime(2026, 7, 15, 1, 4)


# ---------------------------------------------------------------- flask quality recompute

def test_cli_recompute_prints_a_dutch_summary(network, runner):
    result = runner.invoke(args=["quality", "recompute", "--as-of", "2026-07-15"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Kwaliteitsmeting 1 klaar: periode 2026-07, peilmoment 2026-07-15 00:00 UTC, 8 criteria."
    summary = {line.split()[0]: line for line in lines[1:]}
    assert list(summary) == ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K10"]
    assert summary["K6"].startswith("  K6   Continuïteit")
    assert summary["K6"].endswith("1 van 3 loketten voldoen (2 niet, 0 niet meetbaar)")
    assert summary["K4"].endswith("3 van 3 loketten voldoen (0 niet, 0 niet meetbaar)")
    assert summary["K2"].endswith("0 van 3 loketten voldoen (0 niet, 3 niet meetbaar)")
    assert _count(Measurement, Measurement.period == date(2026, 7, 1)) == 24
    assert _count(OutboxMessage) == _count(OutboxMessage, OutboxMessage.name != runs.RECOMPUTE_JOB)  # no job


def test_cli_recompute_reports_a_failed_run(network, runner):
    result = runner.invoke(args=["quality", "recompute", "--as-of", "2025-12-01"])

    assert result.exit_code == 1
    assert "Kwaliteitsmeting 1 is mislukt: LookupError: No criteria set in force on 2025-12-01" in result.output


def test_cli_recompute_refuses_a_malformed_date(network, runner):
    result = runner.invoke(args=["quality", "recompute", "--as-of", "15-07-2026"])

    assert result.exit_code == 2
    assert _count(QualityRun) == 0
