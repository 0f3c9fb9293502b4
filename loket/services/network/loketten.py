"""Loketten and the gemeenten they serve, as beheer manages them; the one home of the rules for a loket's
fields (name, slug, status, gemeenten served, public contact details), which `lifecycle` reuses.

Every function that writes validates everything first and commits once, so nothing is half-stored.
List functions return one page with a constant number of queries, whatever the page size.
"""
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import LOKET_STATUSES, Gemeente, Loket, User
from loket.models.base import day_in_amsterdam, utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network import history, stages
from loket.services.network.teams import ensure_team, is_loket_lead
from loket.services.search import contains, search_text
from loket.services.text import (
    EMAIL_MAX,
    GEMEENTE_CODE_PATTERN,
    SLUG_MAX,
    SLUG_PATTERN,
    clean_name,
    has_control_characters,
    is_web_address,
    url_key_problem,
)
from loket.services.transaction import commit

NAME_MAX = 160
STATUS_LABELS = {"in_oprichting": "in oprichting", "operationeel": "operationeel"}
# Paths under /netwerk/loketten/ that are pages, not a loket.
RESERVED_SLUGS = frozenset({"nieuw"})


# ---------------------------------------------------------------- the rules of a loket's fields

def clean_loket_name(errors: dict, name: str | None) -> str:
    name = clean_name(errors, name, NAME_MAX, missing="Geef het loket een naam.")
    if "name" not in errors and has_control_characters(name):
        errors["name"] = "De naam kan geen stuurtekens bevatten."
    return name


def clean_status(errors: dict, status: str | None) -> str | None:
    if status not in LOKET_STATUSES:
        errors["status"] = f"Kies de status {' of '.join(STATUS_LABELS[s] for s in LOKET_STATUSES)}."
        return None
    return status


def _clean_slug(errors: dict, slug: str | None) -> str:
    slug = (slug or "").strip().lower()
    if problem := url_key_problem(slug, word="slug", limit=SLUG_MAX, reserved=RESERVED_SLUGS, format_message=(
            f"Een slug bestaat uit kleine letters, cijfers en streepjes (hooguit {SLUG_MAX} tekens), "
            "bijvoorbeeld ‘utrecht’.")):
        errors["slug"] = problem
    elif db.session.scalar(select(Loket.id).where(Loket.slug == slug)):
        errors["slug"] = f"De slug ‘{slug}’ is al in gebruik door een ander loket."
    return slug


def gemeenten_to_serve(errors: dict, codes: list[str] | None, *, loket: Loket | None = None,
                       take_over: bool = False) -> list[Gemeente]:
    """The gemeenten with these CBS codes (two queries), or a Dutch message under 'gemeenten'.

    A gemeente served by another loket than `loket` is refused, naming the gemeente and that loket, unless
    `take_over` says it moves: each gemeente has at most one loket.
    """
    codes = list(dict.fromkeys((code or "").strip().upper() for code in codes or []))
    if not codes or "" in codes:
        errors["gemeenten"] = "Kies minstens één gemeente (CBS-code, bijvoorbeeld GM0344) die het loket bedient."
        return []
    malformed = [code for code in codes if not GEMEENTE_CODE_PATTERN.match(code)]
    if malformed:
        shown = ", ".join(f"‘{''.join(c for c in code[:12] if c.isprintable())}’" for code in malformed[:5])
        errors["gemeenten"] = (f"Een gemeentecode is GM met vier cijfers, bijvoorbeeld GM0344; dit is geen "
                               f"gemeentecode: {shown}.")
        return []
    found = list(db.session.scalars(
        select(Gemeente).where(Gemeente.code.in_(codes)).options(selectinload(Gemeente.loket))))
    unknown = sorted(set(codes) - {g.code for g in found})
    own_id = loket.id if loket is not None else None
    served = sorted((g for g in found if g.loket_id is not None and g.loket_id != own_id), key=lambda g: g.code)
    if unknown:
        errors["gemeenten"] = f"Onbekende gemeentecode(s): {', '.join(unknown)}."
    elif served and not take_over:
        errors["gemeenten"] = "; ".join(
            f"Gemeente {g.name} ({g.code}) wordt al bediend door {g.loket.name}" for g in served
        ) + (". Een gemeente hoort bij hooguit één loket" +
             (": kies ‘overnemen’ om haar naar dit loket te verhuizen." if loket is not None else "."))
    return found


