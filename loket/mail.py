"""Sending one email: render the Dutch text + HTML templates, hand them to a provider.

Providers: `sendgrid` (the official client, v3 mail/send; host from SENDGRID_API_HOST so tests can
point it at a local server) and `log` (development without SENDGRID_API_KEY: the mail goes to the
log, and beheer reads it on the outbox page). Only the outbox calls `send`.
"""
import logging
import socket
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app, render_template
from python_http_client.exceptions import HTTPError

from loket.services.outbox import PermanentError, TransientError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    reply_to: str | None = None


def render(template: str, context: dict) -> RenderedMail:
    """Render templates/email/<template>.txt and .html; the subject is the `subject` block of the .txt."""
    from loket.notifications import mail_context

    values = mail_context(template, context)
    env = current_app.jinja_env
    text_template = env.get_template(f"email/{template}.txt")
    subject = "".join(text_template.blocks["subject"](text_template.new_context(values))).strip()
    return RenderedMail(
        subject=" ".join(subject.split()),
        text=render_template(f"email/{template}.txt", **values).strip() + "\n",
        html=render_template(f"email/{template}.html", **values),
        reply_to=values.get("reply_to"),
    )


def send(template: str, *, to: str, context: dict, idempotency_key: str) -> None:
    rendered = render(template, context)
    provider = current_app.config.get("MAIL_PROVIDER") or ("sendgrid" if current_app.config.get("SENDGRID_API_KEY")
                                                           else "log")
    PROVIDERS[provider](rendered, to=to, idempotency_key=idempotency_key)


def _send_with_log(mail: RenderedMail, *, to: str, idempotency_key: str) -> None:
    log.info("Mail (not sent, no SENDGRID_API_KEY) to %s: %s\n%s", to, mail.subject, mail.text)


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
