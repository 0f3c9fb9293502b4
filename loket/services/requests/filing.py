"""Filing a support request: validating it, giving it a reference, routing it and starting its clock."""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from loket.extensions import db
from loket.models import (
    Category,
    Collaborator,
    Club,
    ClubContact,
    ReferenceSequence,
    Sport,
    SupportRequest,
    User,
)
from loket.models.base import utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.ids import row_by_id
from loket.services.messaging import notifications
from loket.services.network import clubs, contact_logins
from loket.services.requests import workflow
from loket.services.requests.actions import CONTACT_CHANNELS, add_event
from loket.services.requests.routing import routed

AGREED_TOGETHER = "Volgens de afspraak tussen bond en loket behandelen ze deze vraag samen."
from loket.services.requests.service_levels import service_levels_of
from loket.services.text import CONTROL_MESSAGE, has_control_characters, required_text
from loket.services.transaction import commit

# A club files once its loket (or the coördinatiepunt) approved its registration (services.network.registrations).
NOT_ACTIVE_MESSAGES = {
    "aangemeld": "Je aanmelding wacht nog op het loket. Zodra het loket je club heeft goedgekeurd, "
                 "kun je een aanvraag indienen.",
    "afgewezen": "De aanmelding van deze club is afgewezen, dus er kunnen geen aanvragen voor worden ingediend.",
}
CLUB_NOT_FOUND_MESSAGE = "Deze club bestaat niet of je bent er geen contactpersoon van."
# How a request came in. The club's own filing: its web form or the API (portaal), or a mail to the loket
# (e-mail). A supporter files what reached them by phone, visit or e-mail; `portaal` stays the club's own, so
# the share of self-service filing stays true.
CLUB_CHANNELS = ("portaal", "e-mail")
SUPPORTER_CHANNELS = CONTACT_CHANNELS  # how a question reaches a supporter: not the portaal
CHANNEL_MESSAGE = "Kies hoe de vraag binnenkwam: telefoon, bezoek of e-mail."
CONTACT_MISSING_MESSAGE = "Kies een contactpersoon van de club, of vul de gegevens van een nieuwe in."
ONLY_SUPPORTERS_MESSAGE = "Alleen clubondersteuners van een loket kunnen namens een club een aanvraag indienen."
TEXT_WHITESPACE = "\n\r\t\f\v"  # layout a longer text (or a mail) may hold


class ClubNotActive(Forbidden):
    """The actor is the club's contact, but the club is not (yet) active: it may not file."""


