"""User accounts: creating them with memberships, authenticating by email + password, and beheer finding users and
giving or taking away their roles (memberships), recorded in the network history."""
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from loket.extensions import db
from loket.models import (
    ROLE_ORGANISATION,
    ROLES,
    Bond,
    Club,
    Gemeente,
    Initiative,
    Loket,
    Membership,
    Region,
    RegionSet,
    User,
)
from loket.models.base import utcnow
from loket.services import audit, search, transaction
from loket.services.errors import Conflict, DomainError, InvalidInput, NotFound
from loket.services.ids import row_by_id
from loket.services.network import history, two_factor
from loket.services.network.passwords import (
    PASSWORD_MIN,
    burn_time_for_unknown_user,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from loket.services.network.teams import MEMBER_ROLE
from loket.services.text import EMAIL_MAX, SLUG_MAX, has_control_characters

MIN_PASSWORD_LENGTH = PASSWORD_MIN
NAME_MAX = 120
EMAIL_IN_USE = "Er bestaat al een account met dit e-mailadres."
# The organisation each role belongs to, named as the MembershipSpec field and Membership relationship
# ("loket" for the column loket_id); models.ROLE_ORGANISATION is the one list.
ORGANISATION_OF_ROLE = {role: column.removesuffix("_id") for role, column in ROLE_ORGANISATION.items() if column}
# How each organisation is named in a spec, the Dutch word for messages, and whether it has a team with leads.
_ORGANISATIONS = {
    "club": (Club, None, "club", "Club {} bestaat niet.", "Deze club bestaat niet."),
    "loket": (Loket, "slug", "loket", "Loket '{}' bestaat niet.", "Dit loket bestaat niet."),
    "bond": (Bond, "key", "bond", "Bond '{}' bestaat niet.", "Deze bond bestaat niet."),
    "initiative": (Initiative, "key", "landelijk initiatief", "Landelijk initiatief '{}' bestaat niet.",
                   "Dit landelijk initiatief bestaat niet."),
    "gemeente": (Gemeente, "code", "gemeente", "Gemeente '{}' bestaat niet.", "Deze gemeente bestaat niet."),
    "region": (Region, None, "regio", "Regio {} bestaat niet.", "Deze regio bestaat niet."),
}
# The organisations whose members work a team (and can lead it): loket, bond, initiative.
TEAM_ORGANISATIONS = tuple(ORGANISATION_OF_ROLE[role] for role in MEMBER_ROLE.values())


@dataclass(frozen=True)
class MembershipSpec:
    """A role to grant, with the organisation it belongs to: a club id, a loket slug, a bond or initiative key,
    a gemeente code (role gemeente) or a region id (role adviseur)."""

    role: str
    club: int | str | None = None
    loket: str | None = None
    bond: str | None = None
    team_lead: bool = False
    initiative: str | None = None
    gemeente: str | None = None
    region: int | str | None = None


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
                commit: bool = True, confirmed: bool = True, totp_secret: str | None = None) -> User:
    """Create an active user with the given memberships. Side effects: commits (unless commit=False).

    :param confirmed: the address counts as confirmed (accounts made by beheer, the CLI, the demo); a person
        registering themselves passes False and confirms by the mailed link.
    :param totp_secret: a base32 secret to switch two-factor authentication on with (the CLI, the demo).
    """
    errors: dict[str, str] = {}
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = "Vul een geldig e-mailadres in."
    else:
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            errors["email"] = EMAIL_IN_USE
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = f"Vul een naam in van hooguit {NAME_MAX} tekens."
    elif has_control_characters(name):
        errors["name"] = "Een naam kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    problem = password_problem(password, email=email, name=name)
    if problem:
        errors["password"] = problem
    rows = [_membership(spec, errors) for spec in memberships]
    if not memberships:
        errors["memberships"] = "Geef de gebruiker minstens één rol."
    if totp_secret is not None:
        try:
            totp_secret = two_factor.normalise_secret(totp_secret)
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name, password_hash=hash_password(password), memberships=rows,
                email_confirmed_at=utcnow() if confirmed else None)
    if totp_secret is not None:
        two_factor.provision(user, totp_secret)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address was registered a moment ago, between our check and this insert
        db.session.rollback()
        raise InvalidInput({"email": EMAIL_IN_USE}) from None
    if commit:
        transaction.commit()
    return user


