"""Inbound email (SendGrid Inbound Parse): a club's emailed reply to its request, or a new request by mail.

A mail is accepted only when SendGrid's checks vouch for its `From` domain (SPF `pass` for an envelope sender of
that domain, or a passing DKIM signature by that domain) and it comes from an active user who is a club contact:
- addressed to the reply address Loket mailed, loket+LK-2026-000123.<reply token>@… (messaging.reply_addresses),
  of one of the sender's clubs → a public reply on that request, quoted history cut off;
- without a reference, from the contact of exactly one club → a new request of that club in 'overig'.
A reference without its token (guessed, or from before the tokens) or only in the subject is rejected. Everything
else is rejected too: nothing is stored, and one warning is logged with the sender and the reason only (never
the subject or text). A repeated delivery of the same mail (same Message-ID) is ignored. Control characters in
any field (NUL, which PostgreSQL cannot store, escapes) are taken out before anything else reads the mail.
"""
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_string, policy
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from loket.extensions import db
from loket.models import Category, Event, SupportRequest, User
from loket.models.base import utcnow
from loket.services.errors import DomainError
from loket.services.messaging import reply_addresses
from loket.services.messaging.mail_text import html_to_text, strip_quoted_reply
from loket.services.requests import actions, attachments, filing
from loket.services.text import without_control_characters

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"\bLK-\d{4}-\d{6}\b", re.IGNORECASE)
# SendGrid's dkim field: "{@example.nl : pass}", several signatures separated by commas.
DKIM_RESULT = re.compile(r"@([^\s:,{}@]+)\s*:\s*([a-z]+)", re.IGNORECASE)
# Inbound Parse fields whose line breaks mean something; in the others a line break is a folded header.
MULTILINE_FIELDS = {"text", "html", "headers", "email", "envelope", "charsets", "attachment-info"}
NEW_REQUEST_CATEGORY = "overig"
NO_SUBJECT = "(geen onderwerp)"
TRUNCATED = "\n\n[… ingekort: de e-mail was langer dan Loket bewaart]"


class MalformedInbound(DomainError):
    """The POST is not an Inbound Parse payload (missing fields, envelope not JSON): answer 400."""

    status_code = 400


@dataclass(frozen=True)
class Attachment:
    name: str
    size: int
    content_type: str  # as the mail declared it; what Loket stores is judged by the content
    data: bytes | None = None

    def as_data(self) -> dict:
        return {"name": self.name, "size": self.size, "content_type": self.content_type}


@dataclass(frozen=True)
class InboundMail:
    """What Loket uses of one inbound mail, read from the SendGrid fields (control characters taken out)."""

    sender: str  # lower-cased address from `from`; "" when there is none
    envelope_to: tuple[str, ...]
    subject: str
    text: str
    message_id: str
    spf: str
    envelope_from: str = ""  # the SMTP sender, which SPF checked
    dkim: str = ""
    attachments: tuple[Attachment, ...] = ()

    @property
    def reply_to(self) -> tuple[str, str | None] | None:
        """(reference, reply token or None) of the reply address in the envelope, else None."""
        for address in self.envelope_to:
            if (found := reply_addresses.parse_reply_address(address)) is not None:
                return found
        return None

    @property
    def subject_reference(self) -> str | None:
        match = REFERENCE.search(self.subject)
        return match.group(0).upper() if match else None


@dataclass
class InboundResult:
    """outcome: 'reply' | 'created' | 'duplicate' | 'rejected' (reason says why)."""

    outcome: str
    reason: str | None = None
    request: SupportRequest | None = None
    event: Event | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome != "rejected"