def next_reference(year: int) -> str:
    """Allocate the next public reference of `year` (LK-2026-000123) with one atomic upsert."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(ReferenceSequence)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[ReferenceSequence.year],
            set_={"last_value": ReferenceSequence.last_value + 1},
        )
        .returning(ReferenceSequence.last_value)
    )
    return f"LK-{year}-{db.session.execute(statement).scalar_one():06d}"


def create_request(*, actor: User, club_id, category_id, sport_id, title: str, description: str,
                   now: datetime | None = None, event_data: dict | None = None,
                   channel: str = "portaal") -> SupportRequest:
    """A club contact files a request for one of their clubs; route it and start its clock.

    :param channel: `portaal` (the club's web form or the API) or `e-mail` (inbound mail to the loket).
    :param event_data: stored on the 'created' event (e.g. how it arrived: inbound email).
    :raises NotFound: an unknown club or one the actor is no contact of (the same answer: existence is not told).
    :raises ClubNotActive: the actor's own club is not approved yet (403).
    Side effects: commits the request with its 'created' and 'routed' events and the confirmation mail.
    """
    if channel not in CLUB_CHANNELS:
        raise ValueError(f"A club files through {CLUB_CHANNELS}, not {channel!r}")
    club = row_by_id(Club, club_id)
    if club is None or club.id not in actor.club_ids:
        raise NotFound(CLUB_NOT_FOUND_MESSAGE, field="club")
    if club.status != "actief":
        raise ClubNotActive(NOT_ACTIVE_MESSAGES.get(club.status, NOT_ACTIVE_MESSAGES["aangemeld"]), field="club")
    errors: dict[str, str] = {}
    fields = _request_fields(errors, category_id=category_id, sport_id=sport_id, title=title,
                             description=description)
    if errors:
        raise InvalidInput(errors)
    return _file(club, fields, actor=actor, requester=actor, filed_by=None, channel=channel, now=now or utcnow(),
                 event_data=event_data)


@dataclass(frozen=True)
class FiledForClub:
    """A request filed on a club's behalf, its contact person, and what became of that person's login
    (network.contact_logins: CREATED, LINKED, IN_USE, NO_EMAIL; None for an existing contact person)."""

    request: SupportRequest
    contact: ClubContact
    login: str | None

    @property
    def login_message(self) -> str | None:
        if self.login is None:
            return None
        return contact_logins.OUTCOME_MESSAGES[self.login].format(name=self.contact.name, email=self.contact.email)


def file_for_club(*, actor: User, club_id, channel: str, category_id, sport_id, title: str, description: str,
                  contact_id=None, contact: dict | None = None, now: datetime | None = None) -> FiledForClub:
    """A clubondersteuner files a request for a club in their werkgebied, as it came in by phone, visit or
    e-mail, for one of the club's contact persons: an existing one (`contact_id`) or a new one (`contact`:
    name, email, phone). Routing, clock and confirmation are those of the club's own filing; the request keeps
    who filed it (`filed_by`) and how it came in (`channel`).

    A new contact person with an email address and no account gets a login for the club and a mail to choose a
    password (network.contact_logins); the requester is the contact person's login, if any, so the confirmation
    goes to them, else to every contact of the club with a login (notifications.club_users).

    :raises Forbidden: the actor is no clubondersteuner (a bond has no werkgebied of clubs).
    :raises NotFound: the club is unknown, not active, or outside the actor's werkgebied (the same answer).
    :raises InvalidInput: every field problem at once: channel, contact (contact / contact_name /
        contact_email / contact_phone), category, sport, title, description.
    Side effects: commits the contact person (and login), the request, its events and the mails.
    """
    now = now or utcnow()
    if not actor.has_role("clubondersteuner"):
        raise Forbidden(ONLY_SUPPORTERS_MESSAGE)
    club = clubs.club_in_werkgebied(actor, club_id)
    errors: dict[str, str] = {}
    if channel not in SUPPORTER_CHANNELS:
        errors["channel"] = CHANNEL_MESSAGE
    chosen, new_values = _contact_choice(errors, club, contact_id, contact)
    fields = _request_fields(errors, category_id=category_id, sport_id=sport_id, title=title,
                             description=description)
    if errors:
        raise InvalidInput(errors)
    login = None
    if chosen is None:
        chosen = ClubContact(club=club, **new_values)
        db.session.add(chosen)
        db.session.flush()  # its id goes on the 'created' event
        login = contact_logins.give_login(chosen, actor=actor, now=now)
    requester = db.session.get(User, chosen.user_id) if chosen.user_id else None
    if requester is not None and not (requester.active and club.id in requester.club_ids):
        requester = None  # a login that left the club: the confirmation goes to the club's current contacts
    request = _file(club, fields, actor=actor, requester=requester, filed_by=actor, channel=channel, now=now,
                    event_data={"channel": channel, "on_behalf": True, "filed_by": actor.name,
                                "contact_id": chosen.id, "contact": chosen.name})
    return FiledForClub(request, chosen, login)


@dataclass(frozen=True)
class _Fields:
    category: Category
    sport: Sport | None
    title: str
    description: str


def _request_fields(errors: dict, *, category_id, sport_id, title, description) -> _Fields:
    """The request's own fields by the one set of rules of every way of filing; messages go into `errors`."""
    config = current_app.config
    title = required_text(errors, "title", title, missing="Geef je vraag een korte titel.",
                          limit=config["REQUEST_TITLE_MAX"], what="De titel")
    if "title" not in errors and has_control_characters(title):
        errors["title"] = CONTROL_MESSAGE
    description = required_text(errors, "description", description, missing="Beschrijf je vraag.",
                                limit=config["REQUEST_BODY_MAX"], what="De beschrijving")
    if "description" not in errors and has_control_characters(description, allowed=TEXT_WHITESPACE):
        errors["description"] = CONTROL_MESSAGE
    category = _active_category(category_id)
    if category is None:
        errors["category"] = "Kies een van de categorieën uit de lijst."
    sport = _sport(sport_id)
    if sport_id not in (None, "", 0, "0") and sport is None:
        errors["sport"] = "Deze sport kennen we niet; kies een sport uit de lijst."
    elif category is not None and category.is_sport_specific and sport is None:
        errors["sport"] = f"Bij '{category.name}' hoort een sport: kies over welke sport je vraag gaat."
    elif category is not None and not category.is_sport_specific and sport is not None:
        errors["sport"] = (f"'{category.name}' is geen sportspecifieke categorie; laat de sport leeg "
                           "of kies de categorie 'sporttechnisch & competitie'.")
    return _Fields(category, sport, title, description)


