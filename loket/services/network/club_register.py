"""The club register of a loket's werkgebied (issue #11 point 7): every active club in the gemeenten the loket
serves — also those that never filed — with its basiseisen, its last contact and its requests of the last
12 months; adding a club and editing its basiseisen; and, for a bond, the clubs with its sports and where their
loket is.

- The register is the set K7 (bereik) and K10 (basiseisen in beeld) count (`quality.metric_queries`): active
  clubs of the gemeenten the loket serves. Clubs still `aangemeld` are decided in the aanmeldingen list and
  join the register once approved; rejected ones never do.
- Only the loket's own clubondersteuners see its register; a supporter of two loketten picks one
  (`chosen_loket`), an unknown or foreign choice is NotFound.
- Editing follows `clubs.can_edit_club`: a clubondersteuner of the loket serving the club's gemeente, active
  clubs only (the club's own contacts edit theirs on the profile page).
- "Last contact" is the newest moment on the timeline of any of the club's requests at which the club and the
  network spoke: the request being filed (`created`), a public reply (either way), or a logged contact moment
  (`contact_moment`: a phone call or visit). One grouped query answers it, with the count of requests of the
  last 12 months, for all clubs of a page (`ix_support_requests_club_created`, `ix_events_request_created`).

A page of the register or the bond's list costs a constant number of queries: the count, the page of clubs
(gemeente joined), their sports, and (register) the one grouped query for contact and requests.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, false, func, not_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from loket.extensions import db
from loket.models import (
    BASISEISEN,
    CLUB_KINDS,
    Bond,
    Club,
    ClubContact,
    ClubRegistration,
    Event,
    Gemeente,
    Loket,
    Sport,
    SupportRequest,
    User,
)
from loket.models.base import today_in_amsterdam, utcnow
from loket.models.club import club_sports
from loket.models.organisation import bond_sports
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network import clubs
from loket.services.network.registrations import normalised_name
from loket.services.network.teams import loketten_of
from loket.services.pagination import RowPage
from loket.services.search import contains
from loket.services.text import has_control_characters
from loket.services.transaction import commit
from loket.services.ids import as_id

PAGE_SIZE = 50
SEARCH_MAX = 100
REQUEST_WINDOW = timedelta(days=365)
# The timeline events that count as contact between the club and the network (see the module's docstring).
CONTACT_EVENT_KINDS = ("created", "public_reply", "contact_moment")
BASISEISEN_FILTERS = {
    "onbekend": "Nog niet alles bekend",
    "bekend": "Alle vier bekend",
    "in_aanmerking": "Komt in aanmerking",
}
ELIGIBLE_STATUSES = ("voldoet", "mee_bezig")
# The register proper is its active clubs; `aangemeld` shows the clubs registered in the werkgebied that wait
# for this loket's decision (an operational loket decides them; otherwise the coördinatiepunt does).
STATUS_FILTERS = {"actief": "In het register", "aangemeld": "Aangemeld, wacht op jullie besluit"}
LOKET_NOT_FOUND = "Dit loket bestaat niet of je werkt er niet."
BOND_NOT_FOUND = "Deze bond bestaat niet of je werkt er niet."
NO_LOKET = "Je werkt niet bij een loket; het clubregister hoort bij het loket waar je werkt."
NO_BOND = "Je werkt niet bij een bond."
OUTSIDE_WERKGEBIED = "Deze gemeente hoort niet bij het werkgebied van {loket}. Kies een gemeente uit de lijst."
SAME_KVK_MESSAGE = "Er staat al een club met dit KvK-nummer in Loket: {name} ({gemeente})."
SAME_KVK_ELSEWHERE = "Er staat al een club met dit KvK-nummer in Loket, buiten jullie werkgebied."
SAME_NAME_MESSAGE = "Er staat al een club met deze naam in {gemeente}: {name}."


# ---------------------------------------------------------------- whose register

def chosen_loket(user: User, slug: str | None = None) -> Loket:
    """The loket whose register `user` looks at: the one named by `slug`, else their first. NotFound for a loket
    they do not work at (no hint whether it exists); Forbidden for someone who works at none."""
    loketten = loketten_of(user)
    if not loketten:
        raise Forbidden(NO_LOKET)
    if not slug:
        return loketten[0]
    for loket in loketten:
        if loket.slug == slug:
            return loket
    raise NotFound(LOKET_NOT_FOUND)


def bonds_of(user: User) -> list[Bond]:
    """The bonds the user works at as bondsspecialist, in the order of their memberships."""
    return [m.bond for m in user.memberships if m.role == "bondsspecialist"]


def chosen_bond(user: User, key: str | None = None) -> Bond:
    """The bond whose clubs `user` looks at (as chosen_loket, for bondsspecialisten)."""
    bonds = bonds_of(user)
    if not bonds:
        raise Forbidden(NO_BOND)
    if not key:
        return bonds[0]
    for bond in bonds:
        if bond.key == key:
            return bond
    raise NotFound(BOND_NOT_FOUND)


# ---------------------------------------------------------------- the register

@dataclass(frozen=True)
class RegisterFilter:
    """What the register is narrowed to. Values come as typed; `checked` drops what cannot match (an unknown
    kind, a gemeente outside the werkgebied, …) so a hand-edited address shows the whole register, never a 500."""

    gemeente: str | None = None  # CBS code
    kind: str | None = None
    sport_id: int | None = None
    basiseisen: str | None = None  # a key of BASISEISEN_FILTERS
    status: str = "actief"  # a key of STATUS_FILTERS
    search: str = ""

    def checked(self, loket: Loket) -> "RegisterFilter":
        code = (self.gemeente or "").strip().upper()
        codes = {g.code for g in loket.gemeenten} if code else set()
        sport = as_id(self.sport_id) if isinstance(self.sport_id, int) else None
        search = " ".join((self.search or "").split())[:SEARCH_MAX]
        if has_control_characters(search):
            search = ""
        return RegisterFilter(gemeente=code if code in codes else None,
                              kind=self.kind if self.kind in CLUB_KINDS else None, sport_id=sport,
                              basiseisen=self.basiseisen if self.basiseisen in BASISEISEN_FILTERS else None,
                              status=self.status if self.status in STATUS_FILTERS else "actief", search=search)

    @property
    def is_empty(self) -> bool:
        return not (self.gemeente or self.kind or self.sport_id or self.basiseisen or self.search
                    or self.status != "actief")


@dataclass(frozen=True)
class RegisterRow:
    club: Club
    last_contact: datetime | None
    requests_last_year: int

    @property
    def basiseisen_known(self) -> bool:
        return all(self.club.basiseis_status(key) != "onbekend" for key, _ in BASISEISEN)

    @property
    def eligible(self) -> bool:
        return self.club.is_eligible


def _known():
    return and_(*(getattr(Club, f"basiseis_{key}_status") != "onbekend" for key, _ in BASISEISEN))


def _eligible():
    return and_(*(getattr(Club, f"basiseis_{key}_status").in_(ELIGIBLE_STATUSES) for key, _ in BASISEISEN))


def _search(query, search: str, *also):
    """Clubs whose name (or one of the `also` columns) holds `search`, case ignored, or — 8 digits — whose KvK
    number it is."""
    if not search:
        return query
    matches = [contains(search, Club.name, *also)]
    number = search.replace(" ", "")
    if number.isascii() and number.isdigit() and len(number) == 8:
        matches.append(Club.kvk_number == number)
    return query.where(or_(*matches))


def register(loket: Loket, filters: RegisterFilter | None = None, *, page: int = 1, per_page: int = PAGE_SIZE,
             now: datetime | None = None) -> RowPage:
    """One page of the loket's register, by name. Four queries whatever the page holds (see the module)."""
    filters = (filters or RegisterFilter()).checked(loket)
    now = now or utcnow()
    query = (select(Club).join(Gemeente, Gemeente.id == Club.gemeente_id)
             .where(Gemeente.loket_id == loket.id, Club.status == filters.status))
    if filters.status == "aangemeld":
        waiting = exists().where(ClubRegistration.club_id == Club.id, ClubRegistration.kind == "new_club",
                                 ClubRegistration.state == "pending")
        query = query.where(waiting if loket.is_operational else false())
    if filters.gemeente:
        query = query.where(Gemeente.code == filters.gemeente)
    if filters.kind:
        query = query.where(Club.kind == filters.kind)
    if filters.sport_id:
        query = query.where(exists().where(club_sports.c.club_id == Club.id,
                                           club_sports.c.sport_id == filters.sport_id))
    if filters.basiseisen == "onbekend":
        query = query.where(not_(_known()))
    elif filters.basiseisen == "bekend":
        query = query.where(_known())
    elif filters.basiseisen == "in_aanmerking":
        query = query.where(_eligible())
    query = _search(query, filters.search)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    found = list(db.session.scalars(
        query.options(contains_eager(Club.gemeente), selectinload(Club.sports))
        .order_by(Club.name, Club.id).limit(per_page).offset((page - 1) * per_page)).unique())
    activity = _activity([c.id for c in found], now)
    return RowPage(items=[RegisterRow(c, *activity.get(c.id, (None, 0))) for c in found], page=page,
                        per_page=per_page, total=total)


