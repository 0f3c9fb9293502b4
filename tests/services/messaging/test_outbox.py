"""The transactional outbox (loket/services/outbox.py): rows written in the caller's transaction, delivered
once after commit, retried with backoff on transient failures, never retried on permanent ones.

Mail goes through the real SendGrid client to the fake SendGrid (tests/fakes/sendgrid.py); jobs are a
recorder function in this module. Jobs run inline here; tests/workers/ runs the same code on RQ + Redis.
"""
import logging
import socket
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import OutboxMessage, SupportRequest
from loket.models.base import utcnow
from loket.services import transaction
from loket.services.messaging import outbox
from tests.fakes.sendgrid import Delay, mail_to_fake, sendgrid_fake  # noqa: F401  (fixtures)
from tests.support.db import ON_POSTGRES
from tests.support.outbox import commit_leaving_rows_pending
from tests.support.requests import file_request, request_form

JOB = "tests.services.messaging.test_outbox.record_job"
JOB_CALLS: list = []
# Later than any row's created_at/available_at, so rows written by a test are due at T0.
T0 = utcnow().replace(microsecond=0) + timedelta(days=1)


def record_job(*args):
    """The job the outbox runs in these tests: it only records that it ran."""
    JOB_CALLS.append(args)


@pytest.fixture(autouse=True)
def _clear_job_calls():
    JOB_CALLS.clear()


@pytest.fixture()
def filed(db, network, mail_to_fake):
    """A filed request whose own notices are already delivered; the fake's record starts empty after it."""
    request = file_request(network)
    mail_to_fake.calls.clear()
    return request


def _rows(**where):
    _db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for column, value in where.items():
        query = query.where(getattr(OutboxMessage, column) == value)
    return list(_db.session.scalars(query))


def _email(request, key, to="anna@uboys.example"):
    outbox.add_email("request_received", to=to, context={"request_id": request.id}, key=key)


def _pending_email(request, key) -> int:
    _email(request, key)
    commit_leaving_rows_pending()  # a plain commit: the row stays pending, nothing is dispatched
    return _rows(idempotency_key=key)[0].id


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- writing

@pytest.mark.bypasses_outbox_commit
def test_a_commit_that_bypasses_transaction_commit_is_reported_and_leaves_rows_pending(filed, mail_to_fake):
    reported = []

    def record(session, ids):
        reported.append(ids)

    outbox.bypassed.connect(record)
    try:
        _email(filed, "mail:bypassed")
        _db.session.commit()  # not transaction.commit(): nothing dispatches the new row
    finally:
        outbox.bypassed.disconnect(record)
    row = _rows(idempotency_key="mail:bypassed")[0]
    assert reported == [[row.id]]
    assert row.status == "pending" and mail_to_fake.calls == []
    assert outbox.NEW_ROWS not in _db.session.info  # a later commit does not dispatch it by accident


def test_transaction_commit_dispatches_the_rows_it_committed(filed, mail_to_fake):
    _email(filed, "mail:via-commit")
    transaction.commit()
    assert _rows(idempotency_key="mail:via-commit")[0].status == "sent"
    assert len(mail_to_fake.calls) == 1


def test_same_idempotency_key_twice_is_one_row_and_one_delivery(filed, mail_to_fake):
    outbox.add_job(JOB, args=["a"], key="job:once")
    outbox.add_job(JOB, args=["b"], key="job:once")  # same transaction
    _email(filed, "mail:once")
    _email(filed, "mail:once")
    transaction.commit()
    outbox.add_job(JOB, args=["c"], key="job:once")  # a later transaction
    _email(filed, "mail:once")
    transaction.commit()

    assert [(r.kind, r.status) for r in _rows(idempotency_key="job:once")] == [("job", "sent")]
    assert [(r.kind, r.status) for r in _rows(idempotency_key="mail:once")] == [("email", "sent")]
    assert JOB_CALLS == [("a",)]
    assert [call.key for call in mail_to_fake.calls] == ["mail:once"]


def test_rolled_back_transaction_leaves_no_row_and_dispatches_nothing(filed, mail_to_fake):
    before = len(_rows())
    outbox.add_job(JOB, args=["x"], key="job:rolled-back")
    _email(filed, "mail:rolled-back")
    _db.session.rollback()
    assert "outbox_new" not in _db.session.info  # the rolled-back rows are forgotten at once
    transaction.commit()  # the next commit of the session must not dispatch what was rolled back

    assert len(_rows()) == before
    assert JOB_CALLS == []
    assert mail_to_fake.calls == []
    assert "outbox_new" not in _db.session.info


def test_commit_inline_delivers_each_new_row_once(db, network, mail_to_fake):
    request = file_request(network)
    rows = _rows()
    assert {(r.name, r.payload["to"]) for r in rows} == {
        ("request_received", network.club_contact.email),
        ("new_in_queue", network.ondersteuner.email),
        ("new_in_queue", network.collega.email),
    }
    assert all(r.status == "sent" and r.attempts == 1 and r.sent_at and r.last_error is None for r in rows)
    assert sorted(call.key for call in mail_to_fake.calls) == sorted(r.idempotency_key for r in rows)
    assert mail_to_fake.schema_errors == []
    assert all(str(request.id) in r.idempotency_key for r in rows)


