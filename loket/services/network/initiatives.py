"""Landelijke initiatieven (SPN procesbegeleiders, Clubkadercoaches, national programmes) in the network: beheer lists,
adds and edits them; each has a team (kind `initiatief`) that receives referrals and invitations from loketten and
bonden like any team, but clubs never file to it directly (routing does not know it).

Every change is a history row (subject `initiative`) in the same transaction as the change.
"""
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import Initiative, Membership, User
from loket.services import search
from loket.services.errors import InvalidInput, NotFound
from loket.services.ids import as_key
from loket.services.network import history
from loket.services.network.teams import ensure_team
from loket.services.text import (
    CONTROL_MESSAGE,
    EMAIL_MAX,
    clean_name,
    has_control_characters,
    is_web_address,
    url_key_problem,
)
from loket.services.transaction import commit

NOT_FOUND_MESSAGE = "Dit landelijk initiatief bestaat niet."
KEY_MAX = 40
NAME_MAX = 200
DESCRIPTION_MAX = 2000
URL_MAX = 300
KEY_MESSAGE = (f"Een sleutel bestaat uit kleine letters, cijfers en streepjes (hooguit {KEY_MAX} tekens), "
               "bijvoorbeeld ‘spn-procesbegeleiders’.")
KEY_TAKEN_MESSAGE = "Er bestaat al een landelijk initiatief met de sleutel ‘{}’."
# Paths under /beheer/initiatieven/ that are pages, not an initiative.
RESERVED_KEYS = frozenset({"nieuw"})
EMAIL_MESSAGE = "Vul een geldig e-mailadres in, zoals info@initiatief.nl, of laat het leeg."
URL_MESSAGE = "Vul het volledige webadres in, beginnend met https://, of laat het leeg."
# The fields beheer edits, in the order the history shows them.
FIELDS = ("name", "description", "email", "url")


# ---------------------------------------------------------------- reading

def list_initiatives(*, page: int = 1, per_page: int = 50, text: str | None = None):
    """Initiatives by name with their team (two queries per page), optionally those whose name, key or
    description contains `text`.

    :raises InvalidInput: {"q": …} for search text with a control character or too long.
    """
    text = search.search_text(text)
    query = select(Initiative).options(selectinload(Initiative.team)).order_by(Initiative.name, Initiative.id)
    if text:
        query = query.where(search.contains(text, Initiative.name, Initiative.key, Initiative.description))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_initiative(key) -> Initiative:
    """The initiative with this key, its team loaded; NotFound for anything else (also text no key is)."""
    if as_key(key, KEY_MAX) is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    initiative = db.session.scalar(select(Initiative).where(Initiative.key == key)
                                   .options(selectinload(Initiative.team)))
    if initiative is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return initiative


def team_sizes(initiative_ids) -> dict[int, tuple[int, int]]:
    """initiative id → (active members, of whom coördinatoren) of its team; one query for all of them. An initiative
    without members is missing from the answer: referrals to it reach nobody until beheer invites its coördinator."""
    ids = list(initiative_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Membership.initiative_id, func.count(Membership.id),
               func.count(Membership.id).filter(Membership.is_team_lead.is_(True)))
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == "initiatiefmedewerker", Membership.initiative_id.in_(ids), User.active)
        .group_by(Membership.initiative_id))
    return {initiative_id: (members, leads) for initiative_id, members, leads in rows}


# ---------------------------------------------------------------- changing

def create_initiative(*, key, name, description=None, email=None, url=None, actor: User | None) -> Initiative:
    """Add a landelijk initiatief with its team (no members yet: beheer invites its coördinator on the team page).
    Side effects: history rows; commits.

    :raises InvalidInput: key (format, taken), name, description, email, url — nothing is stored.
    """
    errors: dict[str, str] = {}
    key = key.strip().lower() if isinstance(key, str) else ""
    if problem := url_key_problem(key, format_message=KEY_MESSAGE, limit=KEY_MAX, reserved=RESERVED_KEYS):
        errors["key"] = problem
    elif db.session.scalar(select(Initiative.id).where(Initiative.key == key)):
        errors["key"] = KEY_TAKEN_MESSAGE.format(key)
    values = _values(errors, name=name, description=description, email=email, url=url)
    if errors:
        raise InvalidInput(errors)
    initiative = Initiative(key=key, **values)
    db.session.add(initiative)
    db.session.flush()
    ensure_team("initiatief", initiative)
    for field in FIELDS:
        history.record("initiative", field, None, values[field], actor=actor, initiative_id=initiative.id,
                       reason="landelijk initiatief toegevoegd" if field == "name" else None)
    try:
        commit()
    except IntegrityError:  # the same key, added a moment earlier
        db.session.rollback()
        raise InvalidInput({"key": KEY_TAKEN_MESSAGE.format(key)}) from None
    return initiative


def update_initiative(key, *, name, description=None, email=None, url=None, actor: User | None) -> Initiative:
    """Change an initiative's name, description, email address and website (the key stays: it is in URLs).
    Side effects: a history row per changed field; commits (nothing changes when nothing differs).

    :raises NotFound: unknown key. :raises InvalidInput: name, description, email, url — nothing is stored.
    """
    initiative = get_initiative(key)
    errors: dict[str, str] = {}
    values = _values(errors, name=name, description=description, email=email, url=url)
    if errors:
        raise InvalidInput(errors)
    for field in FIELDS:
        history.record("initiative", field, getattr(initiative, field), values[field], actor=actor,
                       initiative_id=initiative.id)
        setattr(initiative, field, values[field])
    commit()
    return initiative


# ---------------------------------------------------------------- rules

def _values(errors: dict, *, name, description, email, url) -> dict:
    """The checked, trimmed values (None for an empty optional one); messages go into `errors`."""
    name = name if isinstance(name, str) else ""
    if has_control_characters(name):
        errors["name"] = CONTROL_MESSAGE
    else:
        name = clean_name(errors, name, NAME_MAX, missing="Vul de naam van het landelijk initiatief in.")
    description = (description if isinstance(description, str) else "").strip()
    if has_control_characters(description, allowed="\n\r\t"):
        errors["description"] = CONTROL_MESSAGE
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = (f"De beschrijving mag maximaal {DESCRIPTION_MAX} tekens lang zijn "
                                 f"(nu {len(description)}).")
    email = (email if isinstance(email, str) else "").strip()
    if email:
        if len(email) > EMAIL_MAX or has_control_characters(email):
            errors["email"] = EMAIL_MESSAGE
        else:
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                errors["email"] = EMAIL_MESSAGE
    url = (url if isinstance(url, str) else "").strip()
    if url:
        if len(url) > URL_MAX:
            errors["url"] = f"Het webadres mag maximaal {URL_MAX} tekens lang zijn (nu {len(url)})."
        elif not is_web_address(url):
            errors["url"] = URL_MESSAGE
    return {"name": name, "description": description or None, "email": email or None, "url": url or None}
