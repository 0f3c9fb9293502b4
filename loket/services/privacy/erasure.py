"""Erasing a person (AVG art. 17) while the statistics stay: requests, their dates, categories and teams remain;
names, addresses and phone numbers go, every text the person wrote is replaced by a notice, and the files of their
requests and those they attached are removed (rows marked, bytes deleted once the erasure commits)."""
import secrets

from sqlalchemy import delete, update

from loket.extensions import db
from loket.models import AccountToken, ApiToken, Event, LoginSession, Membership, RecoveryCode, User
from loket.models.base import utcnow
from loket.services import audit, transaction
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network.clubs import anonymise_contact
from loket.services.network.users import normalise_email
from loket.services.privacy.person import UNKNOWN_PERSON, find_person
from loket.services.requests import attachments
from loket.services.text import has_control_characters

ERASED_TEXT = "[Verwijderd op verzoek van de schrijver (AVG).]"
ERASED_NAME = "Verwijderde gebruiker"
ERASED_RECIPIENT = "(gewist)"
REASON_MAX = 200


def erased_address(user_id: int) -> str:
    """The address an erased account keeps: unique, never deliverable (.invalid is reserved, RFC 2606)."""
    return f"gewist-{user_id}@verwijderd.invalid"


def erase_person(email: str, *, actor: User, confirmation: str, reason: str,
                 client_address: str | None = None) -> dict[str, int]:
    """Anonymise everything held about the person with this address; returns what was changed, per kind.
    Side effects: one transaction with the audit entry; every session and token of the account ends.
    :raises InvalidInput: the confirmation is not the same address, or no reason is given.
    :raises Forbidden: beheer erasing their own account.
    :raises NotFound: nothing is held about this address."""
    data = find_person(email)
    errors = {}
    if normalise_email(confirmation or "") != data.email:
        errors["confirmation"] = "Typ ter bevestiging precies hetzelfde e-mailadres nog eens."
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_MAX or has_control_characters(reason):
        errors["reason"] = f"Schrijf in hooguit {REASON_MAX} tekens waarom (bijvoorbeeld: verzoek van 3 maart)."
    if errors:
        raise InvalidInput(errors)
    if data.is_empty:
        raise NotFound(UNKNOWN_PERSON)
    user = data.user
    if user is not None and user.id == actor.id:
        raise Forbidden("Je kunt je eigen account niet wissen; vraag het een andere beheerder.")
    now = utcnow()
    counts = data.counts()
    for contact in data.contacts:
        anonymise_contact(contact, now=now)
    # Their requests' files and the files they attached elsewhere go (the bytes once this commits).
    counts["attachments"] = attachments.remove_files(request_ids=[r.id for r in data.requests],
                                                     uploaded_by_id=user.id if user else None, now=now)
    for request in data.requests:
        request.title = ERASED_TEXT
        request.description = ERASED_TEXT
        request.satisfaction_comment = None
        request.anonymised_at = now
    if data.messages:
        db.session.execute(update(Event).where(Event.id.in_([e.id for e in data.messages]))
                           .values(body=ERASED_TEXT).execution_options(synchronize_session=False))
    for mail in data.mails:
        if mail.status in ("pending", "enqueued"):  # not sent yet: it never will be
            mail.status = "failed"
            mail.last_error = "Niet verstuurd: de ontvanger is gewist (AVG)."
        mail.payload = {"to": ERASED_RECIPIENT, "context": {}}
        mail.anonymised_at = now
    for registration in data.registrations:
        registration.function = None
    if user is not None:
        _erase_account(user, now=now)
    audit.record("erasure", actor=actor, subject_kind="user" if user else "email",
                 subject_id=user.id if user else None, label=reason, detail=counts, client_address=client_address)
    transaction.commit()
    return counts


def _erase_account(user: User, *, now) -> None:
    user.name = ERASED_NAME
    user.email = erased_address(user.id)
    user.password_hash = "!" + secrets.token_hex(16)  # no password ever matches: not an Argon2 hash
    user.active = False
    user.notify_optional = False
    user.email_confirmed_at = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.session_version = User.session_version + 1
    for model in (Membership, AccountToken, RecoveryCode, LoginSession):
        db.session.execute(delete(model).where(model.user_id == user.id).execution_options(
            synchronize_session=False))
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    db.session.expire(user, ["memberships"])