def _contact_choice(errors: dict, club: Club, contact_id, contact: dict | None):
    """(an existing contact person of the club, None) or (None, the checked values of a new one)."""
    if contact_id not in (None, "") and contact is not None:
        errors["contact"] = "Kies een bestaande contactpersoon óf vul een nieuwe in, niet allebei."
        return None, None
    if contact is not None:
        try:
            values = clubs.contact_values(name=contact.get("name"), email=contact.get("email"),
                                          phone=contact.get("phone"), function=None)
        except InvalidInput as error:
            errors.update({f"contact_{field}": message for field, message in error.errors.items()})
            return None, None
        if values["email"] and any((c.email or "").casefold() == values["email"].casefold() for c in club.contacts):
            errors["contact_email"] = ("Deze persoon staat al als contactpersoon bij de club; kies hem of haar in "
                                       "de lijst.")
        return None, values
    if contact_id in (None, ""):
        errors["contact"] = CONTACT_MISSING_MESSAGE
        return None, None
    chosen = next((c for c in club.contacts if str(c.id) == str(contact_id)), None)
    if chosen is None:
        errors["contact"] = clubs.CONTACT_NOT_FOUND_MESSAGE
    return chosen, None


def _file(club: Club, fields: _Fields, *, actor: User, requester: User | None, filed_by: User | None, channel: str,
          now: datetime, event_data: dict | None) -> SupportRequest:
    """Store, route and start the clock of a checked request; its events and mails; one commit."""
    routing = routed(club, fields.category, fields.sport)
    team, decision = routing.team, routing.decision
    request = SupportRequest(
        reference=next_reference(now.year), club=club, requester=requester, filed_by=filed_by, channel=channel,
        category=fields.category, sport=fields.sport, title=fields.title, description=fields.description,
        status="nieuw", owner_team=team, created_at=now, updated_at=now,
    )
    db.session.add(request)
    workflow.start_clock(request, now, service_levels_of(team))
    add_event(request, "created", actor, now, public=True, data=event_data)
    add_event(request, "routed", None, now, body=decision.reason,
              data={"team_id": team.id, "team_kind": team.kind})
    if decision.invited_bond_id is not None:  # a `samen` agreement: the bond co-handles from the start
        bond_team = routing.invited_team
        db.session.add(Collaborator(request=request, team=bond_team, reason=AGREED_TOGETHER, created_at=now))
        add_event(request, "collaborator_added", None, now, public=True,
                  data={"team_id": bond_team.id, "team": bond_team.name, "reason": AGREED_TOGETHER})
    db.session.flush()
    notifications.request_filed(request)
    commit()
    return request


def _active_category(category_id) -> Category | None:
    category = row_by_id(Category, category_id)
    return category if category is not None and category.active else None


def _sport(sport_id) -> Sport | None:
    return row_by_id(Sport, sport_id) if sport_id not in (None, "", 0, "0") else None
