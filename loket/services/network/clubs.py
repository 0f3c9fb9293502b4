"""Club profiles (DESIGN §3): name, kind, sports, KvK number, basiseisen and contact persons.

Every function that writes commits exactly once. Who may edit: a club contact of the club, or a
clubondersteuner of the loket serving the club's gemeente.
"""
import re
import unicodedata
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import (
    BASISEIS_STATUSES,
    BASISEISEN,
    CLUB_KINDS,
    Club,
    ClubContact,
    Gemeente,
    Sport,
    User,
)
from loket.models.base import today_in_amsterdam, utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.ids import ID_MAX, as_id, row_by_id
from loket.services.search import contains
from loket.services.text import EMAIL_MAX, GEMEENTE_CODE_PATTERN, clean_name, has_control_characters, typed_day
from loket.services.transaction import commit

NOT_FOUND_MESSAGE = "Deze club bestaat niet of je hebt er geen toegang toe."
REMOVED_CONTACT_NAME = "Verwijderde contactpersoon"
CONTACT_NOT_FOUND_MESSAGE = "Deze contactpersoon hoort niet bij deze club."
LAST_CONTACT_MESSAGE = "Een club heeft minstens één contactpersoon nodig."
FORBIDDEN_MESSAGE = "Je mag het profiel van deze club niet wijzigen."
CLUB_KIND_LABELS = {"vereniging": "Vereniging", "onderneming": "Onderneming", "stichting": "Stichting"}
BASISEIS_STATUS_LABELS = {
    "voldoet": "Voldoet", "mee_bezig": "Mee bezig", "nee": "Nog niet", "onbekend": "Onbekend",
}
NAME_MAX = 200
NAME_MISSING_MESSAGE = "Vul de naam van de club in."
KIND_MESSAGE = "Kies of de club een vereniging, onderneming of stichting is."
KVK_MESSAGE = "Een KvK-nummer bestaat uit precies 8 cijfers. Laat het veld leeg als de club er geen heeft."
GEMEENTE_MESSAGE = "Onbekende gemeentecode; gebruik de CBS-code, bijvoorbeeld GM0344."
CONTROL_CHARACTERS_MESSAGE = "Een naam kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
NO_SPORTS_MESSAGE = "Kies minstens één sport die de club aanbiedt."
CONTACT_LIMITS = {"name": 120, "email": EMAIL_MAX, "phone": 40, "function": 80}


# ---------------------------------------------------------------- access

def can_edit_club(user: User, club: Club) -> bool:
    """A club contact of this club, or a clubondersteuner of the loket serving its gemeente (active clubs only).

    Reads only loaded attributes (memberships, the joined gemeente), so templates may call it per club.
    """
    if not user.is_authenticated:
        return False
    if club.id in user.club_ids:  # its own contacts, also while it waits for approval (or was turned down)
        return True
    if club.status != "actief":  # nothing of a club the loket has not approved is visible to others
        return False
    loket_id = club.gemeente.loket_id
    return loket_id is not None and loket_id in user.loket_ids


def get_club_for_editor(user: User, club_id) -> Club:
    """The club, if `user` may edit it; NotFound otherwise (no hint whether it exists)."""
    try:
        club = db.session.get(Club, int(club_id))
    except (TypeError, ValueError):
        club = None
    if club is None or not can_edit_club(user, club):
        raise NotFound(NOT_FOUND_MESSAGE)
    return club


def _require_editor(actor: User, club: Club) -> None:
    if not can_edit_club(actor, club):
        raise Forbidden(FORBIDDEN_MESSAGE)


# ---------------------------------------------------------------- field rules (profile, beheer, self-registration)

def club_name(errors: dict, name: str | None, *, field: str = "name") -> str:
    """The club's name with its whitespace collapsed; a message under `field` when empty, too long or holding
    control characters."""
    found: dict[str, str] = {}
    name = clean_name(found, name, NAME_MAX, missing=NAME_MISSING_MESSAGE)
    if not found and has_control_characters(name):
        found["name"] = CONTROL_CHARACTERS_MESSAGE
    if found:
        errors[field] = found["name"]
    return name


def kvk(errors: dict, value: str | None, *, field: str) -> str | None:
    """A KvK number without its spaces (None when left empty); a message under `field` unless it is 8 digits."""
    number = re.sub(r"\s+", "", value or "") or None
    if number is not None and not re.fullmatch(r"[0-9]{8}", number):
        errors[field] = KVK_MESSAGE
    return number


