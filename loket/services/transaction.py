"""The one transaction boundary: every service ends a user's action (or a job's step) with `commit()`.

`commit()` commits the session, turns a stale-version error (someone else changed the row since it was
read) into the Conflict the views show, and then dispatches the outbox rows written in that transaction.
Only the outbox's own delivery bookkeeping commits directly (it writes no new outbox rows). A commit that
bypasses this function while outbox rows are new is reported by `outbox.bypassed` (the tests fail on it).
"""
from sqlalchemy.orm.exc import StaleDataError

from loket.extensions import db
from loket.services.errors import Conflict
from loket.services.messaging import outbox

STALE_MESSAGE = "Iemand anders heeft deze aanvraag net gewijzigd. Bekijk de nieuwe stand en probeer opnieuw."


def commit() -> None:
    """Commit the current transaction, then dispatch the outbox rows it wrote."""
    try:
        with outbox.committing(db.session()):
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(STALE_MESSAGE) from None
    outbox.dispatch_new(db.session())
