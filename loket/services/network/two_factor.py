"""Two-factor authentication: a TOTP code (RFC 6238, 30-second steps, 6 digits) from an authenticator app, or
one of ten single-use recovery codes.

Any user may turn it on; the coördinatiepunt, beheer and team leads must (`required_for`). Turning it on takes a
code from the new secret, so nobody ends up with a secret their app does not hold. A code is accepted for the
step before, the current and the next one (clocks drift), but each step only once per user: the last accepted
step is stored and a code of that step or an earlier one is refused (a code seen over a shoulder or in a log
cannot be used again). The check and the write are one conditional UPDATE, so two requests with one code
cannot both pass. Recovery codes are random, so their SHA-256 is stored, and each is used up by one
conditional UPDATE too.
"""
import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from loket.extensions import db
from loket.models import RecoveryCode, User
from loket.models.base import utcnow
from loket.services import audit
from loket.services.errors import Conflict, InvalidInput
from loket.services.network.passwords import verify_password
from loket.services.transaction import commit

ISSUER = "Loket"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # one step before and after the current one
RECOVERY_CODE_COUNT = 10
SECRET_MIN_LENGTH = 16  # base32 characters (80 bits); new secrets have 32 (160 bits)
CODE_MAX = 20
REQUIRED_ROLES = ("coordinatiepunt", "beheer")

CODE_NEEDED = "Vul de code uit je authenticator-app in, of een van je herstelcodes."
FAILED_STEP_LABEL = "tweede stap: verkeerde code"
CODE_WRONG = ("Deze code klopt niet of is al gebruikt. Vul de code in die je app nu toont, of een herstelcode "
              "die je nog niet hebt gebruikt.")
WRONG_PASSWORD = "Dit is niet je huidige wachtwoord."
REQUIRED = ("Voor jouw rol (coördinatiepunt, beheer of teamleider) is tweestapsverificatie verplicht; je kunt "
            "haar niet uitzetten.")
ALREADY_ON = "Tweestapsverificatie staat al aan."
NOT_ON = "Tweestapsverificatie staat niet aan."
SECRET_INVALID = ("Deze sleutel is geen geldige base32-tekst van minstens 16 tekens (alleen de letters A–Z en de "
                  "cijfers 2–7).")


def required_for(user: User) -> bool:
    """Whether the user's roles require two-factor authentication: coördinatiepunt, beheer, team leads."""
    return user.has_role(*REQUIRED_ROLES) or any(m.is_team_lead for m in user.memberships)


def new_secret() -> str:
    """A fresh random secret (160 bits, base32) for an authenticator app."""
    return pyotp.random_base32(32)


def normalise_secret(secret: str | None) -> str:
    """A base32 secret as typed (spaces, lower case allowed) in canonical form.
    :raises InvalidInput: {"totp_secret": Dutch message} when it is not valid base32 of sufficient length."""
    text = "".join((secret or "").split()).upper().rstrip("=")
    if len(text) < SECRET_MIN_LENGTH or len(text) > 64 or not text.isascii() or not text.isalnum():
        raise InvalidInput({"totp_secret": SECRET_INVALID})
    try:
        base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise InvalidInput({"totp_secret": SECRET_INVALID}) from None
    return text


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(user: User, secret: str) -> Markup:
    """The QR code of the provisioning address as inline SVG, rendered here (no image service sees the
    secret), with a Dutch title for screen readers."""
    svg = segno.make(provisioning_uri(user, secret), error="m").svg_inline(
        scale=4, border=2, title="QR-code voor je authenticator-app", svgclass="qr-code")
    return Markup(svg)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def usable_steps(last_used: int | None, now: float | None = None) -> list[int]:
    """The time steps whose codes would be accepted now and were not used yet, earliest first; the step before
    the current one only while it stays accepted for another 10 seconds (for helpers that compute a code the
    way an app shows one: tests, the demo's instructions)."""
    now = time.time() if now is None else now
    step = current_step(now)
    earliest = step - DRIFT_STEPS if now % STEP_SECONDS < STEP_SECONDS - 10 else step
    return [s for s in range(earliest, step + DRIFT_STEPS + 1) if last_used is None or s > last_used]


def code_at(secret: str, step: int) -> str:
    """The 6-digit code of a secret at a time step (what an authenticator app shows)."""
    return pyotp.TOTP(secret).generate_otp(step)


def _clean_code(code: str | None) -> str:
    text = "".join((code or "").split()).replace("-", "").lower()
    return text if len(text) <= CODE_MAX and text.isascii() and text.isalnum() else ""


