"""API writes with an `Idempotency-Key`: the first answer is kept with the key, a repeat gets that answer.

The life of a key (per user; the blueprint hook in blueprints/api/idempotency.py calls these):

1. `reserve` commits a row `in_progress` with the hash of method, path and body, before the write runs. A
   repeat while it is in progress is a Conflict (409); a repeat with another body a 422; a finished key is
   answered from the row (`Replay`). Two first attempts at once: the unique (user, key) lets one win.
2. The write runs inside `transaction.holding()`; `record` puts its answer on the row and the caller's
   `transaction.release()` commits the write and the answer together: a crash leaves either both or
   neither (then the row is still `in_progress`, see 4).
3. An error answer is not kept (`forget`): nothing was stored, so the same key may be sent again.
4. A reservation whose process died stays `in_progress`; after LOCK_TIMEOUT a repeat takes it over (the
   write itself was never committed, or the row would say `done`).

Keys expire after LIFETIME: an expired key counts as new, and a user's expired rows are removed when they
reserve a new key (so the table holds about one day of writes per active user).
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from loket.extensions import db
from loket.models import IdempotencyKey
from loket.models.base import utcnow
from loket.services import transaction
from loket.services.errors import Conflict, DomainError

LIFETIME = timedelta(hours=24)
LOCK_TIMEOUT = timedelta(seconds=60)  # far above any write; a retry after a crash waits at most this long
KEY_MAX = 255
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:~+/=-]{1,%d}" % KEY_MAX)
KEY_FORMAT_MESSAGE = (f"De header ‘Idempotency-Key’ moet 1 tot {KEY_MAX} tekens lang zijn, alleen letters, cijfers "
                      "en . _ : ~ + / = - (bijvoorbeeld een UUID).")
IN_PROGRESS_MESSAGE = ("Een verzoek met deze Idempotency-Key wordt nog verwerkt. Wacht even en stuur het dan "
                       "opnieuw met dezelfde sleutel.")
OTHER_REQUEST_MESSAGE = ("Deze Idempotency-Key is al gebruikt voor een ander verzoek (andere methode, ander pad of "
                         "andere body). Gebruik voor elk nieuw verzoek een nieuwe sleutel.")
# Headers of the first answer that a replay repeats (the rest is added per answer, e.g. security headers).
KEPT_HEADERS = ("Location", "Content-Type")


class KeyReused(DomainError):
    """The key was used for another request: 422."""

    status_code = 422


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: str
    headers: dict


def key_problem(key: str) -> str | None:
    """A Dutch message when the header's value cannot be a key, else None."""
    return None if KEY_PATTERN.fullmatch(key) else KEY_FORMAT_MESSAGE


def request_hash(method: str, path: str, body: bytes) -> str:
    """What a repeat must match: method, path (with query) and the body byte for byte."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode("utf-8", "surrogateescape"), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def reserve(*, user_id: int, key: str, fingerprint: str, now: datetime | None = None) -> Replay | None:
    """Take the key for this write (committed), or the first answer of a finished one. Call before holding."""
    now = now or utcnow()
    row = _row(user_id, key)
    if row is not None and row.expires_at <= now:
        db.session.delete(row)
        db.session.flush()
        row = None
    if row is None:
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                        IdempotencyKey.expires_at <= now))
        db.session.add(IdempotencyKey(user_id=user_id, key=key, request_hash=fingerprint, state="in_progress",
                                      created_at=now, locked_at=now, expires_at=now + LIFETIME))
        try:
            transaction.commit()
        except IntegrityError:  # the same key, reserved a moment ago by a parallel attempt
            db.session.rollback()
            raise Conflict(IN_PROGRESS_MESSAGE) from None
        return None
    if row.request_hash != fingerprint:
        raise KeyReused(OTHER_REQUEST_MESSAGE)
    if row.state == "done":
        return Replay(row.status_code, row.response_body, dict(row.response_headers or {}))
    taken = db.session.execute(  # an abandoned reservation: exactly one repeat takes it over
        update(IdempotencyKey)
        .where(IdempotencyKey.id == row.id, IdempotencyKey.state == "in_progress",
               IdempotencyKey.locked_at <= now - LOCK_TIMEOUT)
        .values(locked_at=now).execution_options(synchronize_session=False)).rowcount
    transaction.commit()
    if not taken:
        raise Conflict(IN_PROGRESS_MESSAGE)
    return None


def record(*, user_id: int, key: str, status_code: int, body: str, headers: dict) -> None:
    """Put the answer on the reserved row, in the write's (held) transaction; the caller releases it."""
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .values(state="done", status_code=status_code, response_body=body,
                response_headers={name: headers[name] for name in KEPT_HEADERS if name in headers})
        .execution_options(synchronize_session=False))


def forget(*, user_id: int, key: str) -> None:
    """Free the key after an error answer (nothing was stored): the same request may be sent again."""
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
                                                    IdempotencyKey.state == "in_progress"))
    transaction.commit()


def _row(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalars(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                           IdempotencyKey.key == key)).first()
