"""Requests whose deadline, age, activity and club orders differ (the queue's sort tests, page and API)."""
from datetime import timedelta

from loket.extensions import db
from loket.models.base import utcnow
from loket.services.requests import actions
from tests.factories import ClubFactory, make_user
from tests.support.requests import file_request


def three_requests_in_three_orders(network):
    """Three requests of loket Utrecht: filed a, b, c (oldest first); c has the nearest deadline; a the latest
    activity; the clubs' names order them b, c, a."""
    now = utcnow()
    zebra, alfa, midden = (ClubFactory(name=name, gemeente=network.club_utrecht.gemeente)
                           for name in ("Zebra VV", "Alfa SV", "Midden HC"))
    db.session.commit()
    contacts = [make_user("club", club, name=f"Contact {club.name}") for club in (zebra, alfa, midden)]
    a, b, c = (file_request(network, who=who, club=club, category="overig", title=title, now=now - timedelta(hours=hours))
               for who, club, title, hours in ((contacts[0], zebra, "a", 30), (contacts[1], alfa, "b", 20),
                                               (contacts[2], midden, "c", 10)))
    c.due_at, b.due_at, a.due_at = now + timedelta(days=1), now + timedelta(days=2), now + timedelta(days=3)
    db.session.commit()
    actions.add_message(a, actor=network.ondersteuner, body="Nieuw bericht.", internal=True, as_supporter=True)
    return a, b, c
