"""Beheer switching an account off or on: one action, one commit, around `account.deactivate/reactivate` (which
end the sessions and API tokens and record the history)."""
from loket.models import User
from loket.services.errors import Conflict, InvalidInput
from loket.services.network import account
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