def _membership(spec: MembershipSpec, errors: dict[str, str]) -> Membership | None:
    """The membership a spec describes (not yet added to anyone), or None with a Dutch message in `errors`."""
    if spec.role not in ROLES:
        errors["role"] = f"Onbekende rol; kies uit {', '.join(ROLES)}."
        return None
    needed = ORGANISATION_OF_ROLE.get(spec.role)
    given = {k for k in _ORGANISATIONS if getattr(spec, k) not in (None, "")}
    if needed is None and given:
        errors["organisation"] = f"De rol {spec.role} hoort niet bij een organisatie."
        return None
    if needed is not None and given != {needed}:
        errors["organisation"] = f"De rol {spec.role} hoort bij precies één {_ORGANISATIONS[needed][2]}."
        return None
    if spec.team_lead and needed not in TEAM_ORGANISATIONS:
        errors["team_lead"] = "Alleen leden van een loket, bond of landelijk initiatief kunnen teamleider zijn."
        return None
    membership = Membership(role=spec.role, is_team_lead=spec.team_lead)
    if needed is None:
        return membership
    # Text that can be no id, slug or key (too long, a NUL) finds nothing without asking the database.
    wanted = str(getattr(spec, needed)).strip()
    if needed == "gemeente":  # CBS codes are stored as GM0344; gm0344 names the same gemeente
        wanted = wanted.upper()
    typed = wanted if len(wanted) <= SLUG_MAX and wanted.isprintable() else None
    model, key, _, unknown, unknown_untyped = _ORGANISATIONS[needed]
    if typed is None:
        organisation = None
    elif key is None:
        organisation = row_by_id(model, typed)
    else:
        organisation = db.session.scalar(select(model).where(getattr(model, key) == typed))
    if organisation is None:
        errors["organisation"] = unknown.format(typed) if typed else unknown_untyped
    setattr(membership, needed, organisation)
    return membership


class EmailNotConfirmed(DomainError):
    """The password is right, but the address was never confirmed by the mailed link (self-registration)."""

    status_code = 403


EMAIL_NOT_CONFIRMED_MESSAGE = ("Je e-mailadres is nog niet bevestigd. Klik eerst op de link in de bevestigingsmail "
                               "die we je hebben gestuurd; daarna kun je inloggen.")


def authenticate(email: str, password: str, *, client_address: str | None = None) -> User | None:
    """The active user with this email and password, or None. Side effects: records the login, or the failed
    attempt in the audit log; commits.

    :raises EmailNotConfirmed: only when the password is right (so it tells nothing to someone guessing).
    """
    user = find_by_email(email)
    if user is None:
        burn_time_for_unknown_user(password or "")
        _record_failed_login(None, email, client_address)
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        _record_failed_login(user, email, client_address)
        return None
    if user.email_confirmed_at is None:
        raise EmailNotConfirmed(EMAIL_NOT_CONFIRMED_MESSAGE)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    transaction.commit()
    return user


def _record_failed_login(user: User | None, email: str | None, client_address: str | None,
                         label: str | None = None) -> None:
    """A wrong password (or second step) in the audit log, with the address that was tried (printable part)."""
    typed = "".join(ch for ch in normalise_email(email or "") if ch.isprintable())
    audit.record_alone("login_failed", actor=None, subject_kind="user" if user else "email",
                       subject_id=user.id if user else None, label=label or typed, client_address=client_address)


def list_users(*, page: int = 1, per_page: int = 50):
    """Users by name, with their memberships and organisations (three queries per page)."""
    return search_users(page=page, per_page=per_page)


# ---------------------------------------------------------------- managed by beheer

USER_NOT_FOUND_MESSAGE = "Deze gebruiker bestaat niet."
ROLE_FILTER_MESSAGE = "Kies een rol uit de lijst."


