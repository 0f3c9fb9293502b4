"""Beheer making an account for someone, and switching an account off or on: one action, one commit, around
`account` (which mails the first-password link, ends sessions and API tokens, and records the history)."""
import secrets

from loket.extensions import db
from loket.models import User
from loket.services.errors import Conflict, InvalidInput
from loket.services.network import account, history, users
from loket.services.text import has_control_characters
from loket.services.transaction import commit

OWN_ACCOUNT_MESSAGE = "Je kunt je eigen account niet uitzetten. Vraag een andere beheerder."
REASON_MAX = 300


def deactivate_user(user: User, *, actor: User, reason: str | None = None) -> None:
    """Switch the account off: it cannot log in, every session and API token ends at once; its requests, events
    and memberships stay. Side effects: commits. :raises Conflict: beheer switching itself off."""
    if actor.id == user.id:
        raise Conflict(OWN_ACCOUNT_MESSAGE)
    reason = " ".join((reason or "").split())
    if has_control_characters(reason):
        raise InvalidInput({"reason": "Een reden kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."})
    if len(reason) > REASON_MAX:
        raise InvalidInput({"reason": f"De reden mag maximaal {REASON_MAX} tekens lang zijn."})
    account.deactivate(user, actor=actor, reason=reason or None)
    commit()


def reactivate_user(user: User, *, actor: User) -> None:
    """Switch the account back on (old sessions stay ended; the person logs in again). Side effects: commits."""
    account.reactivate(user, actor=actor)
    commit()


def create_account(*, actor: User, email: str, name: str, membership: users.MembershipSpec) -> User:
    """Beheer makes an account with one role (e.g. for the coördinatiepunt, the first lead of a loket or an
    initiative, a gemeente's sport officer or an adviseur of a region) and the person is mailed a link to choose
    their password (TEAM_INVITATION_DAYS, once); nobody else ever knows it.
    Side effects: commits the account, its history and the mail. :raises InvalidInput: per field, in Dutch."""
    user = users.create_user(email=email, name=name, password=secrets.token_urlsafe(32), memberships=[membership],
                             commit=False)
    db.session.flush()
    for row in user.memberships:
        history.record("membership", "membership", None, row.label, actor=actor, user_id=user.id,
                       loket_id=row.loket_id, bond_id=row.bond_id, initiative_id=row.initiative_id,
                       reason="Account aangemaakt door beheer")
    account.mail_password_choice(user, "account_welcome", key=f"welcome:u{user.id}", actor_name=actor.name)
    commit()
    return user