def create_loket(name: str, slug: str, gemeente_codes: list[str], status: str = "in_oprichting", *,
                 actor: User | None = None, now: datetime | None = None) -> Loket:
    """Create a loket with its team and the gemeenten it serves.

    A gemeente already served by another loket is refused: each gemeente has at most one loket. The history
    gets a 'created' row and a 'stage' row per gemeente; a loket created operational at once takes the
    requests of its gemeenten that wait in the fallback queue.
    Side effects: commits the loket, its team, the gemeenten's new loket and the moved requests in one
    transaction.
    """
    errors: dict[str, str] = {}
    name = clean_loket_name(errors, name)
    slug = _clean_slug(errors, slug)
    clean_status(errors, status)
    gemeenten = gemeenten_to_serve(errors, gemeente_codes)  # a new loket: only gemeenten no loket serves
    if errors:
        raise InvalidInput(errors)

    now = now or utcnow()
    old_stages = {g.id: stages.stage_of(g) for g in gemeenten}
    loket = Loket(name=name, slug=slug, status=status)
    db.session.add(loket)
    try:
        db.session.flush()
        ensure_team("loket", loket)
        # Claim the gemeenten only where still unserved: a loket created at the same moment cannot
        # take the same gemeente between our check above and this update.
        claimed = db.session.execute(
            update(Gemeente).where(Gemeente.id.in_([g.id for g in gemeenten]), Gemeente.loket_id.is_(None))
            .values(loket_id=loket.id, exploring_since=None).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != len(gemeenten):
            db.session.rollback()
            raise InvalidInput({"gemeenten": "Een van deze gemeenten is net aan een ander loket gekoppeld; "
                                              "bekijk de lijst en probeer het opnieuw."})
        for gemeente in gemeenten:
            db.session.expire(gemeente, ["loket_id", "exploring_since", "loket"])
        history.record("loket", "created", None, name, actor=actor, loket_id=loket.id, now=now)
        for gemeente in gemeenten:
            history.record("gemeente", "gemeente", None, name, actor=actor, loket_id=loket.id,
                           gemeente_id=gemeente.id, now=now)
            stages.record_stage(gemeente, old_stages[gemeente.id], status, actor=actor, loket_id=loket.id, now=now)
        if loket.is_operational:
            stages.pull_fallback_requests(loket, gemeenten, actor=actor, now=now)
        commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidInput({"slug": f"De slug ‘{slug}’ is net door een ander loket in gebruik genomen."}) from None
    return loket


def list_loketten(*, page: int = 1, per_page: int = 50, search: str | None = None, status: str | None = None):
    """Loketten by name, with their gemeenten and team (four queries per page); `search` matches the name,
    the slug, or the name or code of a gemeente served; `status` keeps one status (another value: all).

    :raises InvalidInput: {'q': …} for search text with a control character or too long.
    """
    query = (select(Loket).options(selectinload(Loket.gemeenten), selectinload(Loket.team))
             .order_by(Loket.name, Loket.id))
    text = search_text(search)
    if text:
        query = query.where(or_(contains(text, Loket.name, Loket.slug),
                                Loket.id.in_(select(Gemeente.loket_id).where(
                                    contains(text, Gemeente.name, Gemeente.code)))))
    if status in LOKET_STATUSES:
        query = query.where(Loket.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_loket(slug: str) -> Loket:
    """The loket with this slug, its gemeenten and team loaded.

    :raises NotFound: no loket has this slug.
    """
    # A slug that cannot exist (a NUL character, say) is not looked up: PostgreSQL would refuse it.
    loket = db.session.scalar(select(Loket).where(Loket.slug == slug)
                              .options(selectinload(Loket.gemeenten), selectinload(Loket.team))) \
        if isinstance(slug, str) and SLUG_PATTERN.match(slug) else None
    if loket is None:
        raise NotFound("Dit loket bestaat niet.")
    return loket


# ---------------------------------------------------------------- the loket's own public details (K1)

PUBLIC_DETAIL_LIMITS = {"email": EMAIL_MAX, "phone": 40, "address": 300, "opening_hours": 300, "url": 300}
PUBLIC_DETAIL_LABELS = {"email": "Het e-mailadres", "phone": "Het telefoonnummer", "address": "Het adres",
                        "opening_hours": "De openingstijden", "url": "De website"}
FORBIDDEN_MESSAGE = "Alleen de coördinator van dit loket mag zijn gegevens wijzigen."


def clean_public_details(errors: dict, details: dict, fields=tuple(PUBLIC_DETAIL_LIMITS)) -> dict:
    """The given contact fields trimmed (empty → None), with a Dutch message per field that is not valid."""
    cleaned = {}
    for name in fields:
        limit = PUBLIC_DETAIL_LIMITS[name]
        value = " ".join(str(details.get(name) or "").split())
        if len(value) > limit:
            errors[name] = f"{PUBLIC_DETAIL_LABELS[name]} mag maximaal {limit} tekens lang zijn (nu {len(value)})."
        elif has_control_characters(value):
            errors[name] = f"{PUBLIC_DETAIL_LABELS[name]} kan geen stuurtekens bevatten."
        cleaned[name] = value or None
    if cleaned.get("email") and "email" not in errors:
        try:
            cleaned["email"] = validate_email(cleaned["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = "Vul een geldig e-mailadres in, zoals loket@gemeente.nl."
    if cleaned.get("url") and "url" not in errors and not is_web_address(cleaned["url"]):
        errors["url"] = "Vul het volledige webadres in, beginnend met https://."
    return cleaned


def update_public_details(loket: Loket, *, actor: User, details: dict, reviewed: bool,
                          now: datetime | None = None) -> Loket:
    """The team lead keeps the loket's public contact details (what 'Vind je loket' shows) and may confirm
    that they are checked, which sets contact_reviewed_at (criterion K1). Validates everything first;
    commits once. Empty fields are cleared."""
    if not is_loket_lead(actor, loket.id):
        raise Forbidden(FORBIDDEN_MESSAGE)
    errors: dict[str, str] = {}
    cleaned = clean_public_details(errors, details)
    if errors:
        raise InvalidInput(errors)
    now = now or utcnow()
    for name, value in cleaned.items():
        history.record("loket", name, getattr(loket, name), value, actor=actor, loket_id=loket.id, now=now)
        setattr(loket, name, value)
    if reviewed:
        history.record("loket", "contact_reviewed_at", None, day_in_amsterdam(now).isoformat(), actor=actor,
                       loket_id=loket.id, now=now)
        loket.contact_reviewed_at = now
    commit()
    return loket
