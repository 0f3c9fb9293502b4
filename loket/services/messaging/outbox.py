"""The transactional outbox: side effects are rows written in the caller's transaction, delivered after.

- `add_email` / `add_job` write a row in the current session (no commit); a repeated idempotency key
  is ignored, so writing the same notification twice sends it once.
- `transaction.commit()` commits and then calls `dispatch_new`, which dispatches the rows that transaction
  created: inline (no Redis) by delivering them right away, or by enqueueing an RQ job per row. If Redis is
  down the rows stay `pending`; `dispatch_due()` (run by the scheduler and by `flask worker --burst`) picks
  them up later.
- `deliver(id)` locks the row, sends, and marks it sent; transient failures (timeouts, 5xx, 429) are
  retried with exponential backoff, permanent ones (other 4xx) are marked failed with the reason.
  A worker killed mid-delivery leaves the row `enqueued`; after a visibility timeout it is dispatched again.
"""
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

from blinker import Namespace
from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from loket import jobs
from loket.extensions import db
from loket.models import OutboxMessage
from loket.models.base import utcnow
from loket.services.messaging.errors import PermanentError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
QUEUES = ("mail", "default", "reports")
DELIVER_JOB = "workers.outbox.deliver_outbox_message"
# How each kind of row is delivered, by dotted path (resolved through loket.jobs, so the outbox does not
# import what it delivers with): an email is rendered and sent by the mail module; a job runs its function.
DELIVERERS = {"email": "loket.services.messaging.mail.deliver", "job": "loket.services.messaging.outbox.run_job"}
NEW_ROWS = "outbox_new"  # session.info key: ids of rows written in the open transaction
COMMITTING = "outbox_committing"
bypassed = Namespace().signal("outbox-bypassed")


# ---------------------------------------------------------------- writing (inside the caller's transaction)

def add_email(template: str, *, to: str, context: dict, key: str) -> None:
    """Queue one email (one recipient) in the current transaction; a repeated key is ignored."""
    _insert(kind="email", name=template, queue="mail", key=key, payload={"to": to, "context": context})


def add_job(path: str, *, args: list | None = None, key: str, queue: str = "default") -> None:
    """Queue a job (dotted path + plain arguments) in the current transaction."""
    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}")
    _insert(kind="job", name=path, queue=queue, key=key, payload={"args": list(args or [])})


def _insert(*, kind: str, name: str, queue: str, key: str, payload: dict) -> None:
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    statement = (
        insert(OutboxMessage)
        .values(kind=kind, name=name, queue=queue, payload=payload, idempotency_key=key, status="pending",
                attempts=0, created_at=now, available_at=now)
        .on_conflict_do_nothing(index_elements=[OutboxMessage.idempotency_key])
        .returning(OutboxMessage.id)
    )
    new_id = db.session.execute(statement).scalar()
    if new_id is not None:
        db.session.info.setdefault(NEW_ROWS, []).append(new_id)


@sa_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(NEW_ROWS, None)


@contextmanager
def committing(session: Session):
    """Marks a commit made by `transaction.commit`, which dispatches the new rows afterwards."""
    session.info[COMMITTING] = True
    try:
        yield
    finally:
        session.info.pop(COMMITTING, None)


@sa_event.listens_for(Session, "after_commit")
def _report_bypass(session):
    if session.info.get(NEW_ROWS) and not session.info.get(COMMITTING):
        ids = session.info.pop(NEW_ROWS)
        log.error("Outbox rows %s were committed outside transaction.commit(); they wait for the scheduler", ids)
        bypassed.send(session, ids=ids)


def dispatch_new(session: Session) -> None:
    """Dispatch the rows the transaction just committed wrote (called by `transaction.commit`)."""
    new_ids = session.info.pop(NEW_ROWS, [])
    if new_ids:
        dispatch(new_ids)


# ---------------------------------------------------------------- dispatching

def dispatch(ids: list[int]) -> None:
    """Deliver inline (embedded mode) or enqueue on RQ. Never raises: the rows stay for dispatch_due."""
    if current_app.config["JOBS_INLINE"]:
        for outbox_id in ids:
            deliver(outbox_id)
        return
    try:
        for outbox_id in ids:
            _enqueue_one(outbox_id)
    except Exception:  # Redis down or similar: the dispatcher retries from the database
        log.warning("Could not enqueue outbox rows %s; they stay pending", ids, exc_info=True)
        db.session.rollback()


def _enqueue_one(outbox_id: int) -> None:
    row = db.session.get(OutboxMessage, outbox_id)
    if row is None or row.status in ("sent", "failed"):
        return
    jobs.enqueue(DELIVER_JOB, outbox_id, queue=row.queue, job_id=f"outbox-{outbox_id}-{row.attempts}")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id,
                                                   OutboxMessage.status.in_(("pending", "enqueued")))
                       .values(status="enqueued", enqueued_at=utcnow()))
    db.session.commit()


def dispatch_due(now: datetime | None = None, *, limit: int = 500) -> int:
    """Hand every due row to delivery: pending rows whose time has come, and enqueued rows that were
    never delivered (worker killed, Redis lost the job). Returns how many were dispatched."""
    now = now or utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_VISIBILITY_SECONDS"])
    ids = list(db.session.scalars(
        select(OutboxMessage.id).where(or_(
            (OutboxMessage.status == "pending") & (OutboxMessage.available_at <= now),
            (OutboxMessage.status == "enqueued") & (OutboxMessage.enqueued_at < stale),
        )).order_by(OutboxMessage.available_at, OutboxMessage.id).limit(limit)))
    db.session.commit()
    if ids:
        dispatch(ids)
    return len(ids)


# ---------------------------------------------------------------- delivering

def deliver(outbox_id: int, now: datetime | None = None) -> str | None:
    """Deliver one row exactly once in the normal case. Returns the row's new status (None if skipped).

    The row is locked for the duration (SKIP LOCKED on PostgreSQL), so two workers never send it twice.
    """
    query = select(OutboxMessage).where(OutboxMessage.id == outbox_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = db.session.scalar(query)
    if row is None or row.status in ("sent", "failed"):
        db.session.rollback()
        return None
    now = now or utcnow()
    try:
        jobs.resolve(DELIVERERS[row.kind])(row)
    except PermanentError as error:
        row.status, row.last_error = "failed", str(error)[:2000]
        row.attempts += 1
        log.error("Outbox %s failed permanently: %s", outbox_id, error)
    except Exception as error:  # TransientError and anything unexpected: retry with backoff
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.status = "pending"
            row.available_at = now + backoff(row.attempts)
        log.warning("Outbox %s attempt %s failed: %s", outbox_id, row.attempts, error)
    else:
        row.status, row.sent_at, row.last_error = "sent", now, None
        row.attempts += 1
    status = row.status
    db.session.commit()
    return status


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 1 hour."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(3600, base * 2 ** (attempts - 1)))


def run_job(row: OutboxMessage) -> None:
    """Deliver a job row: call its function with its plain arguments."""
    jobs.resolve(row.name)(*row.payload.get("args", []))