def gemeente_by_code(errors: dict, code: str | None, *, field: str = "gemeente") -> Gemeente | None:
    """The gemeente with this CBS code (GM0344, case and spaces ignored); a message under `field` otherwise."""
    code = (code or "").strip().upper()
    gemeente = (db.session.scalar(select(Gemeente).where(Gemeente.code == code))
                if GEMEENTE_CODE_PATTERN.fullmatch(code) else None)
    if gemeente is None:
        errors[field] = GEMEENTE_MESSAGE
    return gemeente


def sports_by_name_or_id(errors: dict, values, *, field: str = "sports") -> list[Sport]:
    """The sports given by id (digits, as the form's checkboxes send) or by name (as the API does), at least one,
    in reading order; a message under `field` naming what is unknown. Two queries at most."""
    ids, names, unknown = set(), set(), set()
    for value in values or []:
        text = value.strip() if isinstance(value, str) else str(value) if type(value) is int else ""
        if text.isascii() and text.isdigit():
            if int(text) <= ID_MAX:  # a larger number names no sport
                ids.add(int(text))
            else:
                unknown.add(text)
        elif text:
            names.add(text)
    by_id = {s.id: s for s in db.session.scalars(select(Sport).where(Sport.id.in_(ids)))} if ids else {}
    by_name = {s.name.casefold(): s for s in sports_by_name(sorted(names))}
    unknown |= {str(i) for i in ids if i not in by_id} | {n for n in names if n.casefold() not in by_name}
    found = {s.id: s for s in [*by_id.values(), *by_name.values()]}
    if unknown:
        errors[field] = f"Onbekende sport(en): {', '.join(sorted(unknown, key=str.casefold))}. Kies sporten uit de lijst."
    elif not found:
        errors[field] = NO_SPORTS_MESSAGE
    return sorted(found.values(), key=lambda s: (sport_sort_key(s.name), s.name))


# ---------------------------------------------------------------- profile

def update_club_profile(club: Club, *, actor: User, name: str, kind: str, kvk_number: str | None,
                        sport_ids, basiseisen: dict, today: date | None = None) -> Club:
    """Validate and store the club's profile; nothing changes when any field is invalid.

    :param basiseisen: basiseis key (see BASISEISEN) → (status, date); a date may be a `date`, an
        ISO or dd-mm-jjjj string, or empty. Keys left out keep their current values.
    Side effects: commits.
    """
    _require_editor(actor, club)
    today = today or today_in_amsterdam()
    errors: dict[str, str] = {}
    name = club_name(errors, name)
    if kind not in CLUB_KINDS:
        errors["kind"] = KIND_MESSAGE
    kvk_number = kvk(errors, kvk_number, field="kvk_number")
    sports = _sports(errors, sport_ids)
    values = basiseisen_values(errors, basiseisen or {}, today)
    if errors:
        raise InvalidInput(errors)
    club.name, club.kind, club.kvk_number, club.sports = name, kind, kvk_number, sports
    for attribute, value in values.items():
        setattr(club, attribute, value)
    commit()
    return club