def receive_inbound(form: dict, files: list[tuple], now: datetime | None = None) -> InboundResult:
    """Handle one Inbound Parse POST: `form` holds its text fields, `files` (name, size, content type, bytes)
    per uploaded attachment.

    Side effects: on acceptance commits one public reply or one new request (with the notifications
    those write to the outbox) together with the attachments that pass the attachments service's checks (size,
    type by content, the request's total); a refused file is named on the event with the reason, the mail is
    still taken. On rejection stores nothing and logs a warning. Raises MalformedInbound when the fields are not
    an Inbound Parse payload.
    """
    now = now or utcnow()
    mail = read_mail(form, files)
    if not mail.sender:
        return _reject(mail, "no sender address")
    if (doubt := authentication_problem(mail)) is not None:
        return _reject(mail, f"not authenticated: {doubt}")
    user = db.session.scalar(select(User).where(User.email == mail.sender))
    if user is None:
        return _reject(mail, "unknown sender")
    if not user.active:
        return _reject(mail, "sender's account is inactive")
    if not user.club_ids:
        return _reject(mail, "sender is not a club contact")
    duplicate = _earlier_event(mail.message_id, user.club_ids)
    if duplicate is not None:
        log.info("Inbound mail from %s ignored: already received (event %s)", _safe(mail.sender), duplicate.id)
        return InboundResult("duplicate", "already received", request=duplicate.request, event=duplicate)
    data = {"source": "email", "message_id": mail.message_id,
            "attachments": [attachment.as_data() for attachment in mail.attachments]}
    if mail.reply_to is not None:
        return _reply(mail, user, data, now)
    if mail.subject_reference:
        # A reply sent to the plain address: the subject is no evidence that Loket wrote to this sender.
        return _reject(mail, "a request reference in the subject, but no reply token in the address")
    return _new_request(mail, user, data, now)


def authentication_problem(mail: InboundMail) -> str | None:
    """Why SendGrid's checks do not vouch for the mail's From domain, or None when they do.

    SPF checks the SMTP envelope sender, not `From`, so its pass counts only when the envelope sender has the
    From address's domain; a DKIM pass counts only for a signature by that domain (as DMARC aligns them,
    strictly: a parent or sibling domain does not count)."""
    domain = mail.sender.rpartition("@")[2]
    envelope_domain = mail.envelope_from.rpartition("@")[2] if "@" in mail.envelope_from else ""
    if mail.spf == "pass" and envelope_domain == domain:
        return None
    signed = [result.lower() for signer, result in DKIM_RESULT.findall(mail.dkim) if signer.lower() == domain]
    if "pass" in signed:
        return None
    spf = f"SPF {mail.spf or 'missing'}" + (f" for {envelope_domain}" if envelope_domain != domain and
                                             envelope_domain else "")
    return f"{spf}, and no passing DKIM signature of {domain}"


def _reply(mail: InboundMail, user: User, data: dict, now: datetime) -> InboundResult:
    reference, token = mail.reply_to
    if token is None:
        return _reject(mail, f"no reply token in the reply address of {reference} (guessed or from before tokens)")
    if not reply_addresses.token_matches(reference, token):
        return _reject(mail, f"the reply token does not match {reference}")
    request = db.session.scalar(select(SupportRequest).where(SupportRequest.reference == reference))
    if request is None:
        return _reject(mail, "unknown request reference")
    if request.club_id not in user.club_ids:
        return _reject(mail, "sender is not a contact of the request's club")
    if request.status == "gesloten":
        return _reject(mail, "request is closed")
    body = strip_quoted_reply(mail.text)
    if not body:
        return _reject(mail, "no new text in the reply")
    files = _checked_files(mail, data, attachments.stored_total(request.id))
    try:
        with attachments.one_transaction():
            event = actions.add_message(request, actor=user, body=_fit(body, "REQUEST_BODY_MAX"),
                                        internal=False, as_supporter=False, now=now, event_data=data)
            _store_files(request, event, files, user, now)
    except DomainError as error:
        db.session.rollback()
        return _reject(mail, f"refused by the requests service ({type(error).__name__})")
    log.info("Inbound mail from %s added as a reply to request %s", _safe(mail.sender), request.id)
    return InboundResult("reply", request=request, event=event)


