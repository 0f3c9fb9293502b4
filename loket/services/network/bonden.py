"""Bonden (and brancheorganisaties) in the network: adding and editing them, connecting them (aangesloten, from a
date), their sports, and the lists beheer sees. Every change is kept in the network history."""
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import BOND_KIND_LABELS, BOND_KINDS, Bond, Sport, User, bond_sports
from loket.models.base import today_in_amsterdam
from loket.services import search
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import history
from loket.services.network.teams import ensure_team
from loket.services.text import CONTROL_MESSAGE, clean_name, has_control_characters, typed_day, url_key_problem
from loket.services.transaction import commit
from loket.services.ids import as_id, as_key

BOND_NOT_FOUND_MESSAGE = "Deze bond bestaat niet."
SPORT_NOT_FOUND_MESSAGE = "Kies een sport uit de lijst."
KEY_MAX = 40
ABBREVIATION_MAX = 40
NAME_MAX = 200
SPORT_MAX = 80
KEY_MESSAGE = (f"Een sleutel bestaat uit kleine letters, cijfers en streepjes (hooguit {KEY_MAX} tekens), "
               "bijvoorbeeld ‘knvb’ of ‘badminton-nederland’.")
KEY_TAKEN_MESSAGE = "Er bestaat al een bond met de sleutel ‘{}’."
# Paths beside a bond's key that are pages, not a bond: /beheer/bonden/nieuw, /afspraken/mijn-bond.
RESERVED_KEYS = frozenset({"nieuw", "mijn-bond"})
DATE_MESSAGE = "Vul een datum in als dd-mm-jjjj (of jjjj-mm-dd)."
FUTURE_DATE_MESSAGE = "De datum van aansluiten kan niet in de toekomst liggen."


# ---------------------------------------------------------------- reading

def list_bonden(*, page: int = 1, per_page: int = 50, text: str | None = None, aangesloten: bool | None = None,
                kind: str | None = None):
    """Bonden by name, with their sports and team (four queries per page), optionally only those whose name,
    abbreviation, key or one of whose sports contains `text`, or only the (not) aangesloten ones.

    :raises InvalidInput: {"q": …} for search text with a control character or too long.
    """
    text = search.search_text(text)
    query = (select(Bond).options(selectinload(Bond.sports), selectinload(Bond.team))
             .order_by(Bond.name, Bond.id))
    if text:
        query = query.where(matching(text))
    if aangesloten is not None:
        query = query.where(Bond.aangesloten.is_(aangesloten))
    if kind in BOND_KINDS:
        query = query.where(Bond.kind == kind)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def matching(text: str):
    """The condition of a bond search box (text already through search.search_text): the bond's name,
    abbreviation or key, or the name of one of its sports, contains `text`."""
    by_sport = exists().where(bond_sports.c.bond_id == Bond.id, bond_sports.c.sport_id == Sport.id,
                              search.contains(text, Sport.name))
    return search.contains(text, Bond.name, Bond.abbreviation, Bond.key) | by_sport


def get_bond(key) -> Bond:
    """The bond with this key, its sports and team loaded; NotFound for anything else (also text no key is)."""
    if as_key(key, KEY_MAX) is None:
        raise NotFound(BOND_NOT_FOUND_MESSAGE)
    bond = db.session.scalar(select(Bond).where(Bond.key == key)
                             .options(selectinload(Bond.sports), selectinload(Bond.team)))
    if bond is None:
        raise NotFound(BOND_NOT_FOUND_MESSAGE)
    return bond


def all_sports() -> list[Sport]:
    """Every sport by name (to choose a bond's sports from)."""
    return list(db.session.scalars(select(Sport).order_by(Sport.name)))


# ---------------------------------------------------------------- changing

