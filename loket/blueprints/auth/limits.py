"""Rate limits of logging in and of asking for a reset link: per client address (the limiter's default key)
and per email address typed, so neither many addresses from one place nor one address from many places can
be tried endlessly; and the second step's codes per account (TWO_FACTOR_RATE_LIMIT). The numbers are settings
(LOGIN_RATE_LIMIT, PASSWORD_RESET_RATE_LIMIT, TWO_FACTOR_RATE_LIMIT)."""
from flask import current_app, request, session

from loket.services.network.users import normalise_email
from loket.services.text import EMAIL_MAX


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def password_reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def email_key(email) -> str:
    """The counting key of an address as typed (case and spaces do not make it another one)."""
    return "email:" + normalise_email(email if isinstance(email, str) else "")[:EMAIL_MAX]


def posted_email() -> str:
    """Key of the address in a posted form."""
    return email_key(request.form.get("email"))


def login_failed(response) -> bool:
    """Only failed attempts count: colleagues who log in fine behind one office address never lock each other
    out, while guessing stops after the limit."""
    return response.status_code >= 400


def two_factor_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def pending_user_key() -> str:
    """Counting key of codes tried at the second step: per account (whose password was right in this browser),
    so guessing codes stops after the limit whichever address the guesses come from."""
    from loket.blueprints.auth.sessions import PENDING_KEY

    pending = session.get(PENDING_KEY)
    return f"second-step:{pending.get('user') if isinstance(pending, dict) else 'none'}"
