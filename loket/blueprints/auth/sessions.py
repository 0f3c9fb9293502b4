"""Starting a login session: shared by logging in, a password reset and a password change."""
from flask import current_app, request, session
from flask_login import login_user
from flask_login.config import COOKIE_NAME


def start_session(user, *, remember: bool = False) -> bool:
    """Log `user` in on a fresh session: nothing of the session before it is carried over (no session
    fixation), and its id holds the user's current session version (User.get_id). False if refused."""
    session.clear()
    # Flask-Login keeps what it is given as the request's user: never its own current_user proxy.
    user = getattr(user, "_get_current_object", lambda: user)()
    return login_user(user, remember=remember)


def renew_session(user) -> bool:
    """After the user's session version was raised (a new password): keep this browser logged in, with a new
    remember-me cookie if it had one, while every other session and cookie of the user has ended."""
    had_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
    return start_session(user, remember=had_cookie)