def sport_sort_key(name: str) -> str:
    """Dutch reading order for names: case and accents ignored ('BMX' after 'badminton', 'Éénwieler' with e)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return plain.casefold()


def sports_in_reading_order() -> list[Sport]:
    """Every sport, in Dutch reading order (for the profile's checkboxes)."""
    return sorted(db.session.scalars(select(Sport)), key=lambda s: (sport_sort_key(s.name), s.name))


def _sports(errors: dict, sport_ids) -> list[Sport]:
    given = [sport_id for sport_id in (sport_ids or []) if str(sport_id).strip()]
    wanted = {as_id(sport_id) for sport_id in given}
    if None in wanted:  # not a number, or none a sport can have
        wanted = None
    found = list(db.session.scalars(select(Sport).where(Sport.id.in_(wanted)))) if wanted else []
    if wanted is None or len(found) != len(wanted):
        errors["sports"] = "Kies sporten uit de lijst."
    elif not found:  # routing and the bond's share of the work need at least one sport
        errors["sports"] = NO_SPORTS_MESSAGE
    return found


def basiseisen_values(errors: dict, basiseisen: dict, today: date) -> dict:
    """Column name → value for the basiseisen given as key → (status, date); a message per bad status or date
    (unreadable, or in the future) under `basiseis_<key>_status` / `_date`. Keys left out are left out."""
    known = {key for key, _ in BASISEISEN}
    unknown = set(basiseisen) - known
    if unknown:
        raise ValueError(f"Unknown basiseisen {sorted(unknown)}; expected keys from {sorted(known)}")
    values = {}
    for key, label in BASISEISEN:
        if key not in basiseisen:
            continue
        status, when = basiseisen[key]
        if status not in BASISEIS_STATUSES:
            errors[f"basiseis_{key}_status"] = f"Kies een status voor ‘{label}’."
        try:
            when = typed_day(when)
        except ValueError:
            errors[f"basiseis_{key}_date"] = f"Vul bij ‘{label}’ een geldige datum in, bijvoorbeeld 31-03-2026."
        else:
            if when is not None and when > today:
                errors[f"basiseis_{key}_date"] = f"De datum bij ‘{label}’ mag niet in de toekomst liggen."
        values[f"basiseis_{key}_status"] = status
        values[f"basiseis_{key}_date"] = when
    return values


# ---------------------------------------------------------------- contact persons

def needs_second_contact(club: Club) -> bool:
    """True when the club leans on fewer than two contact persons (the 'tweede drager' warning)."""
    return len(club.contacts) < 2


def get_contact(club: Club, contact_id) -> ClubContact:
    try:
        contact = db.session.get(ClubContact, int(contact_id))
    except (TypeError, ValueError):
        contact = None
    if contact is None or contact.club_id != club.id or contact.removed_at is not None:
        raise NotFound(CONTACT_NOT_FOUND_MESSAGE)
    return contact


def add_contact(club: Club, *, actor: User, name: str, email: str | None = None, phone: str | None = None,
                function: str | None = None) -> ClubContact:
    """Add a contact person to the club. Side effects: commits."""
    _require_editor(actor, club)
    values = contact_values(name=name, email=email, phone=phone, function=function)
    contact = ClubContact(club=club, **values)
    db.session.add(contact)
    commit()
    return contact


def update_contact(club: Club, contact_id, *, actor: User, name: str, email: str | None = None,
                   phone: str | None = None, function: str | None = None) -> ClubContact:
    """Change a contact person's details. Side effects: commits."""
    _require_editor(actor, club)
    contact = get_contact(club, contact_id)
    for attribute, value in contact_values(name=name, email=email, phone=phone, function=function).items():
        setattr(contact, attribute, value)
    commit()
    return contact


def remove_contact(club: Club, contact_id, *, actor: User) -> None:
    """Remove a contact person (anonymising the row); the last one stays. Side effects: commits."""
    _require_editor(actor, club)
    contact = get_contact(club, contact_id)
    # Lock the club row (PostgreSQL) so two simultaneous removals cannot both leave zero contacts.
    db.session.execute(select(Club.id).where(Club.id == club.id).with_for_update())
    remaining = db.session.scalar(
        select(func.count()).select_from(ClubContact)
        .where(ClubContact.club_id == club.id, ClubContact.removed_at.is_(None))) - 1
    if remaining < 1:
        db.session.rollback()
        raise InvalidInput({"contact": LAST_CONTACT_MESSAGE})
    # Anonymised, not deleted (AVG): the row stays as a tombstone without the person's data.
    anonymise_contact(contact, now=utcnow())
    db.session.expire(club, ["contacts"])
    commit()


def anonymise_contact(contact: ClubContact, *, now) -> None:
    """A contact person leaves the club's contacts: the row stays as a tombstone without personal data (a
    removal and an AVG erasure both end here)."""
    contact.name = REMOVED_CONTACT_NAME
    contact.email = contact.phone = contact.function = None
    contact.user_id = None
    contact.removed_at = now


def contact_values(*, name, email, phone, function) -> dict:
    """A contact person's fields, whitespace collapsed and the address normalised (None when empty); raises
    InvalidInput (keys name, email, phone, function) when the name is missing, there is no way to reach the
    person, a value is too long or holds control characters."""
    errors: dict[str, str] = {}
    values = {key: " ".join((value or "").split()) for key, value in
              (("name", name), ("email", email), ("phone", phone), ("function", function))}
    for key, value in values.items():
        if has_control_characters(value):
            errors[key] = "Dit veld kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    if not values["name"]:
        errors["name"] = "Vul de naam van de contactpersoon in."
    if values["email"] and "email" not in errors:
        try:
            values["email"] = validate_email(values["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@club.nl."
    if not values["email"] and not values["phone"] and not {"email", "phone"} & set(errors):
        errors["email"] = "Vul een e-mailadres of telefoonnummer in, zodat het loket deze persoon kan bereiken."
    for key, limit in CONTACT_LIMITS.items():
        if key not in errors and len(values[key]) > limit:
            errors[key] = f"Dit veld mag maximaal {limit} tekens lang zijn (nu {len(values[key])})."
    if errors:
        raise InvalidInput(errors)
    return {key: value or None for key, value in values.items()}


# ---------------------------------------------------------------- registering and listing (beheer)

def create_club(name: str, kind: str, gemeente_code: str, sport_names: list[str]) -> Club:
    """Register a club (sportaanbieder) in a gemeente with the sports it offers. Side effects: commits."""
    errors: dict[str, str] = {}
    name = club_name(errors, name)
    if kind not in CLUB_KINDS:
        errors["kind"] = f"Kies de soort aanbieder: {', '.join(CLUB_KINDS)}."
    gemeente = gemeente_by_code(errors, gemeente_code)
    sports = sports_by_name(sport_names)
    known = {s.name.casefold() for s in sports}
    unknown = sorted({n.strip() for n in sport_names or [] if n.strip() and n.strip().casefold() not in known},
                     key=str.casefold)
    if unknown:
        errors["sports"] = f"Onbekende sport(en): {', '.join(unknown)}. Kies sporten die een bond dekt."
    if errors:
        raise InvalidInput(errors)
    club = Club(name=name, kind=kind, gemeente=gemeente, sports=sports)
    db.session.add(club)
    commit()
    return club


def sports_by_name(names: list[str]) -> list[Sport]:
    """The sports with these names (case-insensitive), in name order; unknown names are left out."""
    wanted = {(n or "").strip().casefold() for n in names or []} - {""}
    if not wanted:
        return []
    candidates = db.session.scalars(select(Sport).where(func.lower(Sport.name).in_(wanted)).order_by(Sport.name))
    # lower() in SQL and casefold() here differ only for exotic letters; the final check is in Python.
    return [s for s in candidates if s.name.casefold() in wanted]


def sport_by_name(name: str) -> Sport | None:
    found = sports_by_name([name])
    return found[0] if found else None


def list_clubs(*, page: int = 1, per_page: int = 50):
    """Active clubs by name, with their gemeente (joined) and sports (three queries per page). A club still
    waiting for its loket's approval, or turned down, is not listed (see registrations)."""
    query = (select(Club).where(Club.status == "actief").options(selectinload(Club.sports))
             .order_by(Club.name, Club.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# ---- filing on a club's behalf

WERKGEBIED_CHOICES_MAX = 100  # clubs offered in one select; a search narrows a larger werkgebied


def in_werkgebied(user: User, club: Club) -> bool:
    """The club is active and its gemeente is served by a loket the user works at as clubondersteuner."""
    return club.status == "actief" and club.gemeente.loket_id is not None \
        and club.gemeente.loket_id in user.loket_ids


def club_in_werkgebied(user: User, club_id) -> Club:
    """The club, if it is in the user's werkgebied; NotFound otherwise (no hint whether it exists)."""
    club = row_by_id(Club, club_id)
    if club is None or not in_werkgebied(user, club):
        raise NotFound(NOT_FOUND_MESSAGE)
    return club


def werkgebied_clubs(user: User, search: str = "") -> tuple[list[Club], int]:
    """Active clubs in the gemeenten of the user's loketten whose name contains `search` (already checked with
    services.search.search_text), by name: at most WERKGEBIED_CHOICES_MAX of them, and how many match (two
    queries)."""
    if not user.loket_ids:
        return [], 0
    condition = [Club.status == "actief", Gemeente.loket_id.in_(user.loket_ids)]
    if search:
        condition.append(contains(search, Club.name))
    base = select(Club).join(Gemeente, Gemeente.id == Club.gemeente_id).where(*condition)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    found = list(db.session.scalars(base.order_by(Club.name, Club.id).limit(WERKGEBIED_CHOICES_MAX)))
    return found, total