def _matching_step(secret: str, code: str, now: float | None) -> int | None:
    if not (len(code) == 6 and code.isdigit()):
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def _use_step(user: User, step: int) -> bool:
    """Record `step` as used for this user unless it (or a later one) already was: one conditional UPDATE."""
    done = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if done:
        user.totp_last_step = step
    return bool(done)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != 10:
        return False
    return bool(db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount)


def verify(user: User, code: str | None, *, now: float | None = None) -> bool:
    """Whether `code` is a fresh TOTP code or an unused recovery code of the user; the code is used up either
    way. In the caller's transaction (the caller commits, also when it fails: nothing is written then)."""
    if not user.has_two_factor:
        return False
    code = _clean_code(code)
    if not code:
        return False
    step = _matching_step(user.totp_secret, code, now)
    if step is not None:
        return _use_step(user, step)
    return _use_recovery_code(user, code)


def check_code(user: User, code: str | None, *, now: float | None = None,
               client_address: str | None = None) -> None:
    """Verify a second step at login (web or API). Side effects: commits (the step or recovery code used, or
    the failed attempt in the audit log).
    :raises InvalidInput: {"code": Dutch message} when missing or wrong."""
    if not _clean_code(code):
        raise InvalidInput({"code": CODE_NEEDED})
    ok = verify(user, code, now=now)
    if not ok:
        record_failed_second_step(user, client_address)
    commit()
    if not ok:
        raise InvalidInput({"code": CODE_WRONG})


def record_failed_second_step(user: User, client_address: str | None) -> None:
    """A wrong code after the right password, in the audit log (the caller commits)."""
    audit.record("login_failed", actor=None, subject_kind="user", subject_id=user.id, label=FAILED_STEP_LABEL,
                 client_address=client_address)


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by ten new ones (in the caller's transaction); returns them as shown:
    ten characters from a-z and 2-9 (no 0/o, 1/l), grouped xxxxx-xxxxx."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(code)))
        codes.append(f"{code[:5]}-{code[5:]}")
    return codes


@dataclass(frozen=True)
class Enrolment:
    recovery_codes: list[str]  # shown once


def enable(user: User, secret: str | None, code: str | None, *, now: float | None = None) -> Enrolment:
    """Turn two-factor authentication on with a secret the user's app holds, proven by a code from it.
    Returns the ten recovery codes (shown once). Side effects: commits.
    :raises Conflict: already on. :raises InvalidInput: {"code": …} or {"totp_secret": …}."""
    if user.has_two_factor:
        raise Conflict(ALREADY_ON)
    secret = normalise_secret(secret)
    code = _clean_code(code)
    if not code:
        raise InvalidInput({"code": "Vul de code van zes cijfers uit je authenticator-app in."})
    step = _matching_step(secret, code, now)
    if step is None:
        raise InvalidInput({"code": "Deze code klopt niet. Controleer of de tijd op je telefoon goed staat en "
                                    "vul de code in die je app nu toont."})
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step  # the code that turned it on cannot log in as well
    codes = _new_recovery_codes(user)
    commit()
    return Enrolment(recovery_codes=codes)


def disable(user: User, password: str | None, code: str | None) -> None:
    """Turn two-factor authentication off, proven with the password and a code (or recovery code); not for a
    role that requires it. Side effects: commits.
    :raises Conflict: not on, or required. :raises InvalidInput: {"password": …} and/or {"code": …}."""
    if not user.has_two_factor:
        raise Conflict(NOT_ON)
    if required_for(user):
        raise Conflict(REQUIRED)
    errors = {}
    if not verify_password(user.password_hash, password or ""):
        errors["password"] = WRONG_PASSWORD
    elif not verify(user, code):
        errors["code"] = CODE_WRONG
    if errors:
        commit()  # a recovery code or step used up stays used
        raise InvalidInput(errors)
    switch_off(user)
    commit()


def new_recovery_codes(user: User, code: str | None) -> Enrolment:
    """Ten new recovery codes (the old ones stop working), proven with a current code. Side effects: commits.
    :raises Conflict: not on. :raises InvalidInput: {"code": …}."""
    if not user.has_two_factor:
        raise Conflict(NOT_ON)
    if not verify(user, code):
        commit()
        raise InvalidInput({"code": CODE_WRONG})
    codes = _new_recovery_codes(user)
    commit()
    return Enrolment(recovery_codes=codes)


def switch_off(user: User) -> None:
    """Two-factor authentication off and its recovery codes gone, in the caller's transaction."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def provision(user: User, secret: str) -> None:
    """Give a user a known secret, switched on (the CLI's --totp-secret for automation), in the caller's
    transaction; recovery codes are not made (whoever provisions holds the secret).
    :raises InvalidInput: {"totp_secret": …}."""
    user.totp_secret = normalise_secret(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
