"""Filing a request on a club's behalf through the real service, as a clubondersteuner does after a phone call."""
from loket.services.requests import filing
from tests.support.lookups import category_id

TITLE = "Vrijwilligers voor het jeugdtoernooi"
DESCRIPTION = "De voorzitter belde: ze zoeken tien vrijwilligers voor het toernooi in juni."


def _of(network, value):
    return getattr(network, value) if isinstance(value, str) else value


def file_for_club(network, *, who="collega", club="club_utrecht", channel="telefoon", contact_id=None,
                  contact=None, category="vrijwilligers-kader", sport=None, title=TITLE, description=DESCRIPTION,
                  now=None) -> filing.FiledForClub:
    """File through filing.file_for_club; `who` and `club` are network attribute names or the objects; without
    `contact_id` or `contact` the club's first contact person is chosen."""
    club = _of(network, club)
    if contact_id is None and contact is None:
        contact_id = club.contacts[0].id
    sport = _of(network, sport) if sport else None
    return filing.file_for_club(actor=_of(network, who), club_id=club.id, channel=channel, contact_id=contact_id,
                                contact=contact, category_id=category_id(category),
                                sport_id=sport.id if sport else None, title=title, description=description,
                                now=now)


def form_data(network, *, club="club_utrecht", channel="telefoon", contact=None, new_contact=None,
              category="vrijwilligers-kader", sport=None, title=TITLE, description=DESCRIPTION) -> dict:
    """The form of 'Aanvraag voor een club' (POST /wachtrij/nieuw): an existing contact (`contact`: id, default
    the club's first) or a new one (`new_contact`: name/email/phone)."""
    club = _of(network, club)
    data = {"club": club.id, "channel": channel, "category": category_id(category),
            "sport": _of(network, sport).id if sport else "", "title": title, "description": description}
    if new_contact is not None:
        data.update({"contact": "nieuw", **{f"contact_{k}": v for k, v in new_contact.items()}})
    else:
        data["contact"] = contact if contact is not None else club.contacts[0].id
    return data
