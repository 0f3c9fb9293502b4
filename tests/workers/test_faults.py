"""Nothing is lost when parts fail: Redis stopped, a worker killed mid-send, SendGrid failing or hanging.

Each test files a request over HTTP (3 notices: the club contact and the two Utrecht supporters), breaks
something, recovers the way production does (`flask worker --burst` first dispatches due rows), and checks
that every notice was accepted by SendGrid exactly once and its outbox row ends `sent` (or `failed`) — and
that a mail SendGrid may have taken is never sent again unasked.
"""
import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest

from loket.models.base import utcnow
from loket.services.messaging import outbox
from tests.fakes.sendgrid import HANG, Delay
from tests.support.mails import sent_to
from tests.support.requests import request_form
from tests.support.workers import children_of, kill_worker


def _file(live, client=None, **form):
    client = client or live.client("club_contact")
    response = client.post("/club/aanvragen/nieuw", data=request_form(live.network, **form))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def _expected_filing(network, requests=1) -> Counter:
    return Counter({("request_received", network.club_contact.email): requests,
                    ("new_in_queue", network.ondersteuner.email): requests,
                    ("new_in_queue", network.collega.email): requests})


def _accepted_once_each(live):
    """Every outbox row's mail was accepted by SendGrid exactly once."""
    accepted = Counter(call.key for call in live.fake.accepted)
    rows = live.rows()
    assert accepted == Counter({row.idempotency_key: 1 for row in rows})
    return rows


def test_redis_stopped_while_requests_are_created(live, redis_server, monkeypatch):
    """Redis dies (losing its queued jobs) and requests keep coming: they are saved, their notices wait in
    the outbox, and after Redis is back one worker run sends every notice exactly once."""
    monkeypatch.setitem(live.app.config, "REDIS_URL", redis_server.url)
    n = live.network

    club = live.client("club_contact")
    _file(live, club, title="Voor de storing")
    assert {r.status for r in live.rows()} == {"enqueued"}
    redis_server.stop()  # no persistence: the three queued jobs are gone with it

    started = time.monotonic()
    _file(live, club, title="Tijdens de storing")
    assert time.monotonic() - started < 5, "filing must not hang on a dead Redis"
    supporter = live.client("ondersteuner")
    first_id = min(r.payload["context"]["request_id"] for r in live.rows())
    reply = supporter.post(f"/wachtrij/{first_id}/bericht", data={"body": "We zijn ermee bezig."})
    assert reply.status_code == 302
    statuses = Counter(r.status for r in live.rows())
    assert statuses == Counter({"enqueued": 3, "pending": 4})
    assert live.fake.calls == []

    redis_server.start()  # same port, empty
    live.run_worker()  # its dispatch_due finds the first request's jobs gone from Redis and queues them again

    rows = _accepted_once_each(live)
    assert {r.status for r in rows} == {"sent"} and len(rows) == 7
    assert sent_to(live.fake) == _expected_filing(n, requests=2) + Counter({("public_reply", n.club_contact.email): 1})
    live.run_worker()
    assert len(live.fake.calls) == 7


def test_worker_killed_mid_send_the_mail_is_not_sent_again_unasked(live, monkeypatch):
    """Killed while SendGrid has the mail: it may have gone out, so it is never sent again by itself; after
    the visibility timeout it is failed with "mogelijk verzonden" and its outbox key, for beheer to check."""
    live.fake.script(HANG)  # the first mail: SendGrid takes it and never answers
    _file(live)

    worker = live.start_worker()
    try:
        [hung] = live.fake.wait_for_calls(1, timeout=30)
        # The worker sends in its own process (no work horse per job, see loket.jobs.worker_class).
        assert children_of(worker.pid) == []
        kill_worker(worker)
    finally:
        if worker.poll() is None:
            kill_worker(worker)
    assert hung.status is None
    assert live.row_by_key(hung.key).status == "sending"  # neither sent nor lost: it may be on its way

    # Only now shorten the visibility timeout: had the first worker started with it, its own
    # dispatch_due could settle the row while SendGrid still had it.
    monkeypatch.setitem(live.app.config, "OUTBOX_VISIBILITY_SECONDS", 1)
    time.sleep(1.2)  # past the visibility timeout
    live.run_worker()  # dispatch_due settles the interrupted row; the worker sends the others
    row = live.row_by_key(hung.key)
    assert row.status == "failed"
    assert f"controleer in SendGrid (outbox_key {hung.key})" in row.last_error
    others = [r for r in live.rows() if r.idempotency_key != hung.key]
    assert {r.status for r in others} == {"sent"}
    assert Counter(call.key for call in live.fake.calls)[hung.key] == 1  # never POSTed again by itself
    assert Counter(call.key for call in live.fake.accepted) == Counter({r.idempotency_key: 1 for r in others})
    live.run_worker()
    assert Counter(call.key for call in live.fake.calls)[hung.key] == 1


def test_sendgrid_500_then_202_is_sent_once(live):
    live.fake.script(500)
    _file(live)
    live.run_worker()
    first = live.first_call()
    row = live.row_by_key(first.key)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "SendGrid 500" in row.last_error
    assert Counter(r.status for r in live.rows()) == Counter({"sent": 2, "pending": 1})

    time.sleep(0.3)  # OUTBOX_BACKOFF_SECONDS is 0.2 in these tests
    live.run_worker()
    row = live.row_by_key(first.key)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert [call.status for call in live.fake.calls if call.key == first.key] == [500, 202]
    _accepted_once_each(live)
    assert sent_to(live.fake) == _expected_filing(live.network)


def test_sendgrid_400_is_failed_with_the_reason_and_never_retried(live):
    live.fake.script(400)
    _file(live)
    live.run_worker()
    first = live.first_call()
    row = live.row_by_key(first.key)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "400" in row.last_error

    with live.app.app_context():
        assert outbox.dispatch_due(utcnow() + timedelta(days=7)) == 0
    live.run_worker()
    assert [call.key for call in live.fake.calls].count(first.key) == 1
    assert live.row_by_key(first.key).status == "failed"
    assert Counter(r.status for r in live.rows()) == Counter({"sent": 2, "failed": 1})


def test_sendgrid_hanging_times_out_and_is_sent_on_retry(live, monkeypatch):
    """SendGrid answers too late: the client gives up after SENDGRID_TIMEOUT_SECONDS (the worker is not
    stuck), the row waits its backoff, and the next run sends it."""
    monkeypatch.setitem(live.app.config, "SENDGRID_TIMEOUT_SECONDS", 1)
    live.fake.script(Delay(15, 202))
    _file(live)
    live.run_worker()
    first = live.first_call()
    row = live.row_by_key(first.key)
    # Pending with a timeout: the client gave up (had it waited the 15 s, SendGrid's 202 would have made it sent).
    assert (row.status, row.attempts) == ("pending", 1)
    assert "onbereikbaar" in row.last_error
    assert first.status is None  # SendGrid's late answer found nobody listening

    time.sleep(0.3)
    live.run_worker()
    assert live.row_by_key(first.key).status == "sent"
    _accepted_once_each(live)
