"""Single-use, expiring links mailed to a person (confirm an address, reset a password, confirm a new address).

The token is 32 random bytes (URL-safe text) that exists only in the mail; the database keeps its SHA-256, so
a copy of the database opens nothing. Redeeming marks it used in one conditional UPDATE (two clicks at once:
one wins) and retires the user's other open tokens of the same purpose (an older reset link stops working).
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from loket.extensions import db
from loket.models import AccountToken, User
from loket.models.base import utcnow
from loket.services.errors import InvalidInput

TOKEN_MAX = 100  # longer input is no token of ours: refused before hashing

INVALID = "Deze link klopt niet. Vraag een nieuwe aan."
EXPIRED = "Deze link is verlopen. Vraag een nieuwe aan."
USED = "Deze link is al gebruikt. Vraag zo nodig een nieuwe aan."


def lifetime(purpose: str) -> timedelta:
    """How long a link of this purpose works (PASSWORD_RESET_MINUTES, TEAM_INVITATION_DAYS, EMAIL_CONFIRMATION_HOURS)."""
    if purpose == "reset_password":
        return timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    if purpose == "set_password":  # an invitation to an account someone made for you
        return timedelta(days=current_app.config["TEAM_INVITATION_DAYS"])
    return timedelta(hours=current_app.config["EMAIL_CONFIRMATION_HOURS"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token for a mailed link, and the digest to store instead of it."""
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def digest_of(token: str | None) -> str | None:
    """The stored digest of a token as it arrived in a link or body; None when it cannot be one of ours (empty,
    too long, not ASCII), refused before hashing. Shared by every kind of mailed link (team invitations too)."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX or not token.isascii():
        return None
    return _digest(token)


def issue(user: User, purpose: str, *, new_email: str | None = None, now: datetime | None = None) -> str:
    """Add a token for `user` to the session (the caller commits, with the mail that carries it) and return
    the token text to put in the link."""
    now = now or utcnow()
    token, token_hash = new_token()
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=token_hash, new_email=new_email,
                                created_at=now, expires_at=now + lifetime(purpose)))
    return token


def peek(token: str | None, purpose: str, *, now: datetime | None = None) -> AccountToken:
    """The open token of this purpose, without using it (to show a form behind the link); InvalidInput
    (field "token", Dutch) when it is wrong, expired or used."""
    now = now or utcnow()
    token_hash = digest_of(token)
    if token_hash is None:
        raise InvalidInput({"token": INVALID})
    record = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == token_hash,
                                                          AccountToken.purpose == purpose))
    if record is None:
        raise InvalidInput({"token": INVALID})
    if record.used_at is not None:
        raise InvalidInput({"token": USED})
    if record.expires_at <= now:
        raise InvalidInput({"token": EXPIRED})
    return record


def redeem(token: str | None, purpose: str, *, now: datetime | None = None) -> AccountToken:
    """Use the token: it and the user's other open tokens of this purpose stop working. Returns the record
    (its user and new_email tell what to do). InvalidInput as `peek`; the caller commits."""
    now = now or utcnow()
    record = peek(token, purpose, now=now)
    won = db.session.execute(
        update(AccountToken).where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise InvalidInput({"token": USED})
    db.session.execute(
        update(AccountToken).where(AccountToken.user_id == record.user_id, AccountToken.purpose == purpose,
                                   AccountToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    db.session.refresh(record)
    return record