def search_users(*, text: str | None = None, role: str | None = None, page: int = 1, per_page: int = 50):
    """Users by name whose name or address contains `text` and who hold `role` (either may be empty), with
    their memberships and organisations (three queries per page).

    :raises InvalidInput: {"q": …} for unusable search text, {"role": …} for an unknown role.
    """
    text = search.search_text(text)
    if role not in (None, "") and role not in ROLES:
        raise InvalidInput({"role": ROLE_FILTER_MESSAGE})
    query = select(User).order_by(User.name, User.id)  # memberships load by selectin, organisations joined
    if text:
        query = query.where(search.contains(text, User.name, User.email))
    if role:
        query = query.where(exists().where(Membership.user_id == User.id, Membership.role == role))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_user(user_id) -> User:
    user = row_by_id(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(USER_NOT_FOUND_MESSAGE)
    return user


def membership_label(membership: Membership) -> str:
    """How a membership reads in the history: role, organisation, and whether it leads the team."""
    return membership.label + (" (coördinator)" if membership.is_team_lead else "")


def add_membership(user: User, spec: MembershipSpec, *, actor: User | None) -> Membership:
    """Give a user one more role in an organisation (the same rules as creating a user), recorded in the
    network history. Side effects: commits.

    :raises InvalidInput: role, organisation or team_lead wrong, or the user already holds that role there.
    """
    errors: dict[str, str] = {}
    membership = _membership(spec, errors)
    if not errors and any(_same_place(held, membership) for held in user.memberships):
        errors["organisation"] = (f"{user.name} heeft deze rol al ({membership.label}). Een coördinator "
                                  "benoem je op de teampagina.")
    if errors:
        raise InvalidInput(errors)
    user.memberships.append(membership)
    _record_membership(user, membership, old=None, new=membership_label(membership), actor=actor)
    transaction.commit()
    return membership


LAST_MEMBERSHIP_MESSAGE = ("Dit is de enige rol van deze gebruiker. Zet het account liever uit; dan blijft de "
                           "geschiedenis bewaard.")
OWN_BEHEER_MESSAGE = "Je kunt je eigen beheerrol niet weghalen. Vraag een andere beheerder."


def remove_membership(user: User, membership_id: int, *, actor: User | None) -> Membership:
    """Take one role away from a user, recorded in the network history; the user keeps at least one role, and
    beheer cannot take away its own beheer role. Side effects: commits.

    :raises NotFound: not a membership of this user. :raises Conflict: the last role, or one's own beheer.
    """
    membership = next((m for m in user.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFound("Deze rol hoort niet bij deze gebruiker.")
    if len(user.memberships) == 1:
        raise Conflict(LAST_MEMBERSHIP_MESSAGE)
    if actor is not None and actor.id == user.id and membership.role == "beheer":
        raise Conflict(OWN_BEHEER_MESSAGE)
    _record_membership(user, membership, old=membership_label(membership), new=None, actor=actor)
    user.memberships.remove(membership)
    transaction.commit()
    return membership


def _same_place(held: Membership, wanted: Membership) -> bool:
    return held.role == wanted.role and held.organisation is wanted.organisation


def _record_membership(user: User, membership: Membership, *, old, new, actor: User | None) -> None:
    history.record("membership", "membership", old, new, actor=actor, user_id=user.id,
                   loket_id=membership.loket.id if membership.loket else None,
                   bond_id=membership.bond.id if membership.bond else None,
                   initiative_id=membership.initiative.id if membership.initiative else None)


@dataclass(frozen=True)
class OrganisationChoices:
    """Where a role can be given, as (value, label) pairs by name: the value is what a MembershipSpec takes."""

    loketten: list[tuple[str, str]]  # (slug, name)
    bonden: list[tuple[str, str]]  # (key, name)
    initiatives: list[tuple[str, str]]  # (key, name)
    gemeenten: list[tuple[str, str]]  # (CBS code, "name (code)")
    regions: list[tuple[str, str]]  # (id, "<set> — <region>")


def organisation_choices() -> OrganisationChoices:
    """Every loket, bond, landelijk initiatief, gemeente and region (five queries)."""
    def pairs(query):
        return [tuple(row) for row in db.session.execute(query)]

    regions = db.session.execute(select(Region.id, Region.name, RegionSet.name.label("set_name"))
                                 .join(RegionSet, RegionSet.id == Region.region_set_id)
                                 .order_by(RegionSet.name, Region.name, Region.id)).all()
    return OrganisationChoices(
        loketten=pairs(select(Loket.slug, Loket.name).order_by(Loket.name, Loket.id)),
        bonden=pairs(select(Bond.key, Bond.name).order_by(Bond.name, Bond.id)),
        initiatives=pairs(select(Initiative.key, Initiative.name).order_by(Initiative.name, Initiative.id)),
        gemeenten=[(code, f"{name} ({code})") for code, name in pairs(
            select(Gemeente.code, Gemeente.name).order_by(Gemeente.name, Gemeente.code))],
        regions=[(str(row.id), f"{row.set_name} — {row.name}") for row in regions])
