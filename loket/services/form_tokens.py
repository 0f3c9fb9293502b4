"""One-time form tokens: a form that creates something stores once, however often it is sent.

A token is random and issued with the rendered form (nothing is written then: a GET never changes state).
The submit that creates something consumes it in its own transaction (`consume`: a row with a unique
token, and where the user was sent on); a second submit of the same token finds the row (`location_of`)
and is sent there too instead of storing again. Two submits at the same moment meet at the unique token:
the second waits for the first's commit and is refused by the index (the caller rolls back and sends it on).
Tokens are kept for LIFETIME; older rows are removed when a new one is consumed.
"""
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from loket.extensions import db
from loket.models import FormToken
from loket.models.base import utcnow

LIFETIME = timedelta(hours=24)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
ALREADY_SENT_MESSAGE = "Dit was al verstuurd."


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_token(value) -> bool:
    return isinstance(value, str) and TOKEN_PATTERN.fullmatch(value) is not None


def location_of(token: str, *, user_id: int | None, now: datetime | None = None) -> str | None:
    """Where the first submit of this token sent its user (None: not used yet, expired, or someone else's)."""
    now = now or utcnow()
    row = db.session.scalars(select(FormToken).where(FormToken.token == token)).first()
    if row is None or row.user_id != user_id or row.created_at <= now - LIFETIME:
        return None
    return row.location


def consume(token: str, *, user_id: int | None, location: str, now: datetime | None = None) -> None:
    """Use the token up in the current (held) transaction; flushes, so a token used meanwhile raises
    IntegrityError here or at the commit."""
    now = now or utcnow()
    db.session.execute(delete(FormToken).where(FormToken.created_at <= now - LIFETIME))
    db.session.add(FormToken(token=token, user_id=user_id, location=location[:2000], created_at=now))
    db.session.flush()