def _activity(club_ids: list[int], now: datetime) -> dict[int, tuple[datetime | None, int]]:
    """club id → (last contact, requests filed in the last 12 months). One grouped query."""
    if not club_ids:
        return {}
    since = now - REQUEST_WINDOW
    rows = db.session.execute(
        select(SupportRequest.club_id,
               func.max(Event.created_at),
               func.count(func.distinct(case((SupportRequest.created_at >= since, SupportRequest.id)))))
        .outerjoin(Event, and_(Event.request_id == SupportRequest.id, Event.kind.in_(CONTACT_EVENT_KINDS)))
        .where(SupportRequest.club_id.in_(club_ids)).group_by(SupportRequest.club_id))
    return {club_id: (last, count) for club_id, last, count in rows}


def register_choices(loket: Loket) -> dict:
    """What the register's filters offer: the werkgebied's gemeenten and every sport (two queries)."""
    return {"gemeenten": [(g.code, g.name) for g in loket.gemeenten],
            "sports": clubs.sports_in_reading_order()}


# ---------------------------------------------------------------- adding a club

def add_club(loket: Loket, *, actor: User, name: str | None, kind: str | None, gemeente_code: str | None,
             sports, kvk_number: str | None, contact: dict | None = None) -> Club:
    """Add a club to the loket's register: active at once (the loket vouches for it), optionally with a contact
    person (keys name, email, phone; errors under contact_<key>). Refused when the club is already in Loket
    (same KvK number anywhere, or the same name in the gemeente). Side effects: commits."""
    _require_member(actor, loket)
    errors: dict[str, str] = {}
    name = clubs.club_name(errors, name)
    if kind not in CLUB_KINDS:
        errors["kind"] = clubs.KIND_MESSAGE
    gemeente = werkgebied_gemeente(errors, loket, gemeente_code)
    chosen_sports = clubs.sports_by_name_or_id(errors, sports if isinstance(sports, (list, tuple)) else [])
    kvk_number = clubs.kvk(errors, kvk_number, field="kvk_number")
    contact_values = None
    if contact and any((value or "").strip() for value in contact.values()):
        try:
            contact_values = clubs.contact_values(name=contact.get("name"), email=contact.get("email"),
                                                  phone=contact.get("phone"), function=None)
        except InvalidInput as error:
            errors.update({f"contact_{field}": message for field, message in error.errors.items()})
    if not errors:
        errors.update(_already_there(loket, name, gemeente, kvk_number))
    if errors:
        raise InvalidInput(errors)
    club = Club(name=name, kind=kind, gemeente=gemeente, sports=chosen_sports, kvk_number=kvk_number,
                status="actief", created_at=utcnow())
    db.session.add(club)
    if contact_values:
        db.session.add(ClubContact(club=club, **contact_values))
    commit()
    return club


