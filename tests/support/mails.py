"""Mails in tests: the outbox rows the services wrote and the mails they render to, and what the fake SendGrid
received, joined with the outbox rows it came from (the outbox, notification, scheduler and worker tests).
Filing the requests that cause them: tests.support.requests."""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from loket.extensions import db
from loket.models import OutboxMessage
from loket.services.messaging import mail
from tests.fakes.sendgrid import Call, FakeSendGrid


@dataclass(frozen=True)
class Mail:
    """One mail SendGrid accepted, with the outbox row it came from."""

    template: str
    to: str
    key: str
    call: Call

    @property
    def subject(self) -> str:
        return self.call.subject

    @property
    def text(self) -> str:
        return self.call.text

    @property
    def html(self) -> str:
        return self.call.html


def outbox_rows(template: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    """Outbox rows, oldest first: all of them, or those of one template (to one address, when given)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template is not None:
        query = query.where(OutboxMessage.name == template)
    return [row for row in db.session.scalars(query) if to is None or row.payload["to"] == to]


def rendered(row: OutboxMessage) -> mail.RenderedMail:
    """The mail of an outbox row as it is sent (subject, text, html)."""
    return mail.render(row.name, row.payload["context"])


def accepted_mails(fake: FakeSendGrid) -> list[Mail]:
    """Every call the fake answered 202, joined with its outbox row by the key in custom_args."""
    rows = {row.idempotency_key: row for row in outbox_rows()}
    mails = []
    for call in fake.accepted:
        row = rows.get(call.key)
        assert row is not None, f"SendGrid got a mail with no outbox row: {call.key!r}"
        assert call.to == [row.payload["to"]], (call.to, row.payload)
        mails.append(Mail(template=row.name, to=row.payload["to"], key=call.key, call=call))
    return mails


def sent_to(fake: FakeSendGrid) -> Counter:
    """(template, recipient) → how many times SendGrid accepted it."""
    return Counter((mail.template, mail.to) for mail in accepted_mails(fake))
