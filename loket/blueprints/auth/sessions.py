"""Starting a login session: shared by logging in, the second step, a password reset and a password change.

A login is a row in login_sessions (services/network/login_sessions) whose token the session id carries. An
account with two-factor authentication is not logged in by its password alone: the password starts a pending
second step, kept in the (signed) Flask session for SECOND_STEP_MINUTES, and only a good code starts the
login session.
"""
import time

from flask import current_app, request, session
from flask_login import login_user
from flask_login.config import COOKIE_NAME

from loket.extensions import db
from loket.models import User
from loket.services.network import login_sessions

PENDING_KEY = "second_step"
SECOND_STEP_MINUTES = 10


def start_session(user, *, remember: bool = False) -> bool:
    """Log `user` in on a fresh session: nothing of the session before it is carried over (no session
    fixation; the CSRF token is new too), and its id names a new login session of the user's current version
    (User.get_id). False if refused (an inactive account)."""
    session.clear()
    # Flask-Login keeps what it is given as the request's user: never its own current_user proxy.
    user = getattr(user, "_get_current_object", lambda: user)()
    if not user.is_active:
        return False
    login_sessions.start(user, remember=remember, user_agent=request.user_agent.string,
                         client_address=request.remote_addr)
    return login_user(user, remember=remember)


def log_in(user, *, remember: bool = False) -> bool:
    """After a right password: log in, or, for an account with two-factor authentication, start the second
    step instead. True when logged in, False when the second step (auth.second_step) comes first."""
    if user.has_two_factor:
        begin_second_step(user, remember=remember)
        return False
    return start_session(user, remember=remember)


def begin_second_step(user, *, remember: bool) -> None:
    session.clear()
    session[PENDING_KEY] = {"user": user.id, "version": user.session_version, "remember": bool(remember),
                            "at": int(time.time())}


def pending_user() -> User | None:
    """The user whose password was right in this browser a moment ago and who still has to give a code."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SECOND_STEP_MINUTES * 60:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.session_version != pending.get("version") or not user.has_two_factor:
        return None
    return user


def pending_remember() -> bool:
    return bool((session.get(PENDING_KEY) or {}).get("remember"))


def renew_session(user) -> bool:
    """After the user's session version was raised (a new password): keep this browser logged in, with a new
    remember-me cookie if it had one, while every other session and cookie of the user has ended."""
    login = getattr(user, "login_session", None)
    had_cookie = (current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
                  or (login is not None and login.remember))
    return start_session(user, remember=had_cookie)