def werkgebied_gemeente(errors: dict, loket: Loket, code: str | None, *, field: str = "gemeente") -> Gemeente | None:
    """The gemeente with this CBS code if the loket serves it; a message under `field` otherwise."""
    gemeente = clubs.gemeente_by_code(errors, code, field=field)
    if gemeente is not None and gemeente.loket_id != loket.id:
        errors[field] = OUTSIDE_WERKGEBIED.format(loket=loket.name)
        return None
    return gemeente


def _already_there(loket: Loket, name: str, gemeente: Gemeente, kvk_number: str | None) -> dict[str, str]:
    """A message per field when a club with this KvK number, or this name in this gemeente, exists (not counting
    rejected registrations). Two queries."""
    if kvk_number:
        same = db.session.scalar(select(Club).where(Club.kvk_number == kvk_number, Club.status != "afgewezen")
                                 .order_by(Club.id).limit(1))
        if same is not None:
            if same.gemeente.loket_id == loket.id:
                return {"kvk_number": SAME_KVK_MESSAGE.format(name=same.name, gemeente=same.gemeente.name)}
            return {"kvk_number": SAME_KVK_ELSEWHERE}
    own = normalised_name(name)
    for other in db.session.scalars(select(Club).where(Club.gemeente_id == gemeente.id, Club.status != "afgewezen")):
        if normalised_name(other.name) == own:
            return {"name": SAME_NAME_MESSAGE.format(gemeente=gemeente.name, name=other.name)}
    return {}


