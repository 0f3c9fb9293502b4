"""Sending one email: render the Dutch text + HTML templates, hand them to a provider.

Providers: `sendgrid` (the official client, v3 mail/send; host from SENDGRID_API_HOST so tests can
point it at a local server) and `log` (without SENDGRID_API_KEY: each mail is one log line, which the app
factory shows on the console in development). The log line never holds the body, which holds a request's
contents; outside development (MAIL_PREVIEW unset) it names only the recipient and the kind of mail (its
template), since subjects carry request titles and links carry single-use tokens. The MAIL_PROVIDER setting
(config.py) picks one; empty means sendgrid when SENDGRID_API_KEY is set, else log. Only the outbox calls `send`.
"""
import logging
import re
import socket
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app, render_template
from python_http_client.exceptions import HTTPError

from loket.extensions import db
from loket.models import Event, OutboxMessage, Referral, SupportRequest, User
from loket.services.messaging.errors import PermanentError, TransientError
from loket.services.messaging.reply_addresses import reply_address

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    reply_to: str | None = None
    template: str = ""  # the kind of mail: what a log outside development may name


def render(template: str, context: dict) -> RenderedMail:
    """Render templates/email/<template>.txt and .html; the subject is the `subject` block of the .txt."""
    values = mail_context(template, context)
    env = current_app.jinja_env
    text_template = env.get_template(f"email/{template}.txt")
    subject = "".join(text_template.blocks["subject"](text_template.new_context(values))).strip()
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=render_template(f"email/{template}.txt", **values).strip() + "\n",
        html=render_template(f"email/{template}.html", **values),
        reply_to=values.get("reply_to"),
        template=template,
    )


def deliver(row: OutboxMessage) -> None:
    """Deliver an email row of the outbox."""
    send(row.name, to=row.payload["to"], context=row.payload.get("context", {}), idempotency_key=row.idempotency_key)


def send(template: str, *, to: str, context: dict, idempotency_key: str) -> None:
    rendered = render(template, context)
    provider = current_app.config.get("MAIL_PROVIDER") or ("sendgrid" if current_app.config.get("SENDGRID_API_KEY")
                                                           else "log")
    PROVIDERS[provider](rendered, to=to, idempotency_key=idempotency_key)


# ---------------------------------------------------------------- rendering context (at delivery time)

def mail_context(template: str, context: dict) -> dict:
    """Load what a template shows from the ids stored in the outbox row; its plain values (a link's token, a
    name) are shown as they are."""
    values = {**context, "template": template, "base_url": current_app.config["BASE_URL"].rstrip("/")}
    if "user_id" in context:
        values["recipient"] = db.session.get(User, context["user_id"])
    if "request_id" in context:
        request = db.session.get(SupportRequest, context["request_id"])
        if request is None:
            raise PermanentError(f"Aanvraag {context['request_id']} bestaat niet meer")
        values["req"] = request
        values["reply_to"] = reply_address(request.reference)
        values["club_url"] = values["base_url"] + _path("club.detail", request.id)
        values["queue_url"] = values["base_url"] + _path("queue.detail", request.id)
    if "event_id" in context:
        values["event"] = db.session.get(Event, context["event_id"])
    if "referral_id" in context:
        values["referral"] = db.session.get(Referral, context["referral_id"])
    return values


def _path(endpoint: str, request_id: int) -> str:
    return site_path(endpoint, request_id=request_id)


def site_path(endpoint: str, **values) -> str:
    """The path of a page for a mailed link (templates put base_url before it); built from the URL map, since
    a job or service has no request of its own."""
    return current_app.url_map.bind("").build(endpoint, values)


# ---------------------------------------------------------------- providers

LINK = re.compile(r"https?://[^\s<>\"'()]+")


def links_in(text: str) -> list[str]:
    """The web addresses in a mail's text, each once, in order (a sentence's closing mark left off)."""
    links = (match.rstrip(".,;:!?") for match in LINK.findall(text or ""))
    return list(dict.fromkeys(links))


def contents_may_be_shown() -> bool:
    """Whether a rendered mail (subject, links, body: a request's title and texts, single-use tokens) may be
    shown to anyone but its recipient: in development only (MAIL_PREVIEW, set by DevelopmentConfig). Read by
    the log provider and by beheer's mail preview."""
    return bool(current_app.config.get("MAIL_PREVIEW"))


def summary(mail: RenderedMail, *, to: str) -> str:
    """What development shows of a mail: recipient, subject, reply address and links; never the body."""
    lines = [f"Mail (niet verstuurd: geen SENDGRID_API_KEY) aan {to}: {mail.subject}"]
    if mail.reply_to:
        lines.append(f"  antwoorden naar: {mail.reply_to}")
    lines += [f"  link: {link}" for link in links_in(mail.text)]
    return "\n".join(lines)


def prepare_for_workers() -> int:
    """Load once, when a worker starts, what the first deliveries would otherwise load while the queue waits:
    the SendGrid client (about 0.2 s to import) and every mail template compiled (Jinja keeps them in the
    app's cache for the worker's lifetime). Returns how many templates."""
    import sendgrid  # noqa: F401

    env = current_app.jinja_env
    names = [name for name in env.list_templates() if name.startswith("email/")]
    for name in names:
        env.get_template(name)
    return len(names)


def _send_with_log(mail: RenderedMail, *, to: str, idempotency_key: str) -> None:
    if contents_may_be_shown():
        log.info("%s", summary(mail, to=to))
    else:
        log.info("Mail %s aan %s niet verstuurd (geen SENDGRID_API_KEY)", mail.template or "(onbekend)", to)


def _send_with_sendgrid(mail: RenderedMail, *, to: str, idempotency_key: str) -> None:
    from sendgrid import SendGridAPIClient

    config = current_app.config
    client = SendGridAPIClient(config["SENDGRID_API_KEY"], host=config["SENDGRID_API_HOST"])
    # The client has no timeout of its own: without one a hung API blocks the worker forever.
    client.client.timeout = config["SENDGRID_TIMEOUT_SECONDS"]
    sender_name, sender_email = parseaddr(config["MAIL_FROM"])
    body = {
        # custom_args is echoed back in SendGrid's event webhook: it lets a receiver recognise a
        # duplicate delivery. It belongs in the personalization (top level it must be a string).
        "personalizations": [{"to": [{"email": to}], "custom_args": {"outbox_key": idempotency_key[:200]}}],
        "from": {"email": sender_email, **({"name": sender_name} if sender_name else {})},
        "subject": mail.subject,
        "content": [{"type": "text/plain", "value": mail.text}, {"type": "text/html", "value": mail.html}],
    }
    if mail.reply_to:
        body["reply_to"] = {"email": mail.reply_to}
    try:
        client.client.mail.send.post(request_body=body)
    except HTTPError as error:
        status = getattr(error, "status_code", None) or 0
        detail = f"SendGrid {status}: {getattr(error, 'body', b'')!r}"[:1000]
        if status == 429 or status >= 500:
            raise TransientError(detail) from None
        raise PermanentError(detail) from None
    except (TimeoutError, socket.timeout, ConnectionError, OSError) as error:
        raise TransientError(f"SendGrid onbereikbaar: {error}") from None


PROVIDERS = {"sendgrid": _send_with_sendgrid, "log": _send_with_log}
