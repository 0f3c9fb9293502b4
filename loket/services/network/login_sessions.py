"""Login sessions kept in the database: one row per login on one device, which a logout, a password change,
"overal uitloggen" or a deactivation revokes.

A login gets 32 random bytes; the Flask session and the remember-me cookie carry "<id>:<version>:<token>"
(User.get_id), the table keeps only the token's SHA-256. A session or cookie counts only while its row is live
(not revoked, not expired) and the user's session version is the one it was made with, so a cookie copied
before a logout opens nothing after it. last_seen_at is written at most once per SEEN_RESOLUTION, so reading
pages does not write on every request.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from loket.extensions import db
from loket.models import LoginSession, User
from loket.models.base import utcnow
from loket.services import audit
from loket.services.errors import NotFound
from loket.services.network import api_tokens
from loket.services.transaction import commit

TOKEN_MAX = 100
USER_AGENT_MAX = 200
SEEN_RESOLUTION = timedelta(minutes=5)
SESSION_NOT_FOUND = "Deze sessie bestaat niet (meer)."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime(remember: bool) -> timedelta:
    """A remembered login lasts REMEMBER_COOKIE_DURATION from its start; another ends after
    LOGIN_SESSION_IDLE_HOURS without a page (counted from last_seen_at)."""
    if remember:
        return current_app.config["REMEMBER_COOKIE_DURATION"]
    return timedelta(hours=current_app.config["LOGIN_SESSION_IDLE_HOURS"])


def start(user: User, *, remember: bool, user_agent: str | None = None, client_address: str | None = None,
          now: datetime | None = None) -> str:
    """A new login session for `user`; returns its token (also set on the user object, so get_id carries it).
    Side effects: the login in the audit log; commits."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    agent = "".join(ch for ch in (user_agent or "") if ch.isprintable())[:USER_AGENT_MAX] or None
    db.session.add(LoginSession(user_id=user.id, token_hash=_digest(token), remember=bool(remember),
                                user_agent=agent, created_at=now, last_seen_at=now,
                                expires_at=now + lifetime(remember)))
    audit.record("login", actor=user, subject_kind="user", subject_id=user.id,
                 label="web, onthouden" if remember else "web", client_address=client_address)
    commit()
    user.login_session_token = token
    return token


def parse_id(session_id: str) -> tuple[int, int, str] | None:
    """(user id, session version, token) of a session id "<id>:<version>:<token>", or None for any other shape
    (an id of the older "<id>:<version>" form counts as logged out)."""
    parts = str(session_id).split(":")
    if len(parts) != 3:
        return None
    user_part, version, token = parts
    if not (user_part.isascii() and user_part.isdigit() and version.isascii() and version.isdigit()):
        return None
    if int(user_part) > 2**31 - 1 or not token or len(token) > TOKEN_MAX or not token.isascii():
        return None
    return int(user_part), int(version), token


def resolve(session_id: str, *, now: datetime | None = None) -> User | None:
    """The user of a session id while its login session is live and of the current version, else None (one
    query). The user object carries the token and the row (`login_session`) for logging out.
    Side effects: refreshes last_seen_at (commits) when it is older than SEEN_RESOLUTION."""
    parsed = parse_id(session_id)
    if parsed is None:
        return None
    user_id, version, token = parsed
    now = now or utcnow()
    # The memberships come in the same statement: every page reads them (roles, menus, teams).
    row = db.session.execute(
        select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id)
        .options(joinedload(User.memberships))
        .where(User.id == user_id, LoginSession.token_hash == _digest(token))).unique().first()
    if row is None:
        return None
    user, login = row
    if user.session_version != version or login.revoked_at is not None or not _alive(login, now):
        return None
    if now - login.last_seen_at >= SEEN_RESOLUTION:
        login.last_seen_at = now
        commit()
    user.login_session_token = token
    user.login_session = login
    return user


def _alive(login: LoginSession, now: datetime) -> bool:
    if login.expires_at <= now:
        return False
    return login.remember or now - login.last_seen_at < lifetime(False)


def end(user: User, *, revoke_api_tokens: bool = False, client_address: str | None = None,
        now: datetime | None = None) -> None:
    """Log out the login session this user object was loaded with (a logout); with revoke_api_tokens, the
    user's API tokens end too. Side effects: the logout in the audit log; commits."""
    login = getattr(user, "login_session", None)
    if login is not None and login.revoked_at is None:
        login.revoked_at = now or utcnow()
    if revoke_api_tokens:
        api_tokens.revoke_all_of(user, now=now)
    audit.record("logout", actor=user, subject_kind="user", subject_id=user.id,
                 label="met API-sleutels" if revoke_api_tokens else "", client_address=client_address)
    commit()


def revoke_all_of(user: User, *, now: datetime | None = None) -> int:
    """Revoke every live login session of `user` (in the caller's transaction); returns how many."""
    return db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False)).rowcount


@dataclass(frozen=True)
class ActiveSession:
    id: int
    user_agent: str | None
    created_at: datetime
    last_seen_at: datetime
    remember: bool
    current: bool


def active_sessions(user: User, *, now: datetime | None = None) -> list[ActiveSession]:
    """The user's live login sessions, newest first (one query), marking the one `user` was loaded with."""
    now = now or utcnow()
    current = getattr(user, "login_session", None)
    rows = db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None), LoginSession.expires_at > now)
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc()))
    return [ActiveSession(id=r.id, user_agent=r.user_agent, created_at=r.created_at, last_seen_at=r.last_seen_at,
                          remember=r.remember, current=current is not None and r.id == current.id)
            for r in rows if _alive(r, now)]


def revoke_one(user: User, session_id, *, now: datetime | None = None) -> None:
    """Log out one of the user's own login sessions (the account page's "uitloggen" per device).
    Side effects: commits. :raises NotFound: not a live session of this user."""
    if not isinstance(session_id, int) or not 0 < session_id <= 2**31 - 1:
        raise NotFound(SESSION_NOT_FOUND)
    count = db.session.execute(
        update(LoginSession).where(LoginSession.id == session_id, LoginSession.user_id == user.id,
                                   LoginSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False)).rowcount
    if not count:
        raise NotFound(SESSION_NOT_FOUND)
    commit()
