"""Enqueueing jobs by dotted path: RQ when REDIS_URL is set, inline otherwise (same functions); which RQ jobs
are still waiting or running; and the worker loop of `flask worker`, which outlives Redis outages."""
import importlib
import logging
import signal
import time

from flask import current_app

log = logging.getLogger(__name__)

# RQ job states in which the job will still run or is running: enqueueing it again would run it twice.
IN_PROGRESS = frozenset({"queued", "started", "deferred", "scheduled"})


def resolve(path: str):
    """The function behind a dotted path like 'workers.outbox.deliver_outbox_message'."""
    module_name, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)


def queue(name: str):
    from rq import Queue

    return Queue(name, connection=redis_connection())


def enqueue(path: str, *args, queue: str = "default", job_id: str | None = None, connection=None, **options):
    """Run `path(*args)` in a worker (RQ) or right here when jobs are inline. Returns the RQ job or None."""
    if current_app.config["JOBS_INLINE"]:
        resolve(path)(*args)
        return None
    from rq import Queue

    return Queue(queue, connection=connection or redis_connection()).enqueue(path, *args, job_id=job_id, **options)


def in_progress(job_ids: list[str], *, clean_queues: tuple[str, ...] = (), connection=None) -> set[str]:
    """The ids among `job_ids` whose RQ job is queued or running, so enqueueing it again would run it twice.

    Missing jobs (Redis restarted empty, results expired) are not in progress. A job whose worker died with it
    stays "started" in Redis until RQ's started-job registry of its queue notices (no heartbeat for about 90
    seconds) and fails it; with `clean_queues` that check is done here first. One round trip for all ids.
    Raises RedisError when Redis is away.
    """
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    if not job_ids:
        return set()
    connection = connection or redis_connection()
    for name in clean_queues:
        StartedJobRegistry(name, connection=connection).cleanup()
    with connection.pipeline(transaction=False) as pipeline:
        for job_id in job_ids:
            pipeline.hget(Job.key_for(job_id), "status")
        statuses = pipeline.execute()
    return {job_id for job_id, status in zip(job_ids, statuses)
            if status is not None and status.decode() in IN_PROGRESS}


def worker_class():
    """The RQ worker `flask worker` runs: one process that runs its jobs itself, one after another.

    RQ's default worker forks a work horse per job; that costs a fork, a fresh database connection and
    RQ's horse bookkeeping — about 350 ms per mail on a busy machine against about 15 ms for the delivery
    itself, so 50,000 mails took hours. Jobs here are our own short functions (take ids, commit, return), so
    the isolation a fork buys is not worth that: this worker keeps its connections and compiled templates,
    and ends each job's database session (rolled back if the job left it open). What is given up: a job that
    crashes the interpreter or leaks memory takes the worker with it (its supervisor starts it again; the job
    stays "started" until RQ's registry notices, and its outbox row ends as after any crash — see the outbox).
    The job timeout still holds (SIGALRM in this process).

    When Redis goes away RQ would retry by itself, silently, and then go on without knowing that Redis may
    have come back empty; this worker leaves its work loop instead (`redis_lost`), so `run_worker` reconnects
    with its own backoff and first hands out what waited in the database.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from rq import SimpleWorker
    from rq.exceptions import StopRequested

    from loket.extensions import db

    lost_errors = (RedisConnectionError, RedisTimeoutError)

    class LoketWorker(SimpleWorker):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.redis_lost: Exception | None = None
            self.stop_asked = False
            worker = self

            class WatchedQueue(self.queue_class):
                @classmethod
                def dequeue_any(cls, *args, **kwargs):
                    try:
                        return super().dequeue_any(*args, **kwargs)
                    except lost_errors as error:
                        worker.redis_lost = error
                        raise StopRequested() from error

            self.queue_class = WatchedQueue

        def heartbeat(self, timeout=None, pipeline=None):
            try:
                return super().heartbeat(timeout, pipeline)
            except lost_errors as error:
                self.redis_lost = error
                raise StopRequested() from error

        def handle_warm_shutdown_request(self):
            self.stop_asked = True
            super().handle_warm_shutdown_request()

        def execute_job(self, job, queue):
            try:
                return super().execute_job(job, queue)
            finally:
                # The next job starts from a clean session, as a fresh process would (no stale identity map,
                # no transaction a failed job left open); the connection goes back to the pool.
                db.session.remove()

    return LoketWorker


class _Stop(Exception):
    """SIGTERM or SIGINT while the worker waits for Redis."""


def _stop_on_signal(signum, frame):
    raise _Stop()


def run_worker(queue_names: list[str], *, burst: bool = False, on_connect=None) -> None:
    """RQ's work loop, kept running through Redis outages (`flask worker`).

    Each time Redis is reachable (at the start and after an outage) `on_connect()` runs first — the outbox's
    dispatch_due, which puts back what Redis lost and what could not be enqueued meanwhile — and a fresh RQ
    worker registers. While Redis is away it is tried again after 1, 2, 4 … seconds, at most
    WORKER_RECONNECT_MAX_SECONDS apart, one log line per attempt. SIGTERM/SIGINT end it (a warm shutdown while
    a job runs). `burst` processes what is queued and stops; it does not wait for a Redis that is away.
    """
    from redis.exceptions import RedisError
    from rq.exceptions import StopRequested

    cap = max(0.1, float(current_app.config["WORKER_RECONNECT_MAX_SECONDS"]))
    attempt, wait = 0, min(1.0, cap)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop_on_signal)
    while True:
        worker = None
        try:
            connection = redis_connection()
            connection.ping()
            if attempt:
                log.warning("Redis weer bereikbaar na %d pogingen; de worker gaat verder", attempt)
            attempt, wait = 0, min(1.0, cap)
            if on_connect is not None:
                try:
                    on_connect()
                except RedisError:
                    raise
                except Exception:  # the database away: the jobs can still run, the scheduler dispatches later
                    log.exception("Uitgaande berichten klaarzetten mislukt; de worker begint toch")
            worker = worker_class()(queue_names, connection=connection)
            worker.work(burst=burst, with_scheduler=False)
            if burst or worker.stop_asked:
                return
            reason = worker.redis_lost or "RQ stopped its work loop"
        except (_Stop, StopRequested):
            return
        except RedisError as error:
            if burst or (worker is not None and worker.stop_asked):
                raise
            reason = error
        finally:
            if worker is not None:
                _end_pubsub(worker)
                # RQ installed its own handlers for its loop; while waiting, ours apply again.
                for signum in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(signum, _stop_on_signal)
        attempt += 1
        log.warning("Redis onbereikbaar (%s); poging %d over %.0f s", reason, attempt, wait)
        try:
            time.sleep(wait)
        except _Stop:
            return
        wait = min(wait * 2, cap)


def _end_pubsub(worker) -> None:
    """Stop the thread listening for RQ's worker commands; RQ's teardown cannot when Redis is away, and it
    would go on retrying beside the next worker."""
    thread = getattr(worker, "pubsub_thread", None)
    if thread is not None and thread.is_alive():
        thread.stop()
        thread.join(timeout=1)
