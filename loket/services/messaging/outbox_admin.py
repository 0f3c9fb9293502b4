"""Beheer's view of the outbox: what was sent, what waits, what failed and why; retrying a failed row.

Beheer manages mail without reading it: a row shows its recipient, the kind of mail (template, with a Dutch
label), state, attempts and error, never a rendered subject (which can hold a request's title) or body. The
rendered preview exists in development only (mail.contents_may_be_shown)."""
import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from loket.extensions import db
from loket.models import OUTBOX_STATUSES, OutboxMessage, User
from loket.models.base import utcnow
from loket.services import search
from loket.services.errors import Conflict, NotFound
from loket.services.messaging import mail, outbox
from loket.services.transaction import commit

log = logging.getLogger(__name__)

STATUS_LABELS = {"pending": "Wacht", "enqueued": "In de wachtrij", "sending": "Wordt verstuurd", "sent": "Verstuurd",
                 "failed": "Mislukt"}
# What kind of mail each template is, in the words beheer sees instead of its subject (templates/email/<name>).
TEMPLATE_LABELS = {
    "account_welcome": "Welkom: kies een wachtwoord",
    "agreement_confirmed": "Afspraken bevestigd",
    "agreement_proposed": "Afspraken voorgesteld",
    "agreement_rejected": "Afspraken afgewezen",
    "club_contact_login": "Account als contactpersoon",
    "club_replied": "Club reageerde",
    "contact_review_reminder": "Gegevens van het loket nakijken",
    "email_change_confirm": "Nieuw e-mailadres bevestigen",
    "email_change_notice": "E-mailadres wordt gewijzigd",
    "email_in_use": "E-mailadres al in gebruik",
    "join_request": "Verzoek om contactpersoon te worden",
    "mentioned": "Genoemd in een notitie",
    "new_in_fallback": "Nieuw in de opvangwachtrij",
    "new_in_queue": "Nieuw in de wachtrij",
    "password_changed": "Wachtwoord gewijzigd",
    "password_reset": "Nieuw wachtwoord kiezen",
    "public_reply": "Reactie aan de club",
    "referral_decided": "Besluit over doorverwijzing",
    "referral_overdue": "Doorverwijzing niet besloten",
    "referral_proposed": "Doorverwijzing voorgesteld",
    "registration_address_in_use": "Aanmelding met bestaand adres",
    "registration_approved": "Aanmelding goedgekeurd",
    "registration_confirm": "Aanmelding: e-mailadres bevestigen",
    "registration_pending": "Aanmelding wacht op besluit",
    "registration_received": "Aanmelding ontvangen",
    "registration_rejected": "Aanmelding afgewezen",
    "request_moved": "Aanvraag verhuisd",
    "requests_merged": "Aanvragen samengevoegd",
    "request_received": "Aanvraag ontvangen",
    "satisfaction_question": "Vraag naar tevredenheid",
    "sla_at_risk": "Deadline dichtbij",
    "sla_overdue": "Deadline verstreken",
    "team_invitation": "Uitnodiging voor een team",
}


def kind_label(row: OutboxMessage) -> str:
    """The Dutch name of a row's kind of mail (the template's own name when it has no label yet); a job's path."""
    return TEMPLATE_LABELS.get(row.name, row.name) if row.kind == "email" else "Achtergrondtaak"


def list_outbox(*, status: str | None = None, text: str | None = None, page: int = 1, per_page: int | None = None):
    """One page of outbox rows, newest first (two queries: count and page, whatever the data size), optionally
    with one status only, or only those whose recipient address or template (job) name contains `text`.

    :raises InvalidInput: {"q": …} for unusable search text.
    """
    text = search.search_text(text)
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    if text:
        query = query.where(search.contains(text, OutboxMessage.name, OutboxMessage.payload["to"].as_string()))
    return db.paginate(query, page=page, per_page=per_page or current_app.config["QUEUE_PAGE_SIZE"],
                       error_out=False)


def get_outbox_message(outbox_id: int) -> OutboxMessage:
    row = db.session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("Dit bericht bestaat niet.")
    return row


def mail_preview_enabled() -> bool:
    """Rendered mails show request contents, which beheer may not read: in development only (MAIL_PREVIEW),
    whichever provider sends (a production without SENDGRID_API_KEY still holds real requests)."""
    return mail.contents_may_be_shown()


def preview_mail(outbox_id: int):
    """The rendered subject, text and HTML of an email row (development only; elsewhere NotFound)."""
    row = get_outbox_message(outbox_id)
    if row.kind != "email" or not mail_preview_enabled():
        raise NotFound("Voor dit bericht is geen voorbeeld beschikbaar.")
    return row, mail.render(row.name, row.payload.get("context", {}))


def retry_failed(outbox_id: int, *, actor: User, now: datetime | None = None) -> None:
    """Give a failed row a fresh start (pending, no attempts, due now) and dispatch it.

    Side effects: commits; delivers inline or enqueues (outbox.dispatch). Only a failed row may be
    retried, checked in the UPDATE itself, so two simultaneous clicks dispatch it once.
    """
    now = now or utcnow()
    get_outbox_message(outbox_id)
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "failed")
        .values(status="pending", attempts=0, available_at=now, enqueued_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict("Alleen een mislukt bericht kun je opnieuw versturen.")
    log.info("Outbox %s set to retry by user %s", outbox_id, actor.id)
    commit()
    outbox.dispatch([outbox_id])
