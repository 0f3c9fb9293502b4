"""Enqueueing jobs by dotted path: RQ when REDIS_URL is set, inline otherwise (same functions)."""
import importlib

from flask import current_app


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


def enqueue(path: str, *args, queue: str = "default", job_id: str | None = None, **options):
    """Run `path(*args)` in a worker (RQ) or right here when jobs are inline. Returns the RQ job or None."""
    if current_app.config["JOBS_INLINE"]:
        resolve(path)(*args)
        return None
    from rq import Queue

    return Queue(queue, connection=redis_connection()).enqueue(path, *args, job_id=job_id, **options)


def worker_class():
    """The RQ worker `flask worker` runs: forking, and each work horse gets fresh DB connections."""
    from rq import Worker

    from loket.extensions import db

    class LoketWorker(Worker):
        # A forked process must not reuse the parent's database connections (shared sockets).
        def main_work_horse(self, job, queue):
            db.engine.dispose(close=False)
            return super().main_work_horse(job, queue)

    return LoketWorker