def create_bond(*, key: str | None, abbreviation: str | None, name: str | None, sport_ids=(),
                new_sports: str | None = None, kind: str = "bond", actor: User | None) -> Bond:
    """Add a bond or brancheorganisatie (not yet aangesloten) with its team and sports: existing ones by id,
    new ones by name (`new_sports`, separated by commas or semicolons). Side effects: commits.

    :raises InvalidInput: key (format, taken), abbreviation, name, sports — nothing is stored.
    """
    errors: dict[str, str] = {}
    key = (key or "").strip().lower()
    if problem := url_key_problem(key, format_message=KEY_MESSAGE, limit=KEY_MAX, reserved=RESERVED_KEYS):
        errors["key"] = problem
    elif db.session.scalar(select(Bond.id).where(Bond.key == key)):
        errors["key"] = KEY_TAKEN_MESSAGE.format(key)
    abbreviation, name = _names(errors, abbreviation, name)
    sports = _chosen_sports(errors, sport_ids, new_sports)
    _kind(errors, kind)
    if errors:
        raise InvalidInput(errors)
    bond = Bond(key=key, abbreviation=abbreviation, name=name, kind=kind, aangesloten=False, sports=sports)
    db.session.add(bond)
    db.session.flush()
    ensure_team("bond", bond)
    history.record("bond", "name", None, name, actor=actor, bond_id=bond.id, reason=f"{BOND_KIND_LABELS[kind]} toegevoegd")
    history.record("bond", "sports", None, _sport_names(sports) or None, actor=actor, bond_id=bond.id)
    _commit_unique(key)
    return bond


def update_bond(key: str, *, name: str | None, abbreviation: str | None, aangesloten: bool,
                aangesloten_at: str | date | None = None, kind: str | None = None, actor: User | None,
                today: date | None = None) -> Bond:
    """Change a bond's name, abbreviation and whether it is aangesloten, from which date: a date given (not in
    the future) is kept; switching on without one takes today (Amsterdam). Side effects: commits.

    :raises NotFound: unknown key. :raises InvalidInput: name, abbreviation, aangesloten_at.
    """
    bond = get_bond(key)
    today = today or today_in_amsterdam()
    errors: dict[str, str] = {}
    abbreviation, name = _names(errors, abbreviation, name)
    since = _since(errors, aangesloten_at, today) if aangesloten else None
    kind = bond.kind if kind is None else kind
    _kind(errors, kind)
    if errors:
        raise InvalidInput(errors)
    if kind != bond.kind:
        history.record("bond", "kind", BOND_KIND_LABELS[bond.kind], BOND_KIND_LABELS[kind], actor=actor,
                       bond_id=bond.id)
        bond.kind = kind
    _set(bond, "name", name, actor)
    _set(bond, "abbreviation", abbreviation, actor)
    _connect(bond, aangesloten, since or bond.aangesloten_at or today, actor)
    commit()
    return bond


def set_bond_aangesloten(key: str, aangesloten: bool, *, today: date | None = None,
                         actor: User | None = None) -> Bond:
    """Connect a bond to the network (sport-specific requests route to it from now on) or disconnect it.

    Connecting sets aangesloten_at to today (unless already connected) and makes sure the bond has a team;
    disconnecting clears the date. Recorded in the network history (actor None: the system). Commits.
    """
    bond = get_bond(key)
    _connect(bond, aangesloten, bond.aangesloten_at if bond.aangesloten else today or today_in_amsterdam(), actor)
    commit()
    return bond


def add_sport(key: str, *, sport_id=None, new_sport: str | None = None, actor: User | None) -> Sport:
    """Give a bond one more sport: an existing one (by id) or a new one (by name; an existing name is reused).
    Side effects: commits. :raises InvalidInput: {"sport": …}."""
    bond = get_bond(key)
    errors: dict[str, str] = {}
    sports = _chosen_sports(errors, [sport_id] if sport_id not in (None, "") else [], new_sport, field="sport")
    if not errors and len(sports) != 1:
        errors["sport"] = "Kies één sport uit de lijst, of typ de naam van één nieuwe sport."
    if errors:
        raise InvalidInput(errors)
    sport = sports[0]
    if sport in bond.sports:
        raise InvalidInput({"sport": f"{bond.name} heeft de sport ‘{sport.name}’ al."})
    before = _sport_names(bond.sports)
    bond.sports.append(sport)
    history.record("bond", "sports", before, _sport_names(bond.sports), actor=actor, bond_id=bond.id)
    commit()
    return sport


def remove_sport(key: str, sport_id: int, *, actor: User | None) -> Sport:
    """Take a sport off a bond (the sport itself stays, with its clubs). Side effects: commits."""
    bond = get_bond(key)
    sport = next((s for s in bond.sports if s.id == sport_id), None)
    if sport is None:
        raise NotFound("Deze sport hoort niet bij deze bond.")
    before = _sport_names(bond.sports)
    bond.sports.remove(sport)
    history.record("bond", "sports", before, _sport_names(bond.sports) or None, actor=actor, bond_id=bond.id)
    commit()
    return sport