# ---------------------------------------------------------------- basiseisen

def club_for_register(user: User, club_id) -> Club:
    """A club of the register `user` may edit: active, in a gemeente served by a loket they work at (the
    supporter's half of `clubs.can_edit_club`). NotFound otherwise, with no hint whether it exists."""
    return clubs.club_in_werkgebied(user, club_id)


def update_basiseisen(club: Club, *, actor: User, basiseisen: dict, today: date | None = None) -> Club:
    """Store the four basiseisen (key → (status, date)); nothing changes when one is invalid. Side effects:
    commits."""
    if not clubs.can_edit_club(actor, club) or club.gemeente.loket_id not in actor.loket_ids:
        raise Forbidden(clubs.FORBIDDEN_MESSAGE)
    errors: dict[str, str] = {}
    values = clubs.basiseisen_values(errors, {key: basiseisen.get(key, (None, None)) for key, _ in BASISEISEN},
                                     today or today_in_amsterdam())
    if errors:
        raise InvalidInput(errors)
    for attribute, value in values.items():
        setattr(club, attribute, value)
    commit()
    return club


def _require_member(actor: User, loket: Loket) -> None:
    if loket.id not in actor.loket_ids:
        raise Forbidden("Je kunt alleen clubs toevoegen aan het register van een loket waar je werkt.")


# ---------------------------------------------------------------- the bond's view

@dataclass(frozen=True)
class BondFilter:
    search: str = ""  # part of the club's name or of its gemeente's name
    sport_id: int | None = None

    def checked(self, bond: Bond) -> "BondFilter":
        search = " ".join((self.search or "").split())[:SEARCH_MAX]
        sport_ids = {s.id for s in bond.sports}
        return BondFilter(search="" if has_control_characters(search) else search,
                          sport_id=self.sport_id if self.sport_id in sport_ids else None)


def bond_clubs(bond: Bond, filters: BondFilter | None = None, *, page: int = 1, per_page: int = PAGE_SIZE):
    """The active clubs offering one of the bond's sports, by name, each with its gemeente and the loket serving
    it (None: nog geen loket). Four queries (count, page with gemeente and loket joined, sports)."""
    filters = (filters or BondFilter()).checked(bond)
    sport_of_bond = (select(club_sports.c.club_id)
                     .join(bond_sports, bond_sports.c.sport_id == club_sports.c.sport_id)
                     .where(bond_sports.c.bond_id == bond.id))
    if filters.sport_id:
        sport_of_bond = sport_of_bond.where(club_sports.c.sport_id == filters.sport_id)
    query = (select(Club).join(Gemeente, Gemeente.id == Club.gemeente_id)
             .outerjoin(Loket, Loket.id == Gemeente.loket_id)
             .where(Club.status == "actief", Club.id.in_(sport_of_bond)))
    query = _search(query, filters.search, Gemeente.name)
    query = query.options(contains_eager(Club.gemeente).contains_eager(Gemeente.loket), selectinload(Club.sports))
    return db.paginate(query.order_by(Club.name, Club.id), page=page, per_page=per_page, error_out=False)


def bond_sport_ids(bond: Bond) -> set[int]:
    return {s.id for s in bond.sports}


def sports_of(club: Club, bond: Bond) -> list[Sport]:
    """The club's sports that the bond covers (for the bond's list)."""
    ids = bond_sport_ids(bond)
    return [s for s in club.sports if s.id in ids]
