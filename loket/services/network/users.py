"""User accounts: creating them with memberships, and authenticating by email + password."""
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from loket.extensions import db
from loket.models import ROLES, Bond, Club, Loket, Membership, User
from loket.models.base import utcnow
from loket.services.errors import DomainError, InvalidInput
from loket.services.network.passwords import (
    PASSWORD_MIN,
    burn_time_for_unknown_user,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from loket.services import transaction
from loket.services.text import EMAIL_MAX

MIN_PASSWORD_LENGTH = PASSWORD_MIN
NAME_MAX = 120
ORGANISATION_OF_ROLE = {"club": "club", "clubondersteuner": "loket", "bondsspecialist": "bond"}


@dataclass(frozen=True)
class MembershipSpec:
    """A role to grant, with the organisation it belongs to (a club id, a loket slug or a bond key)."""

    role: str
    club: int | str | None = None
    loket: str | None = None
    bond: str | None = None
    team_lead: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str | None) -> User | None:
    """The user with this address as typed (any case, spaces around it), or None. Typed text that cannot be an
    address (too long, a NUL or other control character, which PostgreSQL would refuse) finds nobody."""
    email = normalise_email(email)
    if not email or len(email) > EMAIL_MAX or not email.isprintable():
        return None
    return db.session.scalar(select(User).where(User.email == email))


def create_user(*, email: str, name: str, password: str, memberships: list[MembershipSpec],
                commit: bool = True, confirmed: bool = True) -> User:
    """Create an active user with the given memberships. Side effects: commits (unless commit=False).

    :param confirmed: the address counts as confirmed (accounts made by beheer, the CLI, the demo); a person
        registering themselves passes False and confirms by the mailed link.
    """
    errors: dict[str, str] = {}
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = "Vul een geldig e-mailadres in."
    else:
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            errors["email"] = "Er bestaat al een account met dit e-mailadres."
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = f"Vul een naam in van hooguit {NAME_MAX} tekens."
    problem = password_problem(password, email=email, name=name)
    if problem:
        errors["password"] = problem
    rows = [_membership(spec, errors) for spec in memberships]
    if not memberships:
        errors["memberships"] = "Geef de gebruiker minstens één rol."
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name, password_hash=hash_password(password), memberships=rows,
                email_confirmed_at=utcnow() if confirmed else None)
    db.session.add(user)
    if commit:
        transaction.commit()
    return user


def _membership(spec: MembershipSpec, errors: dict[str, str]) -> Membership | None:
    if spec.role not in ROLES:
        errors["role"] = f"Onbekende rol '{spec.role}'; kies uit {', '.join(ROLES)}."
        return None
    needed = ORGANISATION_OF_ROLE.get(spec.role)
    given = {k for k in ("club", "loket", "bond") if getattr(spec, k) not in (None, "")}
    if needed is None and given:
        errors["organisation"] = f"De rol {spec.role} hoort niet bij een club, loket of bond."
        return None
    if needed is not None and given != {needed}:
        errors["organisation"] = f"De rol {spec.role} hoort bij precies één {needed}."
        return None
    if spec.team_lead and needed not in ("loket", "bond"):
        errors["team_lead"] = "Alleen leden van een loket of bond kunnen teamleider zijn."
        return None
    membership = Membership(role=spec.role, is_team_lead=spec.team_lead)
    if needed == "club":
        club = db.session.get(Club, int(spec.club)) if str(spec.club).isdigit() else None
        if club is None:
            errors["organisation"] = f"Club {spec.club} bestaat niet."
        membership.club = club
    elif needed == "loket":
        membership.loket = db.session.scalar(select(Loket).where(Loket.slug == spec.loket))
        if membership.loket is None:
            errors["organisation"] = f"Loket '{spec.loket}' bestaat niet."
    elif needed == "bond":
        membership.bond = db.session.scalar(select(Bond).where(Bond.key == spec.bond))
        if membership.bond is None:
            errors["organisation"] = f"Bond '{spec.bond}' bestaat niet."
    return membership


class EmailNotConfirmed(DomainError):
    """The password is right, but the address was never confirmed by the mailed link (self-registration)."""

    status_code = 403


EMAIL_NOT_CONFIRMED_MESSAGE = ("Je e-mailadres is nog niet bevestigd. Klik eerst op de link in de bevestigingsmail "
                               "die we je hebben gestuurd; daarna kun je inloggen.")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Side effects: records the login; commits.

    :raises EmailNotConfirmed: only when the password is right (so it tells nothing to someone guessing).
    """
    user = find_by_email(email)
    if user is None:
        burn_time_for_unknown_user(password or "")
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        return None
    if user.email_confirmed_at is None:
        raise EmailNotConfirmed(EMAIL_NOT_CONFIRMED_MESSAGE)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    transaction.commit()
    return user


def list_users(*, page: int = 1, per_page: int = 50):
    """Users by name, with their memberships and organisations (three queries per page)."""
    query = select(User).order_by(User.name, User.id)  # memberships load by selectin, organisations joined
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
