"""A backlog is queued once (issue #13: the dispatcher re-enqueued a backlog every 300 s — 1,268 queue entries
for 640 rows — because rows still waiting on the queue looked like rows whose worker had died).

Real Redis, no worker running: dispatch_due runs many times over simulated hours, and every row has exactly
one entry on the queue. When Redis loses its queue (a restart without persistence), the next dispatch_due puts
each row back exactly once, without waiting for any visibility timeout.
"""
from collections import Counter
from datetime import timedelta

from redis import Redis
from rq import Queue

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.services.messaging import outbox
from tests.support.outbox import commit_leaving_rows_pending

ROWS = 600  # more than one dispatch_due takes at once (500)


def _queue_entries(redis_url) -> Counter:
    connection = Redis.from_url(redis_url)
    return Counter(job_id for name in outbox.QUEUES for job_id in Queue(name, connection=connection).job_ids)


def test_a_backlog_is_queued_once_however_often_the_dispatcher_runs(live):
    for number in range(ROWS):
        outbox.add_email("request_received", to=f"lid{number}@example.nl", context={}, key=f"backlog:{number}")
    commit_leaving_rows_pending()
    rows = live.rows()
    expected = Counter({outbox.job_id(row.id, 0): 1 for row in rows})
    assert len(expected) == ROWS

    now = utcnow()
    visibility = timedelta(seconds=live.app.config["OUTBOX_VISIBILITY_SECONDS"])
    moments = [now, now, now + visibility + timedelta(seconds=1), now + timedelta(minutes=10), now + timedelta(hours=3)]
    handed_out = [outbox.dispatch_due(moment) for moment in moments]
    assert handed_out == [500, 100, 0, 0, 0]
    assert _queue_entries(live.redis_url) == expected
    assert {row.status for row in live.rows()} == {"enqueued"}

    # Redis restarts empty: each row is put back once, at the next dispatch, and only once after that.
    Redis.from_url(live.redis_url).flushdb()
    handed_out = [outbox.dispatch_due(moment) for moment in (now + timedelta(hours=4), now + timedelta(hours=4))]
    assert handed_out == [500, 100]
    assert outbox.dispatch_due(now + timedelta(hours=5)) == 0
    assert _queue_entries(live.redis_url) == expected
    _db.session.rollback()
