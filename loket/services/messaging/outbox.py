"""The transactional outbox: side effects are rows written in the caller's transaction, delivered after.

- `add_email` / `add_job` write a row in the current session (no commit); a repeated idempotency key
  is ignored, so writing the same notification twice sends it once.
- `transaction.commit()` commits and then calls `dispatch_new`, which dispatches the rows that transaction
  created: inline (no Redis) by delivering them right away, or by enqueueing an RQ job per row. If Redis is
  down the rows stay `pending`; `dispatch_due()` (run by the scheduler and by `flask worker --burst`) picks
  them up later.
- `deliver(id)` takes the row (`sending`, its own commit), sends, and marks it sent; transient failures
  (timeouts, 5xx, 429) are retried with exponential backoff, permanent ones (other 4xx) are marked failed with
  the reason. A row is never queued twice for one attempt (its RQ job id is `outbox-<id>-<attempts>` and
  Redis is asked first); a row left `sending` is not sent again unasked (see `dispatch_due`).
"""
import logging
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from blinker import Namespace
from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
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
    add_emails([Email(template, to, context, key)])


@dataclass(frozen=True)
class Email:
    """One email to write with `add_emails`: template, recipient, the template's context, idempotency key."""

    template: str
    to: str
    context: dict
    key: str


def add_emails(emails: Iterable[Email]) -> None:
    """Queue several emails in the current transaction with one INSERT (however many recipients); as with
    `add_email`, a key that is already stored, or repeated in `emails`, is written once."""
    unique = {}
    for email in emails:
        unique.setdefault(email.key, email)
    _insert([_row(kind="email", name=email.template, queue="mail", key=email.key,
                  payload={"to": email.to, "context": email.context}) for email in unique.values()])


def add_job(path: str, *, args: list | None = None, key: str, queue: str = "default") -> None:
    """Queue a job (dotted path + plain arguments) in the current transaction."""
    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}")
    _insert([_row(kind="job", name=path, queue=queue, key=key, payload={"args": list(args or [])})])


def _row(*, kind: str, name: str, queue: str, key: str, payload: dict) -> dict:
    now = utcnow()
    return dict(kind=kind, name=name, queue=queue, payload=payload, idempotency_key=key, status="pending",
                attempts=0, created_at=now, available_at=now)


INSERT_BATCH = 500  # rows per INSERT: well within the bound parameters PostgreSQL and SQLite accept


def _insert(rows: list[dict]) -> None:
    """Write `rows` with one multi-row INSERT (per INSERT_BATCH rows), skipping keys already stored; the new
    ids are remembered for the dispatch after the commit."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(rows), INSERT_BATCH):
        statement = (
            insert(OutboxMessage)
            .values(rows[start:start + INSERT_BATCH])
            .on_conflict_do_nothing(index_elements=[OutboxMessage.idempotency_key])
            .returning(OutboxMessage.id)
        )
        new_ids = sorted(db.session.execute(statement).scalars())
        if new_ids:
            db.session.info.setdefault(NEW_ROWS, []).extend(new_ids)


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

def job_id(outbox_id: int, attempts: int) -> str:
    """The RQ job id of one delivery attempt of a row: the same row is never queued twice for one attempt."""
    return f"outbox-{outbox_id}-{attempts}"


def dispatch(ids: list[int]) -> None:
    """Deliver inline (embedded mode) or enqueue on RQ. Never raises: the rows stay for dispatch_due."""
    if current_app.config["JOBS_INLINE"]:
        for outbox_id in ids:
            try:
                deliver(outbox_id)
            except Exception:  # the database went away mid-delivery: the row says how far it got
                log.exception("Delivering outbox row %s failed; it waits for the dispatcher", outbox_id)
                db.session.rollback()
        return
    try:
        _enqueue(ids)
    except Exception:  # Redis down or similar: the dispatcher retries from the database
        log.warning("Could not enqueue outbox rows %s; they stay pending", ids, exc_info=True)
        db.session.rollback()


def _enqueue(ids: list[int]) -> None:
    """One RQ job per row that is not delivered yet, unless that row's job is still queued or running (a
    dispatcher must never put a second copy of a job on the queue, however long the backlog takes)."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.queue, OutboxMessage.attempts)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status.in_(("pending", "enqueued")))).all()
    if not rows:
        db.session.rollback()
        return
    connection = jobs.redis_connection()
    running = jobs.in_progress([job_id(row.id, row.attempts) for row in rows], connection=connection)
    for row in rows:
        if job_id(row.id, row.attempts) not in running:
            jobs.enqueue(DELIVER_JOB, row.id, queue=row.queue, job_id=job_id(row.id, row.attempts),
                         connection=connection)
    # A worker may already have taken a row (sending, sent): only rows still waiting are marked.
    db.session.execute(update(OutboxMessage)
                       .where(OutboxMessage.id.in_([row.id for row in rows]),
                              OutboxMessage.status.in_(("pending", "enqueued")))
                       .values(status="enqueued", enqueued_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def dispatch_due(now: datetime | None = None, *, limit: int = 500) -> int:
    """Hand every due row to delivery; returns how many were handed out. Run by the scheduler every tick and
    by `flask worker` when it (re)connects to Redis.

    - pending rows whose time has come;
    - enqueued rows whose job is gone: with Redis, those whose RQ job is no longer queued or running (Redis
      restarted empty, the worker died before it took the row); without Redis to ask, those enqueued
      longer than OUTBOX_VISIBILITY_SECONDS ago;
    - rows left `sending` longer than OUTBOX_VISIBILITY_SECONDS (the worker died, or its last commit failed)
      are never sent again unasked: a mail may have reached SendGrid, so it becomes `failed` for beheer to
      check in SendGrid and retry; a job (jobs are idempotent) is run again.
    """
    now = now or utcnow()
    visibility = timedelta(seconds=current_app.config["OUTBOX_VISIBILITY_SECONDS"])
    _settle_interrupted(now - visibility, now)
    ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.available_at <= now)
        .order_by(OutboxMessage.available_at, OutboxMessage.id).limit(limit)))
    if current_app.config["JOBS_INLINE"]:
        ids += db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "enqueued", OutboxMessage.enqueued_at < now - visibility)
            .order_by(OutboxMessage.id).limit(limit - len(ids)))
    else:
        ids += _lost_jobs(limit - len(ids))
    db.session.commit()
    if ids:
        dispatch(ids)
    return len(ids)


