"""The public directory ("Vind je loket"): every gemeente, its loket, what the loket offers, and which bond
handles which sport. Anyone may read it, without logging in.

Everything leaves this module as a frozen dataclass holding public fields only (names, contact details the
loket publishes, offer titles and descriptions), so a page or API answer built from it cannot show
anything else of a loket (service levels, team, quality) by accident.

Each function sends a constant number of queries, whatever the size of the network.
"""
import re
import unicodedata
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from loket.extensions import db
from loket.models import Bond, Gemeente, Loket, Sport, SupportOffer, Team, bond_sports
from loket.services.errors import InvalidInput, NotFound
from loket.services.text import (
    GEMEENTE_CODE_PATTERN,
    SLUG_MAX,
    SLUG_PATTERN,
    has_control_characters,
    is_web_address,
)

SEARCH_MAX = 100  # far longer than any gemeente name ("Nuenen, Gerwen en Nederwetten": 29)
SEARCH_LIMIT = 20
GEMEENTE_NOT_FOUND = "Deze gemeente kennen we niet. Zoek je gemeente op bij ‘Vind je loket’."
LOKET_NOT_FOUND = "Dit loket kennen we niet. Zoek het loket van je gemeente op bij ‘Vind je loket’."
SEARCH_TOO_LONG = f"Typ hooguit {SEARCH_MAX} tekens: de naam van je gemeente is genoeg."
SEARCH_CONTROL = "Typ alleen letters, cijfers en leestekens."
# Names people use that are not CBS's: the official list has "'s-Gravenhage" and "'s-Hertogenbosch".
ALSO_KNOWN_AS = {"GM0518": ("Den Haag",), "GM0796": ("Den Bosch",)}
# "gemeente Utrecht" is how many people write it; the word itself finds nothing.
LEADING_NOISE = ("gemeente ",)

# Match ranks, best first.
EXACT, NAME_PREFIX, WORD_PREFIX, CONTAINS = range(4)


# ---------------------------------------------------------------- what leaves the module

@dataclass(frozen=True)
class LoketRef:
    slug: str
    name: str


@dataclass(frozen=True)
class GemeenteHit:
    """A gemeente in a search result; `loket` only when that loket is operational."""

    code: str
    name: str
    province: str
    loket: LoketRef | None
    exact: bool = False


@dataclass(frozen=True)
class PublicLoket:
    """The contact details a loket publishes, nothing else."""

    slug: str
    name: str
    email: str | None
    phone: str | None
    address: str | None
    opening_hours: str | None
    url: str | None


@dataclass(frozen=True)
class PublicOffer:
    """An active support offer as the public sees it: its contact line stays with logged-in clubs."""

    title: str
    description: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class SportBond:
    """One sport and a bond that covers it; a bond that is not aangesloten does not take questions yet."""

    sport: str
    bond_key: str
    bond_abbreviation: str
    bond_name: str
    aangesloten: bool


@dataclass(frozen=True)
class GemeenteRef:
    code: str
    name: str
    province: str


@dataclass(frozen=True)
class GemeentePage:
    """A gemeente's public page. `loket` is None unless its loket is operational; `loket_in_oprichting`
    names a loket that serves the gemeente but is not operational yet (requests go to the
    coördinatiepunt meanwhile)."""

    code: str
    name: str
    province: str
    loket: PublicLoket | None
    loket_in_oprichting: LoketRef | None
    offers: list[PublicOffer]
    sports: list[SportBond]


@dataclass(frozen=True)
class LoketPage:
    loket: PublicLoket
    operational: bool
    gemeenten: list[GemeenteRef]
    offers: list[PublicOffer]
    sports: list[SportBond]


# ---------------------------------------------------------------- searching

