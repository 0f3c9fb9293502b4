"""Aanmeldingen in tests: the form of a new club with its person, and the link a mail carries (read from the
outbox row and rendered as the mail would be)."""
import re

from tests.support.mails import outbox_rows, rendered

PASSWORD = "een lange zin als wachtwoord"
LINK = re.compile(r"https?://\S+/aanmelden/bevestigen/([A-Za-z0-9_-]+)")


def club_data(**overrides) -> dict:
    """A new club in Utrecht (GM0344, Sportloket Utrecht in the test network) offering voetbal."""
    return {"name": "FC Nieuwegein-Noord", "kind": "vereniging", "gemeente": "GM0344", "sports": ["voetbal"],
            **overrides}


def contact_data(**overrides) -> dict:
    return {"name": "Noor Nieuw", "email": "noor@nieuw.example", "password": PASSWORD, **overrides}


def confirmation_token(email: str) -> str:
    """The token in the link of the last confirmation mail to `email`, as the person clicks it."""
    rows = outbox_rows("registration_confirm", email)
    assert rows, f"no confirmation mail to {email}"
    links = LINK.findall(rendered(rows[-1]).text)
    assert len(links) == 1, links
    return links[0]