def _lost_jobs(limit: int) -> list[int]:
    """Enqueued rows whose RQ job will not run (at most `limit`), read in batches; none when Redis is away."""
    lost: list[int] = []
    after = 0
    try:
        connection = jobs.redis_connection()
        while len(lost) < limit:
            batch = db.session.execute(
                select(OutboxMessage.id, OutboxMessage.attempts)
                .where(OutboxMessage.status == "enqueued", OutboxMessage.id > after)
                .order_by(OutboxMessage.id).limit(500)).all()
            if not batch:
                break
            running = jobs.in_progress([job_id(row.id, row.attempts) for row in batch], connection=connection,
                                       clean_queues=() if after else QUEUES)
            lost += [row.id for row in batch if job_id(row.id, row.attempts) not in running]
            after = batch[-1].id
    except Exception:  # Redis away: nothing can be enqueued now anyway; the next tick asks again
        log.warning("Could not ask Redis which outbox jobs are queued", exc_info=True)
    return lost[:limit]


def maybe_sent_message(key: str) -> str:
    """Beheer's reason on a mail whose delivery was interrupted after SendGrid may have taken it."""
    return (f"Mogelijk verzonden — controleer in SendGrid (outbox_key {key}): de verzending werd onderbroken "
            "nadat de mail aan SendGrid werd gegeven. Alleen als SendGrid hem niet kent: opnieuw versturen.")


def _settle_interrupted(taken_before: datetime, now: datetime) -> None:
    """Rows a worker took before `taken_before` and never finished (status still sending)."""
    rows = list(db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.sending_at < taken_before)
        .order_by(OutboxMessage.id)))
    for row in rows:
        if row.kind == "email":
            row.status, row.last_error = "failed", maybe_sent_message(row.idempotency_key)
            log.error("Outbox %s (%s) was interrupted while sending; marked failed for beheer to check in SendGrid",
                      row.id, row.idempotency_key)
        else:
            row.attempts += 1
            row.last_error = "Onderbroken: de worker stopte tijdens deze taak."
            row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            row.available_at = now
            log.warning("Outbox job %s was interrupted; it runs again", row.id)
    if rows:
        db.session.commit()


# ---------------------------------------------------------------- delivering

def deliver(outbox_id: int, now: datetime | None = None) -> str | None:
    """Deliver one row. Returns the row's new status (None if it was not this call's to deliver).

    The row is first taken — status `sending`, committed on its own — with an UPDATE that only a waiting row
    passes, so two workers never both deliver it. Only then is SendGrid called (or the job run), and the
    outcome is written after. A crash between SendGrid's answer and that last commit is the one way a mail can
    be sent twice: the row stays `sending`, and dispatch_due marks it failed ("mogelijk verzonden") instead of
    sending it again.
    """
    now = now or utcnow()
    taken = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status.in_(("pending", "enqueued")))
        .values(status="sending", sending_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if taken != 1:
        return None
    row = db.session.get(OutboxMessage, outbox_id)
    attempts = row.attempts + 1
    try:
        jobs.resolve(DELIVERERS[row.kind])(row)
    except PermanentError as error:
        db.session.rollback()
        outcome = {"status": "failed", "last_error": str(error)[:2000]}
        log.error("Outbox %s failed permanently: %s", outbox_id, error)
    except Exception as error:  # TransientError and anything unexpected: retry with backoff
        db.session.rollback()
        outcome = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
        if attempts >= MAX_ATTEMPTS:
            outcome["status"] = "failed"
        else:
            outcome.update(status="pending", available_at=now + backoff(attempts))
        log.warning("Outbox %s attempt %s failed: %s", outbox_id, attempts, error)
    else:
        outcome = {"status": "sent", "sent_at": now, "last_error": None}
    _record(outbox_id, {**outcome, "attempts": attempts})
    return outcome["status"]


RECORD_TRIES = 3


def _record(outbox_id: int, values: dict) -> None:
    """Write a delivery's outcome (with what a job left in the session); a failing commit is tried again
    briefly, since the row otherwise stays `sending` and a sent mail would end as 'mogelijk verzonden'."""
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(**values)
                               .execution_options(synchronize_session=False))
            db.session.commit()
            return
        except SQLAlchemyError:
            db.session.rollback()
            if attempt == RECORD_TRIES:
                log.error("Outbox %s: its outcome (%s) could not be stored; it stays 'sending'", outbox_id,
                          values["status"])
                raise
            time.sleep(0.5 * attempt)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 1 hour."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(3600, base * 2 ** (attempts - 1)))


def run_job(row: OutboxMessage) -> None:
    """Deliver a job row: call its function with its plain arguments."""
    jobs.resolve(row.name)(*row.payload.get("args", []))
