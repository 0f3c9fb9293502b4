"""Loketten and the gemeenten they serve, as beheer manages them.

Every function that writes validates everything first and commits once, so nothing is half-stored.
List functions return one page with a constant number of queries, whatever the page size.
"""
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import LOKET_STATUSES, Gemeente, Loket, User
from loket.models.base import utcnow
from loket.services.errors import Forbidden, InvalidInput
from loket.services.network.teams import ensure_team, is_loket_lead
from loket.services.text import EMAIL_MAX, SLUG_MAX, SLUG_PATTERN, clean_name, has_control_characters
from loket.services.transaction import commit

NAME_MAX = 160


def create_loket(name: str, slug: str, gemeente_codes: list[str], status: str = "in_oprichting") -> Loket:
    """Create a loket with its team and the gemeenten it serves.

    A gemeente already served by another loket is refused: each gemeente has at most one loket.
    Side effects: commits the loket, its team and the gemeenten's new loket in one transaction.
    """
    errors: dict[str, str] = {}
    name = clean_name(errors, name, NAME_MAX, missing="Geef het loket een naam.")
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
        commit()
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


def list_loketten(*, page: int = 1, per_page: int = 50):
    """Loketten by name, with their gemeenten and team (four queries per page)."""
    query = (select(Loket).options(selectinload(Loket.gemeenten), selectinload(Loket.team))
             .order_by(Loket.name, Loket.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# ---------------------------------------------------------------- the loket's own public details (K1)

PUBLIC_DETAIL_LIMITS = {"email": EMAIL_MAX, "phone": 40, "address": 300, "opening_hours": 300, "url": 300}
PUBLIC_DETAIL_LABELS = {"email": "Het e-mailadres", "phone": "Het telefoonnummer", "address": "Het adres",
                        "opening_hours": "De openingstijden", "url": "De website"}
FORBIDDEN_MESSAGE = "Alleen de coördinator van dit loket mag zijn gegevens wijzigen."


def update_public_details(loket: Loket, *, actor: User, details: dict, reviewed: bool,
                          now: datetime | None = None) -> Loket:
    """The team lead keeps the loket's public contact details (what 'Vind je loket' shows) and may confirm
    that they are checked, which sets contact_reviewed_at (criterion K1). Validates everything first;
    commits once. Empty fields are cleared."""
    if not is_loket_lead(actor, loket.id):
        raise Forbidden(FORBIDDEN_MESSAGE)
    errors: dict[str, str] = {}
    cleaned = {}
    for name, limit in PUBLIC_DETAIL_LIMITS.items():
        value = " ".join(str(details.get(name) or "").split())
        if len(value) > limit:
            errors[name] = f"{PUBLIC_DETAIL_LABELS[name]} mag maximaal {limit} tekens lang zijn (nu {len(value)})."
        elif has_control_characters(value):
            errors[name] = f"{PUBLIC_DETAIL_LABELS[name]} kan geen stuurtekens bevatten."
        cleaned[name] = value or None
    if cleaned["email"] and "email" not in errors:
        try:
            cleaned["email"] = validate_email(cleaned["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = "Vul een geldig e-mailadres in, zoals loket@gemeente.nl."
    if cleaned["url"] and "url" not in errors and not cleaned["url"].lower().startswith(("https://", "http://")):
        errors["url"] = "Vul het volledige webadres in, beginnend met https://."
    if errors:
        raise InvalidInput(errors)
    for name, value in cleaned.items():
        setattr(loket, name, value)
    if reviewed:
        loket.contact_reviewed_at = now or utcnow()
    commit()
    return loket

