"""Aanmeldingen in tests: the form of a new club with its person, and the link a mail carries (read from the
outbox row and rendered as the mail would be)."""
import re

from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import OutboxMessage
from loket.services.messaging import mail

PASSWORD = "een lange zin als wachtwoord"
LINK = re.compile(r"https?://\S+/aanmelden/bevestigen/([A-Za-z0-9_-]+)")


def club_data(**overrides) -> dict:
    """A new club in Utrecht (GM0344, Sportloket Utrecht in the test network) offering voetbal."""
    return {"name": "FC Nieuwegein-Noord", "kind": "vereniging", "gemeente": "GM0344", "sports": ["voetbal"],
            **overrides}


def contact_data(**overrides) -> dict:
    return {"name": "Noor Nieuw", "email": "noor@nieuw.example", "password": PASSWORD, **overrides}


def mails(template: str, to: str | None = None) -> list[OutboxMessage]:
    """The outbox rows of a template (to one address), oldest first."""
    rows = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.name == template)
                               .order_by(OutboxMessage.id)).all()
    return [row for row in rows if to is None or row.payload["to"] == to]


def rendered(row: OutboxMessage) -> mail.RenderedMail:
    return mail.render(row.name, row.payload["context"])


def confirmation_token(email: str) -> str:
    """The token in the link of the last confirmation mail to `email`, as the person clicks it."""
    rows = mails("registration_confirm", email)
    assert rows, f"no confirmation mail to {email}"
    links = LINK.findall(rendered(rows[-1]).text)
    assert len(links) == 1, links
    return links[0]
