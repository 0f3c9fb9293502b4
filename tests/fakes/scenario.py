"""Helpers shared by the outbox, notification, scheduler and worker tests: file a request, read what the
fake SendGrid received as mails joined with the outbox rows they came from."""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from loket.extensions import db
from loket.models import Category, OutboxMessage
from loket.services.requests import filing
from tests.fakes.sendgrid import Call, FakeSendGrid

TITLE = "Hulp bij werven van vrijwilligers"
DESCRIPTION = "We zoeken drie nieuwe jeugdtrainers voor volgend seizoen."


def category_id(slug: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def file_request(network, *, who="club_contact", club="club_utrecht", category="vrijwilligers-kader", sport=None,
                 title=TITLE, description=DESCRIPTION, now=None):
    """File a request through the service, as the club contact `who` (a network attribute name)."""
    return filing.create_request(
        actor=getattr(network, who), club_id=getattr(network, club).id, category_id=category_id(category),
        sport_id=getattr(network, sport).id if sport else None, title=title, description=description, now=now)


def request_form(network, *, club="club_utrecht", category="vrijwilligers-kader", sport=None, title=TITLE,
                 description=DESCRIPTION) -> dict:
    """The form data of 'Nieuwe aanvraag' (POST /club/aanvragen/nieuw)."""
    return {"club": getattr(network, club).id, "category": category_id(category),
            "sport": getattr(network, sport).id if sport else "", "title": title, "description": description}


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


def outbox_rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


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