def _new_request(mail: InboundMail, user: User, data: dict, now: datetime) -> InboundResult:
    club_ids = sorted(set(user.club_ids))
    if len(club_ids) > 1:
        # Filing under a guessed club would show the question to the wrong club's contacts and loket.
        return _reject(mail, "no request reference, and the sender is a contact of several clubs")
    category_id = db.session.scalar(select(Category.id).where(Category.slug == NEW_REQUEST_CATEGORY,
                                                             Category.active))
    if category_id is None:
        return _reject(mail, f"no active category '{NEW_REQUEST_CATEGORY}' for requests by mail")
    description = mail.text.strip()
    if not description:
        return _reject(mail, "empty message")
    title = " ".join(mail.subject.split()) or NO_SUBJECT
    files = _checked_files(mail, data, 0)
    try:
        with attachments.one_transaction():
            request = filing.create_request(
                actor=user, club_id=club_ids[0], category_id=category_id, sport_id=None,
                title=_fit(title, "REQUEST_TITLE_MAX", marker="…"),
                description=_fit(description, "REQUEST_BODY_MAX"), now=now, event_data=data, channel="e-mail",
            )
            _store_files(request, request.events[0], files, user, now)
    except DomainError as error:
        db.session.rollback()
        return _reject(mail, f"refused by the requests service ({type(error).__name__})")
    log.info("Inbound mail from %s filed as new request %s", _safe(mail.sender), request.id)
    return InboundResult("created", request=request, event=request.events[0])


def _checked_files(mail: InboundMail, data: dict, stored: int) -> list:
    """The mail's files that pass the attachments service's checks (within the request's total after `stored`
    bytes); each refused one is noted in `data` (refused_attachments: name, size, Dutch reason)."""
    accepted, refused, total = [], [], stored
    limit = current_app.config["MAX_REQUEST_ATTACHMENT_BYTES"]
    for attachment in mail.attachments:
        try:
            if attachment.data is None:
                raise attachments.FileTooLarge("De inhoud van het bestand kwam niet mee.")
            file = attachments.check_file(attachment.name, attachment.data)
            if total + file.size > limit:
                raise attachments.FileTooLarge(f"Samen met de andere bijlagen meer dan "
                                               f"{attachments.megabytes(limit)}.")
        except DomainError as error:
            refused.append({"name": attachment.name, "size": attachment.size, "reason": error.message})
            continue
        total += file.size
        accepted.append(file)
    data["attachments_stored"] = True
    if refused:
        data["refused_attachments"] = refused
    return accepted


def _store_files(request: SupportRequest, event: Event, files: list, user: User, now: datetime) -> None:
    for file in files:
        attachments.add(request, file, actor=user, internal=False, event=event, now=now)


def _earlier_event(message_id: str, club_ids: list[int]) -> Event | None:
    """The event an earlier delivery of this mail made (one query, bounded by the sender's clubs)."""
    return db.session.scalar(
        select(Event).join(SupportRequest, Event.request_id == SupportRequest.id)
        .where(SupportRequest.club_id.in_(club_ids), Event.kind.in_(("created", "public_reply")),
               Event.data["message_id"].as_string() == message_id)
        .limit(1)
    )


def _fit(text: str, limit_setting: str, *, marker: str = TRUNCATED) -> str:
    limit = current_app.config[limit_setting]
    return text if len(text) <= limit else text[:limit - len(marker)].rstrip() + marker


def _reject(mail: InboundMail, reason: str) -> InboundResult:
    db.session.rollback()
    log.warning("Inbound mail from %s rejected: %s", _safe(mail.sender) or "(no sender)", reason)
    return InboundResult("rejected", reason)


def reject_unreadable(reason: str) -> InboundResult:
    """Log a POST that could not be read at all (e.g. larger than the request limit)."""
    log.warning("Inbound mail from (unread) rejected: %s", reason)
    return InboundResult("rejected", reason)


def _safe(value: str) -> str:
    """An address fit for one log line (no line breaks or control characters from a hostile header)."""
    return "".join(ch for ch in value if ch.isprintable())[:254]


# ---------------------------------------------------------------- reading the SendGrid fields