def test_unknown_queue_is_refused(db):
    with pytest.raises(ValueError):
        outbox.add_job(JOB, key="job:bad-queue", queue="nope")


# ---------------------------------------------------------------- failures and retries


@pytest.mark.parametrize("status", [500, 503, 429])
def test_transient_error_leaves_row_pending_with_backoff(filed, mail_to_fake, status):
    row_id = _pending_email(filed, "mail:transient")
    mail_to_fake.script(status, 502)

    assert outbox.deliver(row_id, now=T0) == "pending"
    row = _rows(id=row_id)[0]
    assert (row.status, row.attempts, row.available_at) == ("pending", 1, T0 + timedelta(seconds=30))
    assert f"SendGrid {status}" in row.last_error

    assert outbox.deliver(row_id, now=T0 + timedelta(minutes=1)) == "pending"
    row = _rows(id=row_id)[0]
    assert (row.attempts, row.available_at) == (2, T0 + timedelta(minutes=1, seconds=60))

    # Not due yet: the dispatcher leaves it alone; once due, it is delivered.
    assert outbox.dispatch_due(T0 + timedelta(minutes=1, seconds=59)) == 0
    assert len(mail_to_fake.calls) == 2
    assert outbox.dispatch_due(T0 + timedelta(minutes=2)) == 1
    row = _rows(id=row_id)[0]
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert [c.status for c in mail_to_fake.calls] == [status, 502, 202]


def test_sendgrid_timeout_is_transient_and_does_not_block(filed, mail_to_fake, app, monkeypatch):
    """The client has no timeout of its own: SENDGRID_TIMEOUT_SECONDS must bound a hung API."""
    monkeypatch.setitem(app.config, "SENDGRID_TIMEOUT_SECONDS", 0.5)
    row_id = _pending_email(filed, "mail:slow")
    mail_to_fake.script(Delay(5, 202))
    started = time.monotonic()
    assert outbox.deliver(row_id, now=T0) == "pending"
    assert time.monotonic() - started < 3
    row = _rows(id=row_id)[0]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "onbereikbaar" in row.last_error or "timed out" in row.last_error


def test_sendgrid_unreachable_is_transient(filed, mail_to_fake, app, monkeypatch):
    monkeypatch.setitem(app.config, "SENDGRID_API_HOST", f"http://127.0.0.1:{_closed_port()}")
    row_id = _pending_email(filed, "mail:unreachable")
    assert outbox.deliver(row_id, now=T0) == "pending"
    assert _rows(id=row_id)[0].attempts == 1


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_permanent_error_marks_failed_with_reason_and_is_never_retried(filed, mail_to_fake, status):
    row_id = _pending_email(filed, "mail:permanent")
    mail_to_fake.script(status)
    assert outbox.deliver(row_id, now=T0) == "failed"
    row = _rows(id=row_id)[0]
    assert (row.status, row.attempts) == ("failed", 1)
    assert f"SendGrid {status}" in row.last_error

    assert outbox.dispatch_due(T0 + timedelta(days=30)) == 0
    assert outbox.deliver(row_id) is None
    assert len(mail_to_fake.calls) == 1


def test_wrong_api_key_is_permanent(filed, mail_to_fake, app, monkeypatch):
    monkeypatch.setitem(app.config, "SENDGRID_API_KEY", "not-the-key")
    row_id = _pending_email(filed, "mail:bad-key")
    assert outbox.deliver(row_id, now=T0) == "failed"
    assert "SendGrid 401" in _rows(id=row_id)[0].last_error


