"""Mailed account links as a test reads them: from the outbox row the service wrote (the mail holds the link)."""
from sqlalchemy import select

from loket.extensions import db
from loket.models import OutboxMessage
from loket.services.messaging import mail


def account_mails(template: str | None = None) -> list[OutboxMessage]:
    """Outbox rows of account mails, oldest first (all of them, or of one template)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template is not None:
        query = query.where(OutboxMessage.name == template)
    return list(db.session.scalars(query))


def mailed_path(template: str, to: str | None = None) -> str:
    """The site path of the link in the newest mail of `template` (to `to`, when given)."""
    rows = [row for row in account_mails(template) if to is None or row.payload["to"] == to]
    assert rows, f"no {template} mail" + (f" to {to}" if to else "")
    return rows[-1].payload["context"]["link_path"]


def mailed_token(template: str, to: str | None = None) -> str:
    """The token at the end of that link."""
    return mailed_path(template, to).rsplit("/", 1)[1]


def rendered(row: OutboxMessage) -> mail.RenderedMail:
    """The mail as it is sent (subject, text, html)."""
    return mail.render(row.name, row.payload["context"])
