"""Personal API tokens: issued after email + password, resolved from a bearer header, revoked.

Only the SHA-256 digest of a token is stored; the token itself is shown once, at issue. A token works
while it is not revoked, not expired, and its user is active.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from loket.extensions import db
from loket.models import ApiToken, User
from loket.models.base import utcnow
from loket.services import audit
from loket.services.errors import DomainError
from loket.services.network import two_factor
from loket.services.network.users import authenticate
from loket.services.transaction import commit

# A recognisable prefix lets secret scanners (and people) tell a Loket token from other secrets.
TOKEN_PREFIX = "lk_"
TOKEN_BYTES = 32
DEFAULT_LIFETIME_DAYS = 90
# last_used_at is informative, not an audit trail: writing it at most this often keeps reads read-only.
LAST_USED_RESOLUTION = timedelta(minutes=5)
MAX_TOKEN_LENGTH = 200
INVALID_CREDENTIALS_MESSAGE = "Het e-mailadres of wachtwoord klopt niet, of het account is niet actief."
OTP_NEEDED_MESSAGE = ("Voor dit account is een code van de tweestapsverificatie nodig: stuur de code uit je "
                      "authenticator-app (of een herstelcode) mee in het veld otp.")
OTP_WRONG_MESSAGE = ("De code van de tweestapsverificatie (veld otp) klopt niet of is al gebruikt. Stuur de code "
                     "die je app nu toont, of een herstelcode die je nog niet hebt gebruikt.")
ENROLMENT_NEEDED_MESSAGE = ("Voor jouw rol is tweestapsverificatie verplicht. Zet die eerst aan op je accountpagina "
                            "in Loket; daarna kun je een API-token aanmaken.")


class InvalidCredentials(DomainError):
    status_code = 401


class SecondFactorNeeded(InvalidCredentials):
    """The password is right, but the account's second step (a TOTP or recovery code) is missing or wrong, or
    the role requires two-factor authentication that is not yet on: 401 saying which."""


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret itself: never stored, shown to the caller once
    record: ApiToken


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(email: str, password: str, otp: str | None = None, *, client_address: str | None = None,
                now: datetime | None = None) -> IssuedToken:
    """Authenticate by email + password (+ otp, the second step, for an account with two-factor
    authentication) and issue a new token for that user.

    The lifetime comes from the API_TOKEN_LIFETIME_DAYS setting (default 90; 0 = no expiry).
    Side effects: records the login (commits) and stores the token's digest (commits).
    :raises InvalidCredentials: unknown email, wrong password or inactive account (one message for all).
    :raises users.EmailNotConfirmed: the password is right but the address was never confirmed (403).
    :raises SecondFactorNeeded: (only after the right password) the otp is missing or wrong, or the role requires
        two-factor authentication that is not on yet.
    """
    now = now or utcnow()
    user = authenticate(email, password, client_address=client_address)
    if user is None:
        raise InvalidCredentials(INVALID_CREDENTIALS_MESSAGE)
    if user.has_two_factor:
        if not otp:
            raise SecondFactorNeeded(OTP_NEEDED_MESSAGE)
        ok = two_factor.verify(user, otp)
        if not ok:
            two_factor.record_failed_second_step(user, client_address)
        commit()
        if not ok:
            raise SecondFactorNeeded(OTP_WRONG_MESSAGE)
    elif two_factor.required_for(user):
        raise SecondFactorNeeded(ENROLMENT_NEEDED_MESSAGE)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    lifetime_days = current_app.config.get("API_TOKEN_LIFETIME_DAYS", DEFAULT_LIFETIME_DAYS)
    record = ApiToken(user=user, digest=digest_of(token), created_at=now,
                      expires_at=now + timedelta(days=lifetime_days) if lifetime_days else None)
    db.session.add(record)
    audit.record("login", actor=user, subject_kind="user", subject_id=user.id, label="API-sleutel",
                 client_address=client_address)
    commit()
    return IssuedToken(token=token, record=record)


def resolve_token(token: str | None, *, now: datetime | None = None) -> ApiToken | None:
    """The live token record for a presented token, or None (unknown, revoked, expired, inactive user).

    Side effects: refreshes last_used_at (commits) when it is older than LAST_USED_RESOLUTION.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now or utcnow()
    # The user and their memberships come in the same statement: every API call reads them.
    record = db.session.scalars(select(ApiToken).where(ApiToken.digest == digest_of(token))
                                .options(joinedload(ApiToken.user).joinedload(User.memberships))).unique().first()
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        record.last_used_at = now
        commit()
    return record


def revoke_token(record: ApiToken, *, now: datetime | None = None) -> None:
    """Revoke one token; later requests with it get 401. Side effects: commits."""
    if record.revoked_at is None:
        record.revoked_at = now or utcnow()
        commit()


def revoke_all_of(user, *, now: datetime | None = None) -> int:
    """Revoke every live token of `user` (sign out everywhere, a new password); returns how many.
    Part of the caller's transaction: the caller commits."""
    return db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False)).rowcount
