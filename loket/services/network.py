"""The network as beheer manages it: loketten with their gemeenten, clubs, bonds' connection, and lists.

Every function that writes validates everything first and commits once, so nothing is half-stored.
List functions return one page with a constant number of queries, whatever the page size.
"""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import CLUB_KINDS, LOKET_STATUSES, Bond, Club, Gemeente, Loket, Sport, Team, User
from loket.services.errors import InvalidInput, NotFound
from loket.services.routing import ensure_team

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOKET_NAME_MAX = 160
CLUB_NAME_MAX = 200
SLUG_MAX = 80
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BOND_NOT_FOUND_MESSAGE = "Deze bond bestaat niet."
TEAM_KINDS_BY_TYPE = ("loket", "bond")


# ---------------------------------------------------------------- loketten

def create_loket(name: str, slug: str, gemeente_codes: list[str], status: str = "in_oprichting") -> Loket:
    """Create a loket with its team and the gemeenten it serves.

    A gemeente already served by another loket is refused: each gemeente has at most one loket.
    Side effects: commits the loket, its team and the gemeenten's new loket in one transaction.
    """
    errors: dict[str, str] = {}
    name = _clean_name(errors, name, LOKET_NAME_MAX, missing="Geef het loket een naam.")
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        errors["slug"] = (f"Een slug bestaat uit kleine letters, cijfers en streepjes (hooguit {SLUG_MAX} tekens), "
                          "bijvoorbeeld ‘utrecht’.")
    elif db.session.scalar(select(Loket.id).where(Loket.slug == slug)):
        errors["slug"] = f"De slug ‘{slug}’ is al in gebruik door een ander loket."
    if status not in LOKET_STATUSES:
        errors["status"] = f"Kies de status {' of '.join(LOKET_STATUSES)}."
    gemeenten = _gemeenten_to_serve(errors, gemeente_codes)
    if errors:
        raise InvalidInput(errors)

    loket = Loket(name=name, slug=slug, status=status)
    db.session.add(loket)
    try:
        db.session.flush()
        ensure_team("loket", loket)
        # Claim the gemeenten only where still unserved: a loket created at the same moment cannot
        # take the same gemeente between our check above and this update.
        claimed = db.session.execute(
            update(Gemeente).where(Gemeente.id.in_([g.id for g in gemeenten]), Gemeente.loket_id.is_(None))
            .values(loket_id=loket.id).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != len(gemeenten):
            db.session.rollback()
            raise InvalidInput({"gemeenten": "Een van deze gemeenten is net aan een ander loket gekoppeld; "
                                              "bekijk de lijst en probeer het opnieuw."})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidInput({"slug": f"De slug ‘{slug}’ is net door een ander loket in gebruik genomen."}) from None
    return loket


def _gemeenten_to_serve(errors: dict, codes: list[str]) -> list[Gemeente]:
    codes = list(dict.fromkeys((code or "").strip().upper() for code in codes or []))
    if not codes or "" in codes:
        errors["gemeenten"] = "Kies minstens één gemeente (CBS-code, bijvoorbeeld GM0344) die het loket bedient."
        return []
    found = list(db.session.scalars(
        select(Gemeente).where(Gemeente.code.in_(codes)).options(selectinload(Gemeente.loket))))
    unknown = sorted(set(codes) - {g.code for g in found})
    served = sorted((g for g in found if g.loket_id is not None), key=lambda g: g.code)
    if unknown:
        errors["gemeenten"] = f"Onbekende gemeentecode(s): {', '.join(unknown)}."
    elif served:
        errors["gemeenten"] = "; ".join(
            f"Gemeente {g.name} ({g.code}) wordt al bediend door {g.loket.name}" for g in served
        ) + ". Een gemeente hoort bij hooguit één loket."
    return found


# ---------------------------------------------------------------- clubs

def create_club(name: str, kind: str, gemeente_code: str, sport_names: list[str]) -> Club:
    """Register a club (sportaanbieder) in a gemeente with the sports it offers. Side effects: commits."""
    errors: dict[str, str] = {}
    name = _clean_name(errors, name, CLUB_NAME_MAX, missing="Vul de naam van de club in.")
    if kind not in CLUB_KINDS:
        errors["kind"] = f"Kies de soort aanbieder: {', '.join(CLUB_KINDS)}."
    code = (gemeente_code or "").strip().upper()
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code)) if code else None
    if gemeente is None:
        errors["gemeente"] = "Onbekende gemeentecode; gebruik de CBS-code, bijvoorbeeld GM0344."
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
    db.session.commit()
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


# ---------------------------------------------------------------- bonden

def set_bond_aangesloten(key: str, aangesloten: bool, *, today: date | None = None) -> Bond:
    """Connect a bond to the network (sport-specific requests route to it from now on) or disconnect it.

    Connecting sets aangesloten_at to today (unless already connected) and makes sure the bond has a team;
    disconnecting clears the date. Side effects: commits.
    """
    bond = db.session.scalar(select(Bond).where(Bond.key == key))
    if bond is None:
        raise NotFound(BOND_NOT_FOUND_MESSAGE)
    if aangesloten and not bond.aangesloten:
        bond.aangesloten = True
        bond.aangesloten_at = today or datetime.now(AMSTERDAM).date()
        ensure_team("bond", bond)
    elif not aangesloten:
        bond.aangesloten, bond.aangesloten_at = False, None
    db.session.commit()
    return bond


# ---------------------------------------------------------------- teams as referral targets

def team_of(kind: str, identifier: int | str) -> Team | None:
    """The team of a loket or bond, given its numeric id, or a loket's slug / a bond's key."""
    if kind not in TEAM_KINDS_BY_TYPE or isinstance(identifier, bool):
        return None
    query = select(Team).where(Team.kind == kind)
    if kind == "loket":
        query = query.join(Loket, Team.loket_id == Loket.id).where(
            Loket.id == identifier if isinstance(identifier, int) else Loket.slug == identifier)
    else:
        query = query.join(Bond, Team.bond_id == Bond.id).where(
            Bond.id == identifier if isinstance(identifier, int) else Bond.key == identifier)
    return db.session.scalar(query)


# ---------------------------------------------------------------- lists

def list_lokets(*, page: int = 1, per_page: int = 50):
    """Loketten by name, with their gemeenten and team (four queries per page)."""
    query = (select(Loket).options(selectinload(Loket.gemeenten), selectinload(Loket.team))
             .order_by(Loket.name, Loket.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_bonds(*, page: int = 1, per_page: int = 50):
    """Bonden by name, with their sports and team (four queries per page)."""
    query = (select(Bond).options(selectinload(Bond.sports), selectinload(Bond.team))
             .order_by(Bond.name, Bond.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_clubs(*, page: int = 1, per_page: int = 50):
    """Clubs by name, with their gemeente (joined) and sports (three queries per page)."""
    query = select(Club).options(selectinload(Club.sports)).order_by(Club.name, Club.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_users(*, page: int = 1, per_page: int = 50):
    """Users by name, with their memberships and organisations (three queries per page)."""
    query = select(User).order_by(User.name, User.id)  # memberships load by selectin, organisations joined
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _clean_name(errors: dict, name: str | None, limit: int, *, missing: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = missing
    elif len(name) > limit:
        errors["name"] = f"De naam mag maximaal {limit} tekens lang zijn (nu {len(name)})."
    return name
