"""A user's own account: which email notifications they receive, their password (changed, or reset by a mailed
link), their email address (changed once the new address is confirmed by a mailed link), and ending every
session and API token at once ("overal uitloggen").

No answer tells whether an address has an account: asking a reset link, or moving to an address already in
use, looks the same to the one asking and does the same work (random token, hash, query) either way; the
holder of the address is mailed instead.
"""
import secrets
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update

from loket.extensions import db
from loket.models import SUPPORTER_ROLES, AccountToken, User
from loket.models.base import utcnow
from loket.services.errors import DomainError, InvalidInput
from loket.services.messaging import outbox
from loket.services.messaging.mail import site_path
from loket.services.messaging.notifications import ESSENTIAL, OPTIONAL
from loket.services.network import account_tokens, api_tokens, history, login_sessions, two_factor
from loket.services.network.passwords import hash_password, password_problem, verify_password
from loket.services.network.users import find_by_email, normalise_email
from loket.services.text import EMAIL_MAX
from loket.services.transaction import commit

# Every notification (loket.services.messaging.notifications), in Dutch, with the roles that receive it.
NOTIFICATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "request_received": ("De bevestiging dat je aanvraag is ontvangen, met het kenmerk", ("club",)),
    "request_moved": ("Bericht dat je aanvraag naar een ander loket is gegaan, omdat je gemeente nu bij dat "
                      "loket hoort", ("club",)),
    "requests_merged": ("Bericht dat twee aanvragen over hetzelfde zijn samengevoegd tot één", ("club",)),
    "public_reply": ("Een reactie van het loket of de bond op je aanvraag", ("club",)),
    "satisfaction_question": ("De vraag hoe tevreden je bent, als je aanvraag is opgelost", ("club",)),
    "referral_proposed": ("Een aanvraag die aan je team wordt doorverwezen", SUPPORTER_ROLES),
    "referral_decided": ("Het besluit over een doorverwijzing die jij of je team voorstelde", SUPPORTER_ROLES),
    "referral_overdue": ("Een doorverwijzing van jou of je team waarover na 3 werkdagen nog niet is besloten",
                         SUPPORTER_ROLES),
    "sla_overdue": ("Een aanvraag van je team (of aan jou toegewezen) die over de termijn is", SUPPORTER_ROLES),
    "new_in_queue": ("Een nieuwe aanvraag in de wachtrij van je team", SUPPORTER_ROLES),
    "club_replied": ("Een reactie van een club op een aanvraag van je team (of aan jou toegewezen)",
                     SUPPORTER_ROLES),
    "sla_at_risk": ("Een aanvraag die binnen 24 uur over de termijn dreigt te gaan", SUPPORTER_ROLES),
    "mentioned": ("Een collega noemt je met @ in een interne notitie", SUPPORTER_ROLES),
    "contact_review_reminder": ("Een herinnering om de gegevens van je loket na te kijken voordat criterium K1 "
                                "vervalt (voor coördinatoren)", ("clubondersteuner",)),
    "new_in_fallback": ("Een nieuwe aanvraag in de opvangwachtrij (een gemeente zonder operationeel loket)",
                        ("coordinatiepunt",)),
    "registration_pending": ("Een nieuwe aanmelding van een club bij je loket", ("clubondersteuner", "coordinatiepunt")),
}


def notices_for(user: User) -> dict[str, list[str]]:
    """The Dutch descriptions of the notifications the user's roles receive: essential and optional."""
    mine = [(name, label) for name, (label, roles) in NOTIFICATIONS.items() if user.has_role(*roles)]
    return {"essential": [label for name, label in mine if name in ESSENTIAL],
            "optional": [label for name, label in mine if name in OPTIONAL]}


def set_optional_notifications(user: User, wanted: bool) -> None:
    """Turn the optional (non-essential) notifications on or off. Side effects: commits."""
    user.notify_optional = bool(wanted)
    commit()


# ---------------------------------------------------------------- password and address

RESET = "reset_password"
CHANGE_EMAIL = "change_email"
SET_PASSWORD = "set_password"
WRONG_CURRENT_PASSWORD = "Dit is niet je huidige wachtwoord."
SAME_PASSWORD = "Kies een ander wachtwoord dan je huidige."


class InvalidLink(DomainError):
    """A mailed link that is wrong, expired or already used: 400 with the Dutch reason."""

    status_code = 400