# ---------------------------------------------------------------- rules

def _connect(bond: Bond, aangesloten: bool, since: date, actor: User | None) -> None:
    """Set aangesloten (and its date) in the session, with history; a connected bond always has a team."""
    if aangesloten:
        _set(bond, "aangesloten", True, actor)
        _set(bond, "aangesloten_at", since, actor)
        ensure_team("bond", bond)
    else:
        _set(bond, "aangesloten", False, actor)
        _set(bond, "aangesloten_at", None, actor)


def _kind(errors: dict, kind) -> None:
    if kind not in BOND_KINDS:
        errors["kind"] = "Kies of dit een sportbond of een brancheorganisatie (voor ondernemingen) is."


def _set(bond: Bond, field: str, value, actor: User | None) -> None:
    history.record("bond", field, getattr(bond, field), value, actor=actor, bond_id=bond.id)
    setattr(bond, field, value)


def _names(errors: dict, abbreviation: str | None, name: str | None) -> tuple[str, str]:
    if has_control_characters(name or ""):
        errors["name"] = CONTROL_MESSAGE
    else:
        name = clean_name(errors, name, NAME_MAX, missing="Vul de naam van de bond in.")
    abbreviation = " ".join((abbreviation or "").split())
    if has_control_characters(abbreviation):
        errors["abbreviation"] = CONTROL_MESSAGE
    elif not abbreviation:
        errors["abbreviation"] = "Vul de afkorting in, bijvoorbeeld KNVB."
    elif len(abbreviation) > ABBREVIATION_MAX:
        errors["abbreviation"] = f"De afkorting mag maximaal {ABBREVIATION_MAX} tekens lang zijn."
    return abbreviation, name


def _since(errors: dict, value: str | date | None, today: date) -> date | None:
    """The typed date of aansluiten (None when left empty); not in the future."""
    if isinstance(value, date):
        since = value
    else:
        text = (value or "").strip()
        if not text:
            return None
        try:
            since = typed_day(text)
        except ValueError:
            errors["aangesloten_at"] = DATE_MESSAGE
            return None
    if since > today:
        errors["aangesloten_at"] = FUTURE_DATE_MESSAGE
        return None
    return since


def _chosen_sports(errors: dict, sport_ids, new_names: str | None, *, field: str = "sports") -> list[Sport]:
    """Existing sports by id plus new ones by name (created in the session; a known name is reused)."""
    ids = []
    for raw in sport_ids or ():
        number = as_id(raw)
        if number is None:
            errors[field] = SPORT_NOT_FOUND_MESSAGE
            return []
        ids.append(number)
    sports = list(db.session.scalars(select(Sport).where(Sport.id.in_(ids)))) if ids else []
    if len(sports) != len(set(ids)):
        errors[field] = SPORT_NOT_FOUND_MESSAGE
        return []
    raw_names = new_names or ""
    if has_control_characters(raw_names):
        errors[field] = CONTROL_MESSAGE
        return []
    names = [" ".join(part.split()) for part in raw_names.replace(";", ",").split(",")]
    names = list(dict.fromkeys(name for name in names if name))
    if any(len(name) > SPORT_MAX for name in names):
        errors[field] = f"De naam van een sport mag maximaal {SPORT_MAX} tekens lang zijn."
        return []
    known = {s.name.casefold(): s for s in db.session.scalars(
        select(Sport).where(func.lower(Sport.name).in_([n.lower() for n in names])))} if names else {}
    for name in names:
        sport = known.get(name.casefold())
        if sport is None:
            sport = known[name.casefold()] = Sport(name=name)
            db.session.add(sport)
        if sport not in sports:
            sports.append(sport)
    return sports


def _sport_names(sports) -> str:
    return ", ".join(sorted(s.name for s in sports))


def _commit_unique(key: str) -> None:
    try:
        commit()
    except IntegrityError:
        # Someone added the same key (or sport name) between our check and the commit.
        db.session.rollback()
        raise InvalidInput({"key": KEY_TAKEN_MESSAGE.format(key)}) from None
