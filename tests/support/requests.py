"""Filing requests through the real service (routing, events, outbox), as a club contact does.

For a request row that only needs to exist (aggregates, counts), use factories.SupportRequestFactory.
"""
from loket.extensions import db as _db
from loket.services.requests import actions, filing
from tests.factories import ClubFactory, MembershipFactory
from tests.support.lookups import category_id

TITLE = "Hulp bij werven van vrijwilligers"
DESCRIPTION = "We zoeken drie nieuwe jeugdtrainers voor volgend seizoen."


def _of(network, value):
    """A network attribute by name, or the object itself."""
    return getattr(network, value) if isinstance(value, str) else value


def file_request(network, *, who="club_contact", club="club_utrecht", category="vrijwilligers-kader", sport=None,
                 title=TITLE, description=DESCRIPTION, now=None, **more):
    """File a request through the service as the club contact `who` for `club`: each a network attribute name
    or the User/Club itself; `category` is a slug, `sport` a name on the network, a Sport or None."""
    sport = _of(network, sport) if sport else None
    return filing.create_request(
        actor=_of(network, who), club_id=_of(network, club).id, category_id=category_id(category),
        sport_id=sport.id if sport else None, title=title, description=description, now=now, **more)


def request_form(network, *, club="club_utrecht", category="vrijwilligers-kader", sport=None, title=TITLE,
                 description=DESCRIPTION) -> dict:
    """The form data of 'Nieuwe aanvraag' (POST /club/aanvragen/nieuw)."""
    return {"club": _of(network, club).id, "category": category_id(category),
            "sport": _of(network, sport).id if sport else "", "title": title, "description": description}


def file_many(network, count, *, club=None, actor=None):
    """File `count` requests ("overig"); without a fixed club each comes from a new club, so rows differ.
    Every other one is claimed and answered."""
    actor = actor or network.club_contact
    for i in range(count):
        if club is None:
            this_club = ClubFactory(gemeente=network.utrecht)
            MembershipFactory(user=actor, role="club", club=this_club)
            _db.session.commit()
        request = file_request(network, who=actor, club=club or this_club, category="overig", title=f"Vraag {i}",
                               description="Tekst")
        if i % 2:
            actions.claim(request, actor=network.ondersteuner if i % 4 == 1 else network.collega)
            actions.add_message(request, actor=network.ondersteuner, body="Antwoord", internal=False,
                                as_supporter=True)