def fold(text: str) -> str:
    """Text as the search compares it: no case, no accents, punctuation as spaces.

    'Súdwest-Fryslân' → 'sudwest fryslan', "'s-Gravenhage" → 's gravenhage'.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def find_gemeenten(text: str | None) -> list[GemeenteHit]:
    """The gemeenten whose name (or CBS code) matches `text`, best first: exact matches (marked `exact`),
    then names starting with it, then names with a word starting with it, then names containing it;
    alphabetical within each group; at most SEARCH_LIMIT. Case and accents do not count. One query.

    :raises InvalidInput: `q` too long or with control characters.
    """
    wanted = _search_text(text)
    if not wanted:
        return []
    ranked = []
    for hit, names in _all_gemeenten():
        rank = _rank(wanted, hit.code, names)
        if rank is not None:
            ranked.append((rank, fold(hit.name), hit))
    ranked.sort(key=lambda item: item[:2])
    return [replace(hit, exact=rank == EXACT) for rank, _, hit in ranked[:SEARCH_LIMIT]]


def list_gemeenten() -> list[GemeenteHit]:
    """All gemeenten alphabetically (as people read them, accents ignored), with their operational loket.
    One query."""
    return sorted((hit for hit, _ in _all_gemeenten()), key=lambda hit: fold(hit.name))


def gemeente_names() -> list[str]:
    """Every gemeente's name alphabetically: the autocomplete's options. One query."""
    return sorted(db.session.scalars(select(Gemeente.name)), key=fold)


def _search_text(text: str | None) -> str:
    text = text or ""
    if len(text) > SEARCH_MAX:
        raise InvalidInput({"q": SEARCH_TOO_LONG})
    if has_control_characters(text, allowed="\t\n\r"):
        raise InvalidInput({"q": SEARCH_CONTROL})
    wanted = fold(text)
    for noise in LEADING_NOISE:
        if wanted.startswith(noise):
            wanted = wanted.removeprefix(noise)
    return wanted


def _rank(wanted: str, code: str, names: tuple[str, ...]) -> int | None:
    folded_code = code.casefold()
    if wanted == folded_code or wanted in names:
        return EXACT
    if len(wanted) >= 3 and folded_code.startswith(wanted):  # "gm03": a code being typed
        return NAME_PREFIX
    best = None
    for name in names:
        if name.startswith(wanted):
            rank = NAME_PREFIX
        elif f" {wanted}" in f" {name}":
            rank = WORD_PREFIX
        elif wanted in name:
            rank = CONTAINS
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best


def _all_gemeenten() -> list[tuple[GemeenteHit, tuple[str, ...]]]:
    """Every gemeente as a hit, with the folded names it is known by. One query (342 rows)."""
    rows = db.session.execute(
        select(Gemeente.code, Gemeente.name, Gemeente.province, Loket)
        .outerjoin(Loket, Loket.id == Gemeente.loket_id))
    found = []
    for code, name, province, loket in rows:
        ref = LoketRef(loket.slug, loket.name) if loket is not None and loket.is_operational else None
        names = tuple(fold(n) for n in (name, *ALSO_KNOWN_AS.get(code, ())))
        found.append((GemeenteHit(code=code, name=name, province=province, loket=ref), names))
    return found


# ---------------------------------------------------------------- pages

def gemeente_page(code: str | None) -> GemeentePage:
    """A gemeente's public page: its operational loket with its public details and active offers, and
    which bond handles which sport. Four queries (two without an operational loket).

    :raises NotFound: no gemeente has this CBS code (upper or lower case).
    """
    code = (code or "").strip().upper()
    if not GEMEENTE_CODE_PATTERN.fullmatch(code):  # also keeps NUL and over-long text away from the database
        raise NotFound(GEMEENTE_NOT_FOUND)
    gemeente = db.session.scalar(
        select(Gemeente).where(Gemeente.code == code).options(joinedload(Gemeente.loket)))
    if gemeente is None:
        raise NotFound(GEMEENTE_NOT_FOUND)
    loket = gemeente.loket
    operational = loket is not None and loket.is_operational
    return GemeentePage(
        code=gemeente.code, name=gemeente.name, province=gemeente.province,
        loket=_public_loket(loket) if operational else None,
        loket_in_oprichting=LoketRef(loket.slug, loket.name) if loket is not None and not operational else None,
        offers=_active_offers(loket.id) if operational else [],
        sports=sport_bonden(),
    )


def loket_page(slug: str | None) -> LoketPage:
    """A loket's public page, operational or not yet: its public details, the gemeenten it serves, its
    active offers, and which bond handles which sport. Five queries.

    :raises NotFound: no loket has this slug.
    """
    slug = (slug or "").strip().lower()
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise NotFound(LOKET_NOT_FOUND)
    loket = db.session.scalar(
        select(Loket).where(Loket.slug == slug).options(selectinload(Loket.gemeenten)))
    if loket is None:
        raise NotFound(LOKET_NOT_FOUND)
    return LoketPage(
        loket=_public_loket(loket), operational=loket.is_operational,
        gemeenten=sorted((GemeenteRef(g.code, g.name, g.province) for g in loket.gemeenten),
                         key=lambda g: fold(g.name)),
        offers=_active_offers(loket.id),
        sports=sport_bonden(),
    )


def sport_bonden() -> list[SportBond]:
    """Every sport with each bond that covers it, by sport, then bond name. One query."""
    rows = db.session.execute(
        select(Sport.name, Bond.key, Bond.abbreviation, Bond.name, Bond.aangesloten)
        .select_from(bond_sports)
        .join(Sport, Sport.id == bond_sports.c.sport_id)
        .join(Bond, Bond.id == bond_sports.c.bond_id))
    pairs = [SportBond(sport, key, abbreviation, name, aangesloten)
             for sport, key, abbreviation, name, aangesloten in rows]
    return sorted(pairs, key=lambda pair: (fold(pair.sport), fold(pair.bond_name)))


def _public_loket(loket: Loket) -> PublicLoket:
    return PublicLoket(slug=loket.slug, name=loket.name, email=loket.email, phone=loket.phone,
                       address=loket.address, opening_hours=loket.opening_hours, url=_web_address(loket.url))


def _web_address(url: str | None) -> str | None:
    """The loket's website only as an http(s) address: pages link it, and a `javascript:` link would run."""
    url = (url or "").strip()
    return url if is_web_address(url) else None


def _active_offers(loket_id: int) -> list[PublicOffer]:
    """The loket team's active offers by title, with their categories. Two queries."""
    offers = db.session.scalars(
        select(SupportOffer).join(Team, Team.id == SupportOffer.team_id)
        .where(Team.loket_id == loket_id, SupportOffer.active)
        .options(selectinload(SupportOffer.categories))
        .order_by(SupportOffer.title, SupportOffer.id))
    return [PublicOffer(title=offer.title, description=offer.description,
                        categories=tuple(category.name for category in offer.categories if category.active))
            for offer in offers]
