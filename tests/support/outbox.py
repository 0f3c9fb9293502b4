"""Leaving outbox rows behind on purpose, as a web process that died right after its commit would."""
from loket.extensions import db as _db
from loket.services.messaging import outbox


def commit_leaving_rows_pending() -> None:
    """Commit without dispatching the new outbox rows: they stay `pending` for the dispatcher."""
    with outbox.committing(_db.session()):
        _db.session.commit()
    _db.session.info.pop(outbox.NEW_ROWS, None)