def read_mail(form: dict, files: list[tuple[str, int, str]]) -> InboundMail:
    """The parts of an Inbound Parse payload Loket uses, in either mode: parsed fields (text, headers,
    attachment files) or raw (`email` holds the whole MIME message)."""
    form = {key: _clean(key, value) for key, value in form.items() if isinstance(value, str)}
    if not form.get("from") or "envelope" not in form:
        raise MalformedInbound("Not an Inbound Parse payload: 'from' and 'envelope' are required.")
    try:
        envelope = json.loads(form["envelope"])
    except (TypeError, ValueError, RecursionError):
        raise MalformedInbound("The envelope is not JSON.") from None
    if not isinstance(envelope, dict):
        raise MalformedInbound("The envelope is not a JSON object.")
    envelope_to = envelope.get("to") or []
    envelope_to = [envelope_to] if isinstance(envelope_to, str) else envelope_to
    # JSON may spell a NUL or half a surrogate pair as \u escapes: clean what it decoded too.
    envelope_to = tuple(_clean("to", str(a)) for a in (envelope_to if isinstance(envelope_to, list) else ()))

    sender = _address(form["from"])
    subject = form.get("subject") or ""
    files_found = [Attachment(_clip(_clean("name", name or ""), 255), int(size),
                              _clip(_clean("type", content_type or ""), 100), data[0] if data else None)
                   for name, size, content_type, *data in files]
    if form.get("email"):
        headers, text, raw_attachments = _read_raw(form["email"])
        files_found += raw_attachments
    else:
        headers = message_from_string(form.get("headers") or "", policy=policy.compat32)
        text = form.get("text") or ""
        if not text.strip() and form.get("html"):
            text = html_to_text(form["html"])
    message_id = _clip(" ".join(_clean("message_id", _header(headers, "Message-ID")).split()), 250)
    if not message_id:
        # Without a Message-ID a repeat is recognised by what the mail says and when it was written.
        fingerprint = json.dumps([sender, envelope_to, subject, _header(headers, "Date"), text])
        message_id = "sha256:" + hashlib.sha256(fingerprint.encode("utf-8", "replace")).hexdigest()
    envelope_from = envelope.get("from")
    return InboundMail(sender=sender, envelope_to=envelope_to, subject=subject, text=_clean("text", text),
                       message_id=message_id, spf=(form.get("SPF") or "").strip().lower(),
                       envelope_from=_address(_clean("from", envelope_from)) if isinstance(envelope_from, str) else "",
                       dkim=form.get("dkim") or "", attachments=tuple(files_found))


def _clean(field: str, value: str) -> str:
    """A field without control characters: line breaks and tabs stay where they mean something, elsewhere they
    become spaces (a folded header)."""
    if field in MULTILINE_FIELDS:
        return without_control_characters(value.replace("\r\n", "\n").replace("\r", "\n"), allowed="\n\t")
    return without_control_characters(re.sub(r"[\r\n\t]+", " ", value), allowed="")


def _address(value: str) -> str:
    """The lower-cased address of a From (or envelope sender) field; "" when it holds none."""
    _name, address = parseaddr(value)
    return address.strip().lower() if "@" in address else ""


def _read_raw(raw: str):
    """Headers, plain text and attachments of a whole MIME message (SendGrid's raw mode)."""
    message = message_from_string(raw, policy=policy.default)
    text = ""
    found = []
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            content = body.get_content()
            text = html_to_text(content) if body.get_content_subtype() == "html" else content
        for part in message.walk():
            if part.is_multipart() or (part.get_content_disposition() != "attachment" and not part.get_filename()):
                continue
            payload = part.get_payload(decode=True) or b""
            found.append(Attachment(_clip(_clean("name", part.get_filename() or "") or "bijlage", 255),
                                          len(payload), _clip(_clean("type", part.get_content_type()), 100),
                                          payload))
    except Exception:  # a broken MIME message fails the same way on every retry: read what we can
        log.warning("Inbound raw mail could not be fully parsed", exc_info=True)
    return message, text, found


def _header(message, name: str) -> str:
    try:
        return str(message.get(name) or "")
    except Exception:  # the stdlib's header parser can trip over hostile values; treat them as absent
        return ""


def _clip(value: str, limit: int) -> str:
    return (value or "")[:limit]
