"""The database-kept scheduler (loket/services/scheduler.py): each slot of a periodic job is claimed by
exactly one scheduler, however many run and however often they restart; run_due starts the sweep.

Concurrency is real: claimers are threads with their own app contexts (own sessions and connections) on a
database they share — PostgreSQL when DATABASE_URL is set, else a SQLite *file* (writers serialise on its lock).
"""
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db
from loket.models import OutboxMessage, PeriodicTask
from loket.models.base import utcnow
from loket.services import scheduler
from loket.services.messaging import outbox
from tests.fakes.sendgrid import mail_to_fake, sendgrid_fake  # noqa: F401  (fixtures)
from tests.support.db import ON_POSTGRES
from tests.support.mails import sent_to
from tests.support.outbox import commit_leaving_rows_pending
from tests.support.requests import file_request
from tests.support.worker_settings import SETTINGS_ENV, settings_of

REPO = Path(__file__).resolve().parents[2]
SWEEP = next(task for task in scheduler.PERIODIC if task.name == "service_level_sweep")
NOW = utcnow().replace(microsecond=0)


@pytest.fixture()
def shared(app, db, tmp_path):
    """An app (and its config) whose database other threads, apps and processes can reach."""
    if ON_POSTGRES:
        yield SimpleNamespace(app=app, config=TestingConfig)
        return
    config = type("FileTestingConfig", (TestingConfig,),
                  {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scheduler.db'}"})
    file_app = create_app(config)
    with file_app.app_context():
        _db.create_all()
    yield SimpleNamespace(app=file_app, config=config)
    with file_app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _task(app) -> PeriodicTask:
    with app.app_context():
        task = _db.session.get(PeriodicTask, SWEEP.name)
        _db.session.expunge_all()
        return task


def _in_threads(app, count, target):
    """Run target() in `count` threads at once, each in its own app context; return results/errors."""
    barrier = threading.Barrier(count, timeout=10)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(target())
            except Exception as error:  # noqa: BLE001  (reported by the test)
                errors.append(error)
                _db.session.rollback()
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_concurrent_claimers_take_a_slot_exactly_once(shared):
    with shared.app.app_context():
        scheduler.ensure_tasks(NOW)
    results, errors = _in_threads(shared.app, 4, lambda: scheduler.claim(SWEEP, NOW))
    assert errors == []
    assert Counter(results) == Counter({True: 1, False: 3})
    task = _task(shared.app)
    assert (task.next_run_at, task.last_run_at, task.last_job) == (NOW + SWEEP.every, NOW, SWEEP.job)


def test_claim_moves_next_run_on_one_slot_at_a_time(shared):
    with shared.app.app_context():
        scheduler.ensure_tasks(NOW)
        assert scheduler.claim(SWEEP, NOW) is True
        assert scheduler.claim(SWEEP, NOW) is False
        assert scheduler.claim(SWEEP, NOW + SWEEP.every - timedelta(seconds=1)) is False
        assert scheduler.claim(SWEEP, NOW + SWEEP.every) is True
        assert scheduler.claim(SWEEP, NOW + SWEEP.every) is False
    assert _task(shared.app).next_run_at == NOW + 2 * SWEEP.every


def test_a_restarted_scheduler_does_not_rerun_a_claimed_slot(shared):
    with shared.app.app_context():
        assert SWEEP.name in scheduler.run_due(NOW)
    restarted = create_app(shared.config)  # new app, new engine, new sessions: nothing kept in memory
    try:
        with restarted.app_context():
            assert SWEEP.name not in scheduler.run_due(NOW + timedelta(seconds=10))
            assert SWEEP.name not in scheduler.run_due(NOW + SWEEP.every - timedelta(seconds=1))
            assert SWEEP.name in scheduler.run_due(NOW + SWEEP.every)
    finally:
        with restarted.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_scheduler_processes_started_one_after_another_claim_one_slot(shared):
    """Real restarts: `flask scheduler --once` twice, as new processes, within one 5-minute slot."""
    settings = settings_of(shared.app, JOBS_INLINE=True, REDIS_URL=None, MAIL_PROVIDER="log", SENDGRID_API_KEY=None,
                           SENDGRID_API_HOST="http://127.0.0.1:9",
                           SQLALCHEMY_DATABASE_URI=shared.config.SQLALCHEMY_DATABASE_URI)
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update({SETTINGS_ENV: settings, "PYTHONPATH": str(REPO)})
    command = [sys.executable, "-m", "flask", "--app", "tests.workers.worker_app", "scheduler", "--once"]
    outputs = []
    for _ in range(2):
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append(result.stdout)
    assert "Gestart: " in outputs[0] and SWEEP.name in outputs[0]
    assert SWEEP.name not in outputs[1]


def test_run_due_runs_the_sweep_inline_once_per_slot(app, db, network, mail_to_fake):
    # The sweep job reads the clock itself (run_due's `now` picks the slot), so the request is backdated.
    file_request(network, now=utcnow() - timedelta(days=30))
    mail_to_fake.calls.clear()
    now = utcnow()

    assert SWEEP.name in scheduler.run_due(now)
    expected = Counter({("sla_overdue", network.ondersteuner.email): 1, ("sla_overdue", network.collega.email): 1})
    assert sent_to(mail_to_fake) == expected
    assert SWEEP.name not in scheduler.run_due(now + timedelta(minutes=1))
    assert SWEEP.name in scheduler.run_due(now + SWEEP.every)  # next slot: the sweep runs again…
    assert sent_to(mail_to_fake) == expected  # …but the warning for this deadline was already given


def test_run_due_dispatches_due_outbox_rows(app, db, network, mail_to_fake):
    request = file_request(network)
    mail_to_fake.calls.clear()
    outbox.add_email("request_received", to=network.club_contact.email, context={"request_id": request.id},
                     key="left:pending")
    commit_leaving_rows_pending()  # committed, never dispatched (the web process died right after)
    scheduler.run_due(utcnow() + timedelta(seconds=1))
    row = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "left:pending"))
    assert row.status == "sent"
    assert [call.key for call in mail_to_fake.calls] == ["left:pending"]


def test_flask_scheduler_once_inline(app, db, runner):
    first = runner.invoke(args=["scheduler", "--once"])
    assert first.exit_code == 0, first.output
    assert "Gestart: " in first.output and SWEEP.name in first.output
    second = runner.invoke(args=["scheduler", "--once"])
    assert second.exit_code == 0 and SWEEP.name not in second.output


def test_two_schedulers_starting_together_on_a_fresh_database_both_complete_a_tick(shared):
    # Both ticks start at the same moment on a database without schedule rows: creating the rows must
    # not fail for either (ON CONFLICT DO NOTHING), and the sweep's slot is still claimed only once.
    gate = threading.Barrier(2, timeout=10)

    def tick():
        gate.wait()
        return scheduler.run_due(NOW)

    results, errors = _in_threads(shared.app, 2, tick)
    assert errors == []
    assert sorted(SWEEP.name in started for started in results) == [False, True]