def request_password_reset(email: str | None) -> None:
    """Mail a reset link to the active account with this address, if there is one; otherwise do the same
    work and mail nothing. The caller answers the same either way. Side effects: commits."""
    user = find_by_email(email)
    if user is not None and user.active:
        token = account_tokens.issue(user, RESET)
        outbox.add_email("password_reset", to=user.email, key=_mail_key("password_reset", user),
                         context={"user_id": user.id, "link_path": site_path("auth.reset_password", token=token),
                                  "minutes": int(account_tokens.lifetime(RESET).total_seconds() // 60)})
    else:
        _look_up_a_token_that_opens_nothing(RESET)
    commit()


def check_reset_link(token: str | None) -> User:
    """The user whose open reset link this is (to show the form behind it); InvalidLink otherwise."""
    return _open(token, RESET).user


def reset_password(token: str | None, password: str | None) -> User:
    """Set a new password through a mailed link: the link is used up, every session and API token of the user
    ends, and the address is told. Returns the user. Side effects: commits.

    :raises InvalidLink: wrong, expired or used link (checked first).
    :raises InvalidInput: {"password": Dutch rule} when the password is not good enough (the link stays open).
    """
    user = _open(token, RESET).user
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput({"password": problem})
    _open(token, RESET, use=True)
    _set_password(user, password)
    commit()
    return user


# ---------------------------------------------------------------- the first password of an account made for someone

def mail_password_choice(user: User, template: str, *, key: str, now: datetime | None = None, **context) -> None:
    """Mail the holder of an account someone else made (beheer, a supporter adding a contact) a single-use link
    to choose their first password; it works TEAM_INVITATION_DAYS. In the caller's transaction. The template
    shows `link_path` and `days`."""
    token = account_tokens.issue(user, SET_PASSWORD, now=now)
    outbox.add_email(template, to=user.email, key=key, context={
        **context, "user_id": user.id, "link_path": site_path("auth.choose_password", token=token),
        "days": account_tokens.lifetime(SET_PASSWORD).days})


def check_password_choice_link(token: str | None) -> User:
    """The user whose open first-password link this is; InvalidLink otherwise."""
    return _open(token, SET_PASSWORD).user


def choose_password(token: str | None, password: str | None) -> User:
    """Set the first password through the mailed link (used up; the address is confirmed by it). Side effects:
    commits. :raises InvalidLink: wrong, expired or used. :raises InvalidInput: {"password": rule}."""
    user = _open(token, SET_PASSWORD).user
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput({"password": problem})
    _open(token, SET_PASSWORD, use=True)
    user.password_hash = hash_password(password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    end_sessions_and_tokens(user)
    commit()
    return user


def change_password(user: User, current: str | None, new: str | None) -> None:
    """Change the password of a logged-in user, who proves it with the current one. Every session and API
    token of the user ends (the view logs its own browser in again). Side effects: commits.

    :raises InvalidInput: "current_password" wrong, "new_password" not good enough or unchanged.
    """
    errors = {}
    if not verify_password(user.password_hash, current or ""):
        errors["current_password"] = WRONG_CURRENT_PASSWORD
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        errors["new_password"] = problem
    elif new == current:
        errors["new_password"] = SAME_PASSWORD
    if errors:
        raise InvalidInput(errors)
    _set_password(user, new)
    commit()


def request_email_change(user: User, password: str | None, new_email: str | None) -> str:
    """Mail a confirmation link to the new address (the address changes when it is clicked) and a notice to
    the current one. When the new address already belongs to an account, its holder is mailed instead and
    nothing changes; the one asking sees no difference. Returns the new address (normalised). Commits.

    :raises InvalidInput: "password" wrong, "new_email" missing, invalid or the current address.
    """
    errors = {}
    if not verify_password(user.password_hash, password or ""):
        errors["password"] = WRONG_CURRENT_PASSWORD
    new_email = normalise_email(new_email)
    if not new_email:
        errors["new_email"] = "Vul je nieuwe e-mailadres in."
    elif len(new_email) > EMAIL_MAX:
        errors["new_email"] = f"Een e-mailadres heeft hooguit {EMAIL_MAX} tekens."
    else:
        try:
            validate_email(new_email, check_deliverability=False)
        except EmailNotValidError:
            errors["new_email"] = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
        else:
            if new_email == user.email:
                errors["new_email"] = "Dit is al het e-mailadres van je account."
    if errors:
        raise InvalidInput(errors)
    forgot_path = site_path("auth.forgot_password")
    holder = db.session.scalar(select(User).where(User.email == new_email))
    if holder is None:
        token = account_tokens.issue(user, CHANGE_EMAIL, new_email=new_email)
        outbox.add_email("email_change_confirm", to=new_email, key=_mail_key("email_change_confirm", user),
                         context={"user_id": user.id, "new_email": new_email,
                                  "link_path": site_path("account.confirm_email_change", token=token)})
    else:
        _look_up_a_token_that_opens_nothing(CHANGE_EMAIL)
        outbox.add_email("email_in_use", to=holder.email, key=_mail_key("email_in_use", holder),
                         context={"user_id": holder.id, "link_path": forgot_path})
    outbox.add_email("email_change_notice", to=user.email, key=_mail_key("email_change_notice", user),
                     context={"user_id": user.id, "new_email": new_email, "link_path": forgot_path})
    commit()
    return new_email


def check_email_change_link(token: str | None) -> AccountToken:
    """The open address-change link (its new_email is shown before confirming); InvalidLink otherwise."""
    return _open(token, CHANGE_EMAIL)


def confirm_email_change(token: str | None) -> User:
    """Move the account to the address the link was mailed to. Returns the user. Side effects: commits.

    :raises InvalidLink: wrong, expired or used link, or the address got an account of its own meanwhile.
    """
    record = _open(token, CHANGE_EMAIL)
    if db.session.scalar(select(User.id).where(User.email == record.new_email, User.id != record.user_id)):
        raise InvalidLink("Dit e-mailadres hoort inmiddels bij een ander account. Je e-mailadres is niet gewijzigd.")
    record = _open(token, CHANGE_EMAIL, use=True)
    user = record.user
    user.email = record.new_email
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    commit()
    return user


def sign_out_everywhere(user: User) -> None:
    """End every session, remember-me cookie and API token of the user (the view logs its own browser out
    too). Side effects: commits."""
    end_sessions_and_tokens(user)
    commit()


def deactivate(user: User, *, actor: User | None, reason: str | None = None) -> None:
    """Switch an account off, in the caller's transaction: it can no longer log in, every session and API token
    ends at once, and its history (requests, events, memberships) stays. Recorded in the network history."""
    if not user.active:
        return
    user.active = False
    end_sessions_and_tokens(user)
    history.record("user", "active", True, False, actor=actor, user_id=user.id, reason=reason)


def reactivate(user: User, *, actor: User | None) -> None:
    """Switch an account back on (in the caller's transaction); old sessions stay ended."""
    if user.active:
        return
    user.active = True
    history.record("user", "active", False, True, actor=actor, user_id=user.id)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_sessions_and_tokens(user)
    outbox.add_email("password_changed", to=user.email, key=_mail_key("password_changed", user),
                     context={"user_id": user.id, "link_path": site_path("auth.forgot_password")})


def end_sessions_and_tokens(user: User) -> None:
    """End every session, remember-me cookie and API token of the user, in the caller's transaction."""
    # In SQL, so two requests at once both count: a session id holds the version it was made with (User.get_id).
    user.session_version = User.session_version + 1
    login_sessions.revoke_all_of(user)
    api_tokens.revoke_all_of(user)
    # An address change asked from a session that has now ended is cancelled too: whoever asked it may be the
    # reason the password changes, and the link would otherwise still move the account to their address.
    db.session.execute(
        update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == CHANGE_EMAIL,
                                   AccountToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))


def _open(token: str | None, purpose: str, *, use: bool = False) -> AccountToken:
    try:
        return account_tokens.redeem(token, purpose) if use else account_tokens.peek(token, purpose)
    except InvalidInput as error:
        raise InvalidLink(error.errors["token"]) from None


def _look_up_a_token_that_opens_nothing(purpose: str) -> None:
    """What issuing a token costs (random bytes, their hash, a query), for an address without an account: so
    the time of the answer does not tell whether there is one."""
    try:
        account_tokens.peek(secrets.token_urlsafe(32), purpose)
    except InvalidInput:
        pass


def _mail_key(template: str, user: User) -> str:
    # Every request for a link is a notice of its own: a random part keeps two of them from being one row.
    return f"{template}:u{user.id}:{secrets.token_hex(8)}"


def reset_two_factor_by_operator(user: User) -> None:
    """Switch two-factor authentication off for someone who lost both their app and their recovery codes (the
    operator's `flask users reset-2fa`, after checking who asks); a role that requires it enrols again at the next
    login. Every session and API token of the user ends. Side effects: commits."""
    two_factor.switch_off(user)
    end_sessions_and_tokens(user)
    commit()
