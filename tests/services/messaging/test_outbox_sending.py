"""A mail is sent at most once when the bookkeeping around the send fails (issue #13: a mail was POSTed twice
when the commit after a successful send failed).

Delivery records `sending` (committed) before SendGrid is called; a row left `sending` is never sent again
unasked: after OUTBOX_VISIBILITY_SECONDS it becomes `failed` with "mogelijk verzonden — controleer in SendGrid
(outbox_key …)", and beheer decides (outbox_admin.retry_failed). Jobs run inline here, mail goes through the
official client to the fake SendGrid, whose received body is validated against SendGrid's official schema.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from loket.extensions import db as _db
from loket.models import OutboxMessage
from loket.models.base import utcnow
from loket.services.messaging import outbox, outbox_admin
from tests.fakes.sendgrid import load_validator, mail_to_fake, sendgrid_fake  # noqa: F401  (fixtures)
from tests.support.outbox import commit_leaving_rows_pending
from tests.support.requests import file_request

T0 = utcnow().replace(microsecond=0) + timedelta(days=1)
JOB = "tests.services.messaging.test_outbox_sending.record_job"
JOB_CALLS: list = []


def record_job(*args):
    JOB_CALLS.append(args)


@pytest.fixture()
def filed(db, network, mail_to_fake):
    request = file_request(network)
    mail_to_fake.calls.clear()
    return request


def _row(key) -> OutboxMessage:
    _db.session.expire_all()
    return _db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


def _pending_email(request, key) -> int:
    outbox.add_email("request_received", to="anna@uboys.example", context={"request_id": request.id}, key=key)
    commit_leaving_rows_pending()
    return _row(key).id


def _database_gone_after_sendgrid_answered(monkeypatch, fake):
    """Every commit fails once SendGrid has the mail, as when PostgreSQL restarts at that moment."""
    real_commit = _db.session.commit

    def commit():
        if fake.calls:
            _db.session.rollback()
            raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
        real_commit()

    monkeypatch.setattr(_db.session, "commit", commit)
    monkeypatch.setattr("loket.services.messaging.outbox.time.sleep", lambda seconds: None)


def test_a_send_whose_commit_failed_is_not_sent_again_and_is_left_to_beheer(filed, mail_to_fake, app, monkeypatch,
                                                                           network):
    key = "mail:commit-fails"
    row_id = _pending_email(filed, key)
    with monkeypatch.context() as patch:
        _database_gone_after_sendgrid_answered(patch, mail_to_fake)
        with pytest.raises(OperationalError):
            outbox.deliver(row_id, now=T0)
    assert [call.status for call in mail_to_fake.calls] == [202]
    row = _row(key)
    assert (row.status, row.sending_at) == ("sending", T0)  # committed before SendGrid was called

    # The mail carries its outbox key, as SendGrid's event webhook and activity feed will show it.
    [call] = mail_to_fake.calls
    assert call.body["personalizations"][0]["custom_args"] == {"outbox_key": key}
    assert call.key == key
    assert list(load_validator().iter_errors(call.body)) == [] and call.schema_errors == []

    # The dispatcher and a stray job leave the row alone while a worker may still finish it…
    visibility = timedelta(seconds=app.config["OUTBOX_VISIBILITY_SECONDS"])
    assert outbox.dispatch_due(T0 + timedelta(minutes=1)) == 0
    assert outbox.deliver(row_id) is None
    assert _row(key).status == "sending"
    # …and after the visibility timeout it is failed for beheer, never sent again unasked.
    assert outbox.dispatch_due(T0 + visibility + timedelta(seconds=1)) == 0
    row = _row(key)
    assert row.status == "failed"
    assert f"Mogelijk verzonden — controleer in SendGrid (outbox_key {key})" in row.last_error
    assert outbox.dispatch_due(T0 + timedelta(days=30)) == 0
    assert len(mail_to_fake.calls) == 1

    # Beheer checked SendGrid and found nothing: their retry sends it (the only way to a second send).
    outbox_admin.retry_failed(row_id, actor=network.beheerder)
    assert _row(key).status == "sent"
    assert len(mail_to_fake.calls) == 2


def test_a_commit_that_fails_once_after_the_send_is_retried_and_the_row_is_sent(filed, mail_to_fake, monkeypatch):
    key = "mail:commit-fails-once"
    row_id = _pending_email(filed, key)
    real_commit, failures = _db.session.commit, []

    def commit():
        if mail_to_fake.calls and not failures:
            failures.append(1)
            _db.session.rollback()
            raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
        real_commit()

    monkeypatch.setattr(_db.session, "commit", commit)
    monkeypatch.setattr("loket.services.messaging.outbox.time.sleep", lambda seconds: None)
    assert outbox.deliver(row_id, now=T0) == "sent"
    assert failures == [1]
    monkeypatch.undo()
    row = _row(key)
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(mail_to_fake.calls) == 1


def test_an_interrupted_job_runs_again(db, app):
    """Jobs are idempotent (workers/): a job row left `sending` is put back, not failed."""
    outbox.add_job(JOB, args=["x"], key="job:interrupted")
    commit_leaving_rows_pending()
    row = _row("job:interrupted")
    row.status, row.sending_at = "sending", T0
    _db.session.commit()
    visibility = timedelta(seconds=app.config["OUTBOX_VISIBILITY_SECONDS"])
    JOB_CALLS.clear()
    assert outbox.dispatch_due(T0 + visibility + timedelta(seconds=1)) == 1
    row = _row("job:interrupted")
    assert (row.status, row.attempts) == ("sent", 2)
    assert JOB_CALLS == [("x",)]
