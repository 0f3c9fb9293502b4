"""The one transaction boundary: every service ends a user's action (or a job's step) with `commit()`.

`commit()` commits the session, turns a stale-version error (someone else changed the row since it was
read) into the Conflict the views show, and then dispatches the outbox rows written in that transaction.
Only the outbox's own delivery bookkeeping commits directly (it writes no new outbox rows). A commit that
bypasses this function while outbox rows are new is reported by `outbox.bypassed` (the tests fail on it).

`holding()` lets a web request answer with what it commits: inside it `commit()` only flushes (so stale
versions and unique clashes still surface in the service), the view builds its answer from the still-open
transaction, the caller stores what must be stored with the answer (an idempotency key, a form token) and
then calls `release()`, the one real commit. A read after the commit can then never turn a stored write
into a 500 ("ghost" error), and the write and its recorded answer are committed together or not at all.

`end_read_only()` ends a web request's transaction that wrote nothing with COMMIT instead of the rollback the
session's removal sends: for a read both are the same, but psycopg forgets every prepared statement on a
ROLLBACK, and a page's statements are only worth preparing (planned once, not on every page) when they live
longer than one request.
"""
import logging
import re
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from loket.extensions import db
from loket.services.errors import Conflict, InvalidInput
from loket.services.messaging import outbox

log = logging.getLogger(__name__)

STALE_MESSAGE = "Iemand anders heeft deze aanvraag net gewijzigd. Bekijk de nieuwe stand en probeer opnieuw."
CLASH_MESSAGE = ("Iemand anders heeft dit op hetzelfde moment opgeslagen of gewijzigd. Laad de pagina opnieuw "
                 "en kijk of het nog nodig is.")
HOLDING = "transaction_holding"  # session.info: commit() only flushes; release() commits
OWED = "transaction_owed"  # session.info: a commit() was held back
RELEASED = "transaction_released"  # session.info: outbox ids of a release, dispatched after the answer
# PostgreSQL's codes for a clash with another transaction: unique and foreign-key violations (two creates of
# one unique thing, a row removed meanwhile), serialization failure and deadlock.
CLASH_CODES = frozenset({"23505", "23503", "40001", "40P01"})
SQLITE_CLASH_WORDS = ("UNIQUE constraint failed", "FOREIGN KEY constraint failed")
WROTE = "transaction_wrote"  # a connection's info: its transaction sent a statement that is no plain SELECT
WRITING_COMMAND = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def commit() -> None:
    """Commit the current transaction, then dispatch the outbox rows it wrote (inside `holding()`: flush)."""
    session = db.session()
    if session.info.get(HOLDING):
        try:
            session.flush()
        except StaleDataError:
            session.rollback()
            raise Conflict(STALE_MESSAGE) from None
        session.info[OWED] = True
        return
    _commit(session)
    _dispatch(session)


def _commit(session) -> None:
    try:
        with outbox.committing(session):
            session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(STALE_MESSAGE) from None


def _dispatch(session) -> None:
    # The write is committed: a failure to hand its outbox rows on must not turn it into an error answer
    # (the rows stay pending and the scheduler's dispatch_due picks them up).
    try:
        outbox.dispatch_new(session)
    except Exception:
        log.exception("Dispatching the outbox rows of a committed transaction failed; they stay pending")
        session.rollback()


def hold() -> None:
    """From now on `commit()` only flushes, until `release()` (commit) or `abandon()` (roll back)."""
    db.session().info[HOLDING] = True


@contextmanager
def holding():
    """`hold()` for a block; leaving it without a `release()` abandons what was written."""
    hold()
    try:
        yield
    finally:
        if is_holding():
            abandon()


def is_holding() -> bool:
    return bool(db.session().info.get(HOLDING))


def commit_owed() -> bool:
    """Whether a service called `commit()` inside `holding()` (there is a write to release)."""
    return bool(db.session().info.get(OWED))


def release(*, dispatch_later: bool = False) -> None:
    """The one real commit of a held transaction (what the services wrote plus what the caller added).

    The answer is built by then and the request ends: the loaded rows are kept as committed instead of
    expired, so nothing after the commit (the response's own hooks) reads the database again. With
    `dispatch_later` the outbox rows are handed on by `dispatch_released()` (a web request's teardown, after
    its answer is complete), so a delivery that fails cannot roll back and expire what the answer still reads.
    """
    session = db.session()
    session.info.pop(HOLDING, None)
    session.info.pop(OWED, None)
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        _commit(session)
    finally:
        session.expire_on_commit = expire
    if dispatch_later:
        session.info[RELEASED] = session.info.pop(outbox.NEW_ROWS, [])
    else:
        _dispatch(session)


def dispatch_released() -> None:
    """Hand on the outbox rows of a `release(dispatch_later=True)`; never raises."""
    session = db.session()
    ids = session.info.pop(RELEASED, [])
    if ids:
        session.info.setdefault(outbox.NEW_ROWS, []).extend(ids)
        _dispatch(session)


def abandon() -> None:
    """Drop a held transaction (the view answered with an error): nothing of it is stored."""
    session = db.session()
    session.info.pop(HOLDING, None)
    session.info.pop(OWED, None)
    session.rollback()


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, cursor, statement, parameters, context, executemany) -> None:
    # Anything but a SELECT, or a WITH … SELECT that names no writing command, counts as a write (a SET and a
    # savepoint too): a wrong guess only costs a rollback where a commit would have done.
    if not _only_reads(statement):
        connection.info[WROTE] = True


def _only_reads(statement: str) -> bool:
    start = statement.lstrip()[:6].upper()
    return start == "SELECT" or (start[:4] == "WITH" and WRITING_COMMAND.search(statement) is None)


def end_read_only() -> None:
    """Commit the session's transaction when it wrote nothing and holds no change to write (see the module's
    docstring); anything else is left to the rollback that ends every request."""
    session = db.session()
    if not session.in_transaction() or session.info.get(HOLDING) or session.new or session.dirty or session.deleted:
        return
    if session.connection().info.get(WROTE, True):
        return
    session.commit()


UNSTORABLE_MESSAGE = ("Wat je invulde kan niet worden opgeslagen: het bevat een stuurteken (zoals een NUL-teken) "
                      "of een getal dat te groot is. Pas het aan en probeer het opnieuw.")


def refused_input_for(error: Exception) -> InvalidInput | None:
    """The InvalidInput a database error means when the database refused a value itself (PostgreSQL stores no
    NUL in text; a number beyond its column), else None. Every field is checked in its service first (the text
    rule, ids, ranges); this is the net below those checks, so a check that was forgotten answers 400, not 500."""
    if isinstance(error, DataError):
        return InvalidInput({"form": UNSTORABLE_MESSAGE})
    return None


def conflict_for(error: Exception) -> Conflict | None:
    """The Conflict a database error means when another transaction won a race, else None (a bug stays a 500).

    A stale version can also surface in an autoflush before `commit()`; a unique or foreign-key clash, a
    deadlock or a serialization failure comes from two transactions meeting.
    """
    if isinstance(error, StaleDataError):
        return Conflict(STALE_MESSAGE)
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "pgcode", None) or getattr(error.orig, "sqlstate", None)
        if code in CLASH_CODES:
            return Conflict(CLASH_MESSAGE)
        if isinstance(error, IntegrityError) and any(word in str(error.orig) for word in SQLITE_CLASH_WORDS):
            return Conflict(CLASH_MESSAGE)
    return None