def test_gives_up_after_max_attempts(filed, mail_to_fake):
    row_id = _pending_email(filed, "mail:always-500")
    mail_to_fake.script(*[500] * (outbox.MAX_ATTEMPTS + 2))
    now = T0
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.dispatch_due(now) == 1
        row = _rows(id=row_id)[0]
        assert row.attempts == attempt
        now = now + timedelta(hours=2)
    assert (row.status, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert "SendGrid 500" in row.last_error
    assert outbox.dispatch_due(now + timedelta(days=30)) == 0
    assert len(mail_to_fake.calls) == outbox.MAX_ATTEMPTS


def test_backoff_doubles_and_is_capped(app):
    with app.app_context():
        assert [outbox.backoff(n).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
        assert outbox.backoff(30) == timedelta(hours=1)


def test_failing_job_is_retried_like_a_mail(db):
    outbox.add_job("tests.services.messaging.test_outbox.no_such_function", key="job:missing")
    transaction.commit()
    row = _rows(idempotency_key="job:missing")[0]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "no_such_function" in row.last_error


# ---------------------------------------------------------------- exactly once


def test_a_sent_row_is_not_sent_again(filed, mail_to_fake):
    _email(filed, "mail:sent-once")
    transaction.commit()
    row_id = _rows(idempotency_key="mail:sent-once")[0].id
    assert outbox.deliver(row_id) is None
    assert outbox.dispatch_due(T0 + timedelta(days=365)) == 0
    assert [call.key for call in mail_to_fake.calls] == ["mail:sent-once"]


def test_dispatch_due_takes_stale_enqueued_rows_but_not_fresh_ones(db, app):
    """A worker killed mid-job leaves its row 'enqueued': after the visibility timeout it is dispatched
    again; a row enqueued just now is left to the worker that has it."""
    visibility = timedelta(seconds=app.config["OUTBOX_VISIBILITY_SECONDS"])
    for key in ("stale", "fresh", "due", "later", "sent", "failed"):
        outbox.add_job(JOB, args=[key], key=f"job:{key}")
    commit_leaving_rows_pending()
    states = {
        "stale": {"status": "enqueued", "enqueued_at": T0 - visibility - timedelta(seconds=1)},
        "fresh": {"status": "enqueued", "enqueued_at": T0 - visibility + timedelta(seconds=5)},
        "due": {"status": "pending", "available_at": T0},
        "later": {"status": "pending", "available_at": T0 + timedelta(seconds=1)},
        "sent": {"status": "sent", "available_at": T0 - timedelta(days=1)},
        "failed": {"status": "failed", "available_at": T0 - timedelta(days=1)},
    }
    rows = {row.idempotency_key: row for row in _rows()}
    for key, values in states.items():
        row = rows[f"job:{key}"]
        for column, value in values.items():
            setattr(row, column, value)
    _db.session.commit()

    assert outbox.dispatch_due(T0) == 2
    assert sorted(JOB_CALLS) == [("due",), ("stale",)]
    status = {r.idempotency_key: r.status for r in _rows()}
    assert status == {"job:stale": "sent", "job:fresh": "enqueued", "job:due": "sent", "job:later": "pending",
                      "job:sent": "sent", "job:failed": "failed"}


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks (SKIP LOCKED) need PostgreSQL; SQLite runs jobs inline")
def test_two_workers_delivering_the_same_row_send_it_once(filed, mail_to_fake, app):
    row_id = _pending_email(filed, "mail:contended")
    mail_to_fake.script(Delay(1.5, 202))
    results = {}

    def worker(name):
        with app.app_context():
            results[name] = outbox.deliver(row_id)
            _db.session.remove()

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    mail_to_fake.wait_for_calls(1)  # the first worker holds the row and is sending
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    second.join(10)
    first.join(10)
    assert results == {"first": "sent", "second": None}
    assert len(mail_to_fake.calls) == 1


# ---------------------------------------------------------------- without Redis


def test_redis_unreachable_request_is_saved_and_rows_stay_pending(app, db, network, login_as, mail_to_fake,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    client = login_as("club_contact")
    started = time.monotonic()
    response = client.post("/club/aanvragen/nieuw", data=request_form(network))
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _db.session.scalar(select(func.count()).select_from(SupportRequest)) == 1
    rows = _rows()
    assert len(rows) == 3
    assert {(r.status, r.attempts, r.enqueued_at) for r in rows} == {("pending", 0, None)}
    assert mail_to_fake.calls == []
    assert elapsed < 5, f"filing took {elapsed:.1f}s with Redis down"

    # Redis or not, nothing is lost: the dispatcher (here inline) delivers the rows later, once each.
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    assert outbox.dispatch_due() == 3
    assert {r.status for r in _rows()} == {"sent"}
    assert sorted(call.key for call in mail_to_fake.calls) == sorted(r.idempotency_key for r in rows)


def test_embedded_mode_without_redis_or_sendgrid_logs_the_mail(app, db, network, monkeypatch, caplog):
    """`make run`: no REDIS_URL, no SENDGRID_API_KEY: jobs inline, mail to the log, rows sent."""
    for key, value in {"JOBS_INLINE": True, "REDIS_URL": None, "SENDGRID_API_KEY": None, "MAIL_PROVIDER": None,
                       "MAIL_PREVIEW": True}.items():  # MAIL_PREVIEW: development's log shows subjects
        monkeypatch.setitem(app.config, key, value)
    with caplog.at_level(logging.INFO, logger="loket.services.messaging.mail"):
        request = file_request(network)
    assert {r.status for r in _rows()} == {"sent"}
    logged = [r.getMessage() for r in caplog.records if r.name == "loket.services.messaging.mail"]
    assert len(logged) == 3
    assert all(request.reference in message for message in logged)


def test_flask_worker_without_redis_delivers_pending_rows_inline(app, db, filed, mail_to_fake, runner):
    _pending_email(filed, "mail:left-pending")
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "1 uitgaande berichten afgehandeld" in result.output
    assert [call.key for call in mail_to_fake.calls] == ["mail:left-pending"]
