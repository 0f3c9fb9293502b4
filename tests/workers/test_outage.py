"""Workers and the scheduler survive a Redis outage (issue #13: workers exited when Redis went away and stayed
dead; mail resumed only after a manual restart).

Real processes: a redis-server of the test's own (stopped and started again on the same port, empty, as a
restart without persistence leaves it), `flask worker` and `flask scheduler` subprocesses that run the whole
time, the fake SendGrid. Nothing is restarted by hand: the processes must find Redis again themselves.
The waits are generous and only bound how long a broken build takes to fail; nothing asserts on timings.
"""
import time
from collections import Counter

from redis import Redis
from rq import Queue

from tests.support.requests import request_form

# Generous: on a loaded two-core machine a worker subprocess needs a few seconds to start and to send.
PATIENCE = 90
# How long Redis stays away: long enough for the processes to hit the outage several times.
OUTAGE_SECONDS = 4


def _wait_until(predicate, what: str, process=None, log=None, timeout: float = PATIENCE):
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended (exit {process.returncode}) while waiting for {what}:\n"
                                 f"{log.read_text()[-6000:] if log else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout} s:\n{log.read_text()[-6000:] if log else ''}")
        time.sleep(0.2)


def _file(live, title):
    response = live.client("club_contact").post("/club/aanvragen/nieuw", data=request_form(live.network, title=title))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def _statuses(live) -> Counter:
    return Counter(row.status for row in live.rows())


def test_a_worker_survives_a_redis_outage_and_sends_what_waited(live, redis_server, monkeypatch, tmp_path):
    """The worker keeps running while Redis is away, reconnects when it is back, and then sends both the mails
    whose jobs Redis lost and those that could not be enqueued during the outage — no restart, no scheduler."""
    monkeypatch.setitem(live.app.config, "REDIS_URL", redis_server.url)
    log = tmp_path / "worker.log"
    worker = live.start_process("worker", log=log, WORKER_RECONNECT_MAX_SECONDS=1)
    try:
        _file(live, "Voor de storing")
        _wait_until(lambda: _statuses(live) == Counter({"sent": 3}), "3 mails sent before the outage", worker, log)

        redis_server.stop()
        _file(live, "Tijdens de storing")  # saved; its 3 notices cannot be enqueued and stay pending
        assert _statuses(live) == Counter({"sent": 3, "pending": 3})
        time.sleep(OUTAGE_SECONDS)
        assert worker.poll() is None, log.read_text()[-6000:]
        redis_server.start()  # same port, empty

        _wait_until(lambda: _statuses(live) == Counter({"sent": 6}), "the 3 waiting mails sent after Redis returned",
                    worker, log)
        assert worker.poll() is None, "the worker still runs"
        assert Counter(call.key for call in live.fake.accepted) == Counter({r.idempotency_key: 1 for r in live.rows()})
    finally:
        live.stop_process(worker)
    output = log.read_text()
    assert "Redis onbereikbaar" in output, output[-6000:]
    assert "Redis weer bereikbaar" in output, output[-6000:]


def test_the_scheduler_survives_a_redis_outage_and_loses_no_slot(live, redis_server, monkeypatch, tmp_path):
    """The scheduler ticks on through the outage; the rows left pending and the periodic job whose slot came
    up while Redis was away are on the queues at its first tick after Redis returns."""
    monkeypatch.setitem(live.app.config, "REDIS_URL", redis_server.url)
    redis_server.stop()
    _file(live, "Tijdens de storing")
    assert _statuses(live) == Counter({"pending": 3})

    log = tmp_path / "scheduler.log"
    scheduler = live.start_process("scheduler", "--interval", "1", log=log)
    try:
        # The first tick claims the service-level sweep's slot while Redis is down.
        _wait_until(lambda: "Gestart: service_level_sweep" in log.read_text(), "a tick during the outage",
                    scheduler, log)
        time.sleep(OUTAGE_SECONDS)
        assert scheduler.poll() is None, log.read_text()[-6000:]
        redis_server.start()

        redis = Redis.from_url(redis_server.url)
        _wait_until(lambda: Queue("mail", connection=redis).count == 3 and Queue("default", connection=redis).count == 1,
                    "the 3 waiting mails and the sweep on the queues", scheduler, log)
        assert scheduler.poll() is None
    finally:
        live.stop_process(scheduler)

    live.run_worker()
    assert _statuses(live) == Counter({"sent": 4})  # 3 mails and the sweep's job row
    assert sorted(call.key for call in live.fake.accepted) == sorted(
        row.idempotency_key for row in live.rows() if row.kind == "email")
