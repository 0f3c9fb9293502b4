"""Aanmeldingen: a person registers a club (or asks to join an existing one) with their own account, and the
loket decides.

The life of a registration (models.ClubRegistration):

1. `register_club` / `request_to_join`: the account is made unconfirmed, the registration `unconfirmed`, a new
   club waits with status `aangemeld`, and a single-use link is mailed to confirm the address.
2. `confirm_registration` (the link): the address counts as confirmed and the registration is `pending` at the
   team that decides it: the loket of the club's gemeente when it is operational, otherwise the coördinatiepunt
   (derived when read, so it follows the gemeente). A join request is also decided by the club's current
   contacts.
3. `approve` (a new club becomes `actief`; a joining person becomes a contact of the club) or `reject` with a
   reason that is mailed to the person (a new club becomes `afgewezen` and stays invisible).

While the coördinatiepunt decides (no operational loket in the gemeente) it can `hand_over` the registration to an
operational loket it chooses (a neighbour's): that loket decides it as its own, or gives it back (`hand_back`).
A hand-over counts only while the receiving loket is operational and the gemeente has no operational loket of
its own; once it has, its own loket decides, as always.

Nothing of a club that is not `actief` is shown to anyone but its own contacts and those who decide (clubs,
filing and the metrics filter on the status). The coördinatiepunt decides without seeing who registered:
`pending_for` leaves the person's details and the KvK number out of what it returns to that viewer.

No account enumeration: for an address that already has an account nothing is stored, the same work is done
(the password is hashed anyway) and the same neutral `Submitted` is returned; the account holder gets a mail.
"""
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz
from sqlalchemy import false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from loket.extensions import db
from loket.models import CLUB_KINDS, Club, ClubContact, ClubRegistration, Gemeente, Loket, Membership, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.pagination import counts_in_one
from loket.services.messaging import notifications, outbox
from loket.services.messaging.mail import site_path
from loket.services.network import account_tokens, history
from loket.services.network.clubs import (
    CONTACT_LIMITS,
    KIND_MESSAGE,
    club_name,
    gemeente_by_code,
    kvk,
    sports_by_name_or_id,
)
from loket.services.network.passwords import hash_password, password_problem
from loket.services.network.teams import ensure_team
from loket.services.network.users import NAME_MAX as PERSON_NAME_MAX
from loket.services.network.users import MembershipSpec, create_user, normalise_email
from loket.services.pagination import RowPage
from loket.services.text import EMAIL_MAX, GEMEENTE_CODE_PATTERN, clean_name, has_control_characters, required_text
from loket.services.transaction import commit
from loket.services.ids import as_id, row_by_id

NOT_FOUND_MESSAGE = "Deze aanmelding bestaat niet of je hebt er geen toegang toe."
DECIDED_MESSAGE = "Over deze aanmelding is al besloten. Laad de lijst opnieuw."
CLUB_CHOICE_MESSAGE = "Kies een club uit de lijst."
REASON_MISSING_MESSAGE = "Schrijf op waarom je de aanmelding afwijst; de aanmelder krijgt dit te lezen."
REASON_MAX = 2000
PAGE_SIZE = 50
KIND_LABELS = {"new_club": "Nieuwe club", "join": "Aansluiten bij een club"}

# Names are compared after `normalised_name` with rapidfuzz's token_sort_ratio (0–100; word order ignored).
# 85 catches the same club typed differently — "VV Domstad '28" / "V.V. Domstad 28" (100), a club name with or
# without its year or legal form ("VV Domstad" 87, "… B.V." 95), a swapped pair of letters (92) — while clubs
# that share only their town and a generic word stay apart: "Hockeyclub Utrecht" / "Tennisclub Utrecht" is 72,
# "SV Utrecht" / "VV Utrecht" 70. A flag only asks the loket to look; it never blocks.
SIMILAR_NAME_THRESHOLD = 85
SAME_KVK = "zelfde KvK-nummer"
SIMILAR_NAME = "lijkt op de naam"


@dataclass(frozen=True)
class Submitted:
    """What the person is told after registering, whatever happened: check the mail sent to this address."""

    email: str


@dataclass(frozen=True)
class DuplicateClub:
    """An active club a new registration may be: same KvK number, or a very similar name in the same gemeente."""

    id: int
    name: str
    gemeente: str
    loket_id: int | None  # the loket serving its gemeente (whose supporters may open its profile)
    reason: str  # SAME_KVK or SIMILAR_NAME (Dutch, shown as is)


@dataclass(frozen=True)
class PendingRegistration:
    """A registration waiting for a decision, as one viewer may see it.

    For the coördinatiepunt (a gemeente without an operational loket) `details_hidden` is True and the person's
    name, email and function, the KvK number and the sports are None / empty: it decides on club name, gemeente
    and kind only.
    """

    id: int
    kind: str  # new_club | join
    club_id: int
    club_name: str
    club_kind: str
    gemeente_code: str
    gemeente: str
    confirmed_at: datetime | None
    details_hidden: bool
    person_name: str | None
    person_email: str | None
    function: str | None
    kvk_number: str | None
    sports: tuple[str, ...]
    possible_duplicates: tuple[DuplicateClub, ...]
    province: str | None = None
    # The coördinatiepunt handed it to this loket (in force): who decides it now, and why.
    handed_over_to: str | None = None
    handover_reason: str | None = None
    handed_over_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


# ---------------------------------------------------------------- registering and joining

def register_club(club: dict, contact: dict, *, now: datetime | None = None) -> Submitted:
    """Register a new club with the person's own account; nothing is stored when any field is invalid.

    :param club: name, kind (CLUB_KINDS), gemeente (CBS code), sports (ids or names), kvk (optional, 8 digits)
    :param contact: name, email, password, function (optional)
    Errors are keyed `club.<field>` / `contact.<field>`.
    Side effects: the club (aangemeld), the unconfirmed user with a club membership, a ClubContact, the
    registration and the confirmation mail, in one commit; or, for an address already in use, only a mail to
    that account.
    """
    now = now or utcnow()
    errors: dict[str, str] = {}
    values = _club_values(errors, club or {})
    person = _checked_person(errors, contact or {})
    if (answer := _answer_if_address_in_use(person, now)) is not None:
        return answer
    new_club = Club(**values, status="aangemeld", created_at=now)
    db.session.add(new_club)
    db.session.flush()
    try:
        user = create_user(email=person["email"], name=person["name"], password=person["password"],
                           memberships=[MembershipSpec(role="club", club=new_club.id)], commit=False,
                           confirmed=False)
    except InvalidInput as error:  # the same rules were checked above; keep the field names of this form
        db.session.rollback()
        raise InvalidInput({f"contact.{field}": message for field, message in error.errors.items()}) from None
    db.session.flush()
    db.session.add(ClubContact(club=new_club, name=user.name, email=user.email, function=person["function"],
                               user_id=user.id))
    return _submit(ClubRegistration(kind="new_club", club=new_club, user=user, function=person["function"],
                                    created_at=now), now)


def request_to_join(club_id, contact: dict, *, now: datetime | None = None) -> Submitted:
    """Ask to become a contact of an existing active club, with one's own account.

    The account gets no role until the club's contacts or its loket approve (so it sees none of the club's
    requests). A club that does not exist or is not active is refused with the same message as no choice.
    Side effects: the unconfirmed user, the registration and the confirmation mail in one commit (or, for an
    address in use, only a mail to that account).
    """
    now = now or utcnow()
    errors: dict[str, str] = {}
    club = _active_club(club_id)
    if club is None:
        errors["club"] = CLUB_CHOICE_MESSAGE
    person = _checked_person(errors, contact or {})
    if (answer := _answer_if_address_in_use(person, now)) is not None:
        return answer
    # create_user wants at least one role; this account has none until the join is approved. The fields were
    # checked above with the same rules (passwords.password_problem, email_validator).
    user = User(email=person["email"], name=person["name"], password_hash=hash_password(person["password"]),
                email_confirmed_at=None, created_at=now)
    db.session.add(user)
    return _submit(ClubRegistration(kind="join", club=club, user=user, function=person["function"], created_at=now),
                   now)


def gemeente_choices() -> list[tuple[str, str]]:
    """Every gemeente as (CBS code, name), by name: where a club can be registered. One query."""
    return [(code, name) for code, name in db.session.execute(
        select(Gemeente.code, Gemeente.name).order_by(Gemeente.name, Gemeente.code))]


def active_clubs_in(gemeente_code: str | None) -> list[Club]:
    """The active clubs of a gemeente by name (to choose the one to join); empty for an unknown code."""
    code = (gemeente_code or "").strip().upper()
    if not GEMEENTE_CODE_PATTERN.fullmatch(code):
        return []
    return list(db.session.scalars(
        select(Club).join(Gemeente, Gemeente.id == Club.gemeente_id)
        .where(Gemeente.code == code, Club.status == "actief").order_by(Club.name, Club.id)))


def _club_values(errors: dict, club: dict) -> dict:
    found: dict[str, str] = {}
    name = club_name(found, _text(club.get("name")))
    kind = club.get("kind")
    if kind not in CLUB_KINDS:
        found["kind"] = KIND_MESSAGE
    gemeente = gemeente_by_code(found, _text(club.get("gemeente")))
    sports = sports_by_name_or_id(found, club.get("sports") if isinstance(club.get("sports"), (list, tuple)) else [])
    kvk_number = kvk(found, _text(club.get("kvk")), field="kvk")
    errors.update({f"club.{field}": message for field, message in found.items()})
    return {"name": name, "kind": kind, "gemeente": gemeente, "sports": sports, "kvk_number": kvk_number}


def _person_values(errors: dict, contact: dict) -> dict:
    found: dict[str, str] = {}
    name = clean_name(found, _text(contact.get("name")), PERSON_NAME_MAX, missing="Vul je naam in.")
    if "name" not in found and has_control_characters(name):
        found["name"] = "Je naam kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    email = normalise_email(_text(contact.get("email")))
    if not email or len(email) > EMAIL_MAX or has_control_characters(email):
        found["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@club.nl."
    else:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            found["email"] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@club.nl."
    password = contact.get("password") if isinstance(contact.get("password"), str) else ""
    problem = password_problem(password, email=email, name=name)
    if problem:
        found["password"] = problem
    function = " ".join(_text(contact.get("function")).split())
    limit = CONTACT_LIMITS["function"]
    if len(function) > limit:
        found["function"] = f"Je functie mag maximaal {limit} tekens lang zijn (nu {len(function)})."
    elif has_control_characters(function):
        found["function"] = "Je functie kan geen stuurtekens bevatten."
    errors.update({f"contact.{field}": message for field, message in found.items()})
    return {"name": name, "email": email, "password": password, "function": function or None}


def _checked_person(errors: dict, contact: dict) -> dict:
    """The person's values, checked last: raises InvalidInput with every error found, the club's ones too."""
    person = _person_values(errors, contact)
    if errors:
        raise InvalidInput(errors)
    return person


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _account_with(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))  # stored lower-cased (users.create_user)


def _active_club(club_id) -> Club | None:
    club = row_by_id(Club, club_id)
    return club if club is not None and club.status == "actief" else None


def _submit(registration: ClubRegistration, now: datetime) -> Submitted:
    """Store the registration with the mail carrying its confirmation link (one commit)."""
    db.session.add(registration)
    db.session.flush()
    _mail_confirmation(registration, now)
    email = registration.user.email
    try:
        commit()
    except IntegrityError:
        # Someone registered the same address a moment earlier (users.email is unique): theirs stands, and
        # this answer stays the neutral one.
        db.session.rollback()
    return Submitted(email)


def _mail_confirmation(registration: ClubRegistration, now: datetime) -> None:
    token = account_tokens.issue(registration.user, "confirm_email", now=now)
    outbox.add_email("registration_confirm", to=registration.user.email,
                     key=f"registration-confirm:g{registration.id}:{secrets.token_hex(8)}",
                     context={"user_id": registration.user.id,
                              "link_path": site_path("aanmelden.confirm", token=token), "club_name": registration.club.name,
                              "kind": registration.kind,
                              "hours": int(account_tokens.lifetime("confirm_email").total_seconds() // 3600)})


def _answer_if_address_in_use(person: dict, now: datetime) -> Submitted | None:
    """None for an address without an account. If it has one: store nothing, do the work a new account costs,
    tell the holder, and give the same answer as a new registration.

    An account that never confirmed its first registration gets a fresh link for that one instead (a lost or
    expired link is solved by registering again)."""
    user = _account_with(person["email"])
    if user is None:
        return None
    hash_password(person["password"])  # as create_user would: the answer takes as long either way
    waiting = None
    if user.email_confirmed_at is None:
        waiting = db.session.scalar(select(ClubRegistration).where(
            ClubRegistration.user_id == user.id, ClubRegistration.state == "unconfirmed")
            .order_by(ClubRegistration.id))
    if waiting is not None:
        _mail_confirmation(waiting, now)
    else:
        outbox.add_email("registration_address_in_use", to=user.email,
                         key=f"registration-in-use:u{user.id}:{secrets.token_hex(8)}",
                         context={"user_id": user.id})
    commit()
    return Submitted(person["email"])


# ---------------------------------------------------------------- confirming

def check_confirmation_link(token: str | None) -> None:
    """Whether a mailed link still works, without using it (the page behind it shows a button).
    :raises InvalidInput: {"token": Dutch} for a wrong, expired or used link."""
    account_tokens.peek(token, "confirm_email")


def confirm_registration(token: str | None, *, now: datetime | None = None) -> ClubRegistration | None:
    """Follow the mailed link: the address counts as confirmed and the person's registrations go to the team
    that decides them (mailed: the person, that team, and for a join the club's contacts).

    :raises InvalidInput: {"token": Dutch} for a wrong, expired or used link.
    Returns the (first) registration now pending, or None when the account had none waiting.
    Side effects: commits.
    """
    now = now or utcnow()
    record = account_tokens.redeem(token, "confirm_email", now=now)
    user = record.user
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    waiting = list(db.session.scalars(
        select(ClubRegistration).where(ClubRegistration.user_id == user.id, ClubRegistration.state == "unconfirmed")
        .order_by(ClubRegistration.id)))
    for registration in waiting:
        registration.state, registration.confirmed_at = "pending", now
        _announce(registration)
    commit()
    return waiting[0] if waiting else None


def deciding_team(gemeente: Gemeente):
    """The team that decides a registration in this gemeente: its operational loket, else the coördinatiepunt."""
    loket = gemeente.loket
    if loket is not None and loket.is_operational:
        return ensure_team("loket", loket)
    return ensure_team("fallback")


def _announce(registration: ClubRegistration) -> None:
    club, person = registration.club, registration.user
    team = deciding_team(club.gemeente)
    decider = team.name if team.kind == "loket" else "het landelijk coördinatiepunt"
    outbox.add_email("registration_received", to=person.email, key=f"registration-received:g{registration.id}",
                     context={"user_id": person.id, "club_name": club.name, "kind": registration.kind,
                              "decider": decider})
    _tell_deciders(registration, team)
    if registration.kind == "join":
        for contact in _club_users(club.id):
            outbox.add_email("join_request", to=contact.email, key=f"join-request:g{registration.id}:u{contact.id}",
                             context={"user_id": contact.id, "club_name": club.name, "person_name": person.name,
                                      "function": registration.function or ""})


def _tell_deciders(registration: ClubRegistration, team) -> None:
    # Only what the coördinatiepunt may see too: the template holds no name or address of the person.
    club = registration.club
    notifications.registration_pending(registration.id, team, club_name=club.name, club_kind=club.kind,
                                       gemeente=club.gemeente.name, kind=registration.kind, team_kind=team.kind)


def _club_users(club_id: int) -> list[User]:
    """The club's current contacts with a login (they decide on people joining their club)."""
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.role == "club", Membership.club_id == club_id, User.active).order_by(User.id)))


# ---------------------------------------------------------------- what a viewer may decide

def _decidable_by(user: User, *, with_handed_over: bool = False):
    """SQL: the registrations `user` decides (needs the query's joins: club, gemeente, outer loket). None when
    they decide none. Not their own. `with_handed_over` adds, for the coördinatiepunt, those it handed to a
    loket (its list shows them as such; it no longer decides them)."""
    conditions = []
    operational = Loket.status == "operationeel"
    if user.loket_ids:
        conditions.append(Gemeente.loket_id.in_(user.loket_ids) & operational)
        conditions.append(ClubRegistration.handover_loket_id.in_(user.loket_ids) & _handover_in_force())
    if user.has_role("coordinatiepunt"):
        conditions.append(_without_operational_loket() if with_handed_over else _at_coordinatiepunt())
    if user.club_ids:
        conditions.append((ClubRegistration.kind == "join") & ClubRegistration.club_id.in_(user.club_ids)
                          & (Club.status == "actief"))
    if not conditions:
        return None
    return or_(*conditions) & (ClubRegistration.user_id != user.id)


def _without_operational_loket():
    """SQL: the club's gemeente has no operational loket (so the coördinatiepunt decides, or hands it over)."""
    return Gemeente.loket_id.is_(None) | (Loket.status != "operationeel")


def _handed_to_operational_loket():
    receiving = aliased(Loket)  # not the gemeente's own loket, which the outer query joins
    return ClubRegistration.handover_loket_id.in_(select(receiving.id).where(receiving.status == "operationeel"))


def _handover_in_force():
    """SQL: the coördinatiepunt handed it to an operational loket, and the gemeente still has none of its own."""
    return _without_operational_loket() & _handed_to_operational_loket()


def _at_coordinatiepunt():
    """SQL: the coördinatiepunt decides it: no operational loket in the gemeente and no hand-over in force."""
    return _without_operational_loket() & (ClubRegistration.handover_loket_id.is_(None)
                                           | ~_handed_to_operational_loket())


def _joined(query):
    """The joins the conditions above need: club, gemeente, the gemeente's loket (outer)."""
    return (query.join(Club, Club.id == ClubRegistration.club_id)
            .join(Gemeente, Gemeente.id == Club.gemeente_id)
            .outerjoin(Loket, Loket.id == Gemeente.loket_id))


def _registrations_of(user: User, *, with_handed_over: bool = False):
    condition = _decidable_by(user, with_handed_over=with_handed_over)
    if condition is None:
        return None
    return _joined(select(ClubRegistration)).where(condition)


def _handover_of(registration: ClubRegistration) -> Loket | None:
    """The loket the registration is handed to, while that hand-over is in force (see `_handover_in_force`)."""
    own, receiving = registration.club.gemeente.loket, registration.handover_loket
    if receiving is None or not receiving.is_operational or (own is not None and own.is_operational):
        return None
    return receiving


def _sees_details(user: User, registration: ClubRegistration) -> bool:
    """The loket of the gemeente and the club's own contacts see who registered; the coördinatiepunt does not."""
    loket = registration.club.gemeente.loket
    if loket is not None and loket.is_operational and loket.id in user.loket_ids:
        return True
    receiving = _handover_of(registration)
    if receiving is not None and receiving.id in user.loket_ids:  # it decides as the gemeente's loket would
        return True
    return registration.kind == "join" and registration.club_id in user.club_ids


def pending_query(user: User):
    """The registrations waiting for `user`'s decision, as a select to count with a page's other counts
    (pagination.counts_in_one); None when the user decides none."""
    query = _registrations_of(user)
    return None if query is None else query.where(ClubRegistration.state == "pending")


def pending_count(user: User) -> int:
    """How many registrations wait for `user`'s decision (one query)."""
    query = pending_query(user)
    return 0 if query is None else counts_in_one([query])[0]


def pending_at_coordinatiepunt():
    """SQL (a scalar subquery) counting the registrations waiting at the coördinatiepunt, for its start page."""
    return (_joined(select(func.count()).select_from(ClubRegistration))
            .where(ClubRegistration.state == "pending", _at_coordinatiepunt())
            .scalar_subquery())


def pending_for(user: User, *, page: int = 1, per_page: int = PAGE_SIZE,
                with_handed_over: bool = False) -> RowPage:
    """The registrations waiting for `user`'s decision, oldest first, each with its possible duplicates, as this
    viewer may see them (PendingRegistration). A constant number of queries: count, page, sports, the people's
    memberships, and one for the duplicates of the whole page. `with_handed_over`: the coördinatiepunt's list
    also shows those it handed to a loket (`handed_over_to` set)."""
    page = max(1, page)
    query = _registrations_of(user, with_handed_over=with_handed_over)
    if query is None:
        return RowPage(items=[], page=page, per_page=per_page, total=0)
    query = query.where(ClubRegistration.state == "pending")
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(db.session.scalars(
        query.options(joinedload(ClubRegistration.club).joinedload(Club.gemeente).joinedload(Gemeente.loket),
                      joinedload(ClubRegistration.club).selectinload(Club.sports),
                      joinedload(ClubRegistration.user), joinedload(ClubRegistration.handover_loket))
        .order_by(ClubRegistration.created_at, ClubRegistration.id)
        .limit(per_page).offset((page - 1) * per_page)).unique())
    duplicates = possible_duplicates(rows)
    return RowPage(items=[_as_seen_by(user, r, duplicates.get(r.id, ())) for r in rows], page=page,
                   per_page=per_page, total=total)


def _as_seen_by(user: User, registration: ClubRegistration, duplicates) -> PendingRegistration:
    club = registration.club
    details = _sees_details(user, registration)
    receiving = _handover_of(registration)
    return PendingRegistration(
        id=registration.id, kind=registration.kind, club_id=club.id, club_name=club.name, club_kind=club.kind,
        gemeente_code=club.gemeente.code, gemeente=club.gemeente.name, confirmed_at=registration.confirmed_at,
        details_hidden=not details,
        person_name=registration.user.name if details else None,
        person_email=registration.user.email if details else None,
        function=registration.function if details else None,
        kvk_number=club.kvk_number if details else None,
        sports=tuple(s.name for s in club.sports) if details else (),
        possible_duplicates=tuple(duplicates),
        province=club.gemeente.province,
        handed_over_to=receiving.name if receiving is not None else None,
        handover_reason=registration.handover_reason if receiving is not None else None,
        handed_over_at=registration.handed_over_at if receiving is not None else None,
    )


def normalised_name(name: str) -> str:
    """A club name as compared for duplicates: no accents, case, dots or apostrophes ("V.V." is "VV", "'28" is
    "28"), other punctuation as spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    joined = "".join(c for c in plain if c not in ".'’‘`´")
    return " ".join("".join(c if c.isalnum() else " " for c in joined).split())


def similar_names(first: str, second: str) -> bool:
    return fuzz.token_sort_ratio(normalised_name(first), normalised_name(second)) >= SIMILAR_NAME_THRESHOLD


def possible_duplicates(registrations: list[ClubRegistration]) -> dict[int, list[DuplicateClub]]:
    """Registration id → the active clubs it may duplicate (new clubs only). One query for all of them: the
    active clubs of their gemeenten and those with one of their KvK numbers; compared in Python."""
    new = [r for r in registrations if r.kind == "new_club"]
    if not new:
        return {}
    gemeente_ids = {r.club.gemeente_id for r in new}
    kvk_numbers = {r.club.kvk_number for r in new if r.club.kvk_number}
    candidates = list(db.session.scalars(
        select(Club).where(Club.status == "actief",
                           or_(Club.gemeente_id.in_(gemeente_ids),
                               Club.kvk_number.in_(kvk_numbers) if kvk_numbers else false()))
        .order_by(Club.name, Club.id)))
    names = {c.id: normalised_name(c.name) for c in candidates}
    found: dict[int, list[DuplicateClub]] = {}
    for registration in new:
        club = registration.club
        own = normalised_name(club.name)
        for candidate in candidates:
            if candidate.id == club.id:
                continue
            if club.kvk_number and candidate.kvk_number == club.kvk_number:
                reason = SAME_KVK
            elif (candidate.gemeente_id == club.gemeente_id
                  and fuzz.token_sort_ratio(own, names[candidate.id]) >= SIMILAR_NAME_THRESHOLD):
                reason = SIMILAR_NAME
            else:
                continue
            found.setdefault(registration.id, []).append(
                DuplicateClub(id=candidate.id, name=candidate.name, gemeente=candidate.gemeente.name,
                              loket_id=candidate.gemeente.loket_id, reason=reason))
    return found


def get_pending(registration_id, actor: User) -> PendingRegistration:
    """One registration waiting for `actor`'s decision, as they may see it; NotFound for anyone else."""
    registration = _decidable(registration_id, actor)
    return _as_seen_by(actor, registration, possible_duplicates([registration]).get(registration.id, ()))


def _decidable(registration_id, actor: User) -> ClubRegistration:
    """The registration if `actor` decides it and it waits for a decision. NotFound when they may not see it
    (another loket's supporter too: existence is never told); Conflict when it was decided already."""
    return _waiting(registration_id, _registrations_of(actor))


def _waiting(registration_id, query) -> ClubRegistration:
    """The registration of `query` with this id: NotFound when there is none (or it is unconfirmed), Conflict
    when it was decided already."""
    number = as_id(registration_id)
    registration = db.session.scalar(query.where(ClubRegistration.id == number,
                                                 ClubRegistration.state != "unconfirmed")) \
        if query is not None and number is not None else None
    if registration is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if registration.state != "pending":
        raise Conflict(DECIDED_MESSAGE)
    return registration



# ---------------------------------------------------------------- deciding

def approve(registration_id, actor: User, *, now: datetime | None = None) -> ClubRegistration:
    """Approve: a new club becomes active (its contact can file requests); a joining person becomes a contact
    of the club, with a login for it. Mailed to the person. Side effects: commits.
    :raises NotFound: not one `actor` decides. :raises Conflict: decided already."""
    now = now or utcnow()
    registration = _decidable(registration_id, actor)
    _decide(registration, "approved", actor, now)
    club, person = registration.club, registration.user
    if registration.kind == "new_club":
        club.status = "actief"
    elif club.id not in person.club_ids:
        person.memberships.append(Membership(role="club", club_id=club.id))
        db.session.add(ClubContact(club_id=club.id, name=person.name, email=person.email,
                                   function=registration.function, user_id=person.id))
    outbox.add_email("registration_approved", to=person.email, key=f"registration-decided:g{registration.id}",
                     context={"user_id": person.id, "club_name": club.name, "kind": registration.kind})
    commit()
    return registration


def reject(registration_id, actor: User, reason: str | None, *, now: datetime | None = None) -> ClubRegistration:
    """Reject with a reason, which is mailed to the person; a new club becomes `afgewezen` (and stays invisible).
    :raises InvalidInput: {"reason": …} when the reason is missing or too long. NotFound / Conflict as approve.
    Side effects: commits."""
    now = now or utcnow()
    registration = _decidable(registration_id, actor)
    errors: dict[str, str] = {}
    reason = _reason(errors, reason, REASON_MISSING_MESSAGE, what="De reden")
    if errors:
        raise InvalidInput(errors)
    _decide(registration, "rejected", actor, now, reason=reason)
    club, person = registration.club, registration.user
    if registration.kind == "new_club":
        club.status = "afgewezen"
    outbox.add_email("registration_rejected", to=person.email, key=f"registration-decided:g{registration.id}",
                     context={"user_id": person.id, "club_name": club.name, "kind": registration.kind,
                              "reason": reason})
    commit()
    return registration


def _decide(registration: ClubRegistration, state: str, actor: User, now: datetime, *, reason=None) -> None:
    """Record the decision in one conditional UPDATE, so two people deciding at once cannot both win."""
    won = db.session.execute(
        update(ClubRegistration).where(ClubRegistration.id == registration.id, ClubRegistration.state == "pending")
        .values(state=state, decided_at=now, decided_by_id=actor.id, reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db.session.rollback()
        raise Conflict(DECIDED_MESSAGE)
    db.session.refresh(registration)


# ---------------------------------------------------------------- handing over (doorzetten) and back

HANDOVER_REASON_MISSING = "Schrijf op waarom dit loket over de aanmelding kan besluiten."
HAND_BACK_REASON_MISSING = "Schrijf op waarom jullie loket hier niet over besluit; het coördinatiepunt leest dit."
LOKET_CHOICE_MESSAGE = "Kies een operationeel loket uit de lijst."


def get_for_handover(registration_id, actor: User) -> PendingRegistration:
    """A registration waiting nationally, as the coördinatiepunt sees it (club name, gemeente, kind; who
    registered left out), also when it was handed to a loket already. NotFound for anyone else."""
    registration = _waiting(registration_id, _at_coordinatiepunt_with_handed_over(actor))
    return _as_seen_by(actor, registration, possible_duplicates([registration]).get(registration.id, ()))


def _at_coordinatiepunt_with_handed_over(actor: User):
    if not actor.has_role("coordinatiepunt"):
        raise Forbidden("Alleen het landelijk coördinatiepunt zet aanmeldingen door naar een loket.")
    return _joined(select(ClubRegistration)).where(_without_operational_loket())


def hand_over(registration_id, *, actor: User, loket_id, reason: str | None,
              now: datetime | None = None) -> ClubRegistration:
    """The coördinatiepunt hands a registration it decides to an operational loket (e.g. a neighbour's), with a
    reason; that loket decides it from its Aanmeldingen as its own (or hands it back).

    :raises Forbidden: not the coördinatiepunt. :raises NotFound: not a registration waiting nationally.
    :raises Conflict: decided already, or handed over already. :raises InvalidInput: {"loket"|"reason": Dutch}.
    Side effects: the hand-over fields, a history row on the loket, its members mailed; commits.
    """
    now = now or utcnow()
    registration = _waiting(registration_id, _at_coordinatiepunt_with_handed_over(actor))
    if (current := _handover_of(registration)) is not None:
        raise Conflict(f"Deze aanmelding is al doorgezet naar {current.name}. Dat loket kan hem teruggeven.")
    errors: dict[str, str] = {}
    loket = _operational_loket(errors, loket_id)
    reason = _reason(errors, reason, HANDOVER_REASON_MISSING)
    if errors:
        raise InvalidInput(errors)
    _set_handover(registration, expected=registration.handover_loket_id,
                  values={"handover_loket_id": loket.id, "handover_reason": reason, "handed_over_at": now,
                          "handed_over_by_id": actor.id})
    history.record("loket", "aanmelding", None, _label(registration), actor=actor, loket_id=loket.id,
                   reason=reason, now=now)
    _tell_deciders(registration, ensure_team("loket", loket))
    commit()
    return registration


def hand_back(registration_id, *, actor: User, reason: str | None,
              now: datetime | None = None) -> ClubRegistration:
    """The loket the coördinatiepunt handed a registration to gives it back with a reason: it waits nationally
    again. :raises NotFound: not one `actor` decides. :raises Conflict: decided already, or not handed to their
    loket. :raises InvalidInput: {"reason": Dutch}. Side effects: the hand-over cleared, a history row on the
    loket (with the reason); commits."""
    now = now or utcnow()
    registration = _decidable(registration_id, actor)
    receiving = _handover_of(registration)
    if receiving is None or receiving.id not in actor.loket_ids:
        raise Conflict("Deze aanmelding is niet door het coördinatiepunt aan jullie loket doorgegeven; "
                       "besluit er zelf over.")
    errors: dict[str, str] = {}
    reason = _reason(errors, reason, HAND_BACK_REASON_MISSING)
    if errors:
        raise InvalidInput(errors)
    _set_handover(registration, expected=receiving.id,
                  values={"handover_loket_id": None, "handover_reason": None, "handed_over_at": None,
                          "handed_over_by_id": None})
    history.record("loket", "aanmelding", _label(registration), None, actor=actor, loket_id=receiving.id,
                   reason=reason, now=now)
    commit()
    return registration


def _operational_loket(errors: dict, value) -> Loket | None:
    loket = row_by_id(Loket, value)
    if loket is None:
        errors["loket"] = LOKET_CHOICE_MESSAGE
    elif not loket.is_operational:
        errors["loket"] = f"{loket.name} is nog niet operationeel en kan nog niet over aanmeldingen besluiten."
    return loket


def _reason(errors: dict, value, missing: str, *, what: str = "De toelichting") -> str:
    reason = required_text(errors, "reason", value if isinstance(value, str) else "", missing=missing,
                           limit=REASON_MAX, what=what)
    if "reason" not in errors and has_control_characters(reason, allowed="\t\n\r"):
        errors["reason"] = f"{what} kan geen stuurtekens (zoals een NUL-teken) bevatten."
    return reason


def _set_handover(registration: ClubRegistration, *, expected: int | None, values: dict) -> None:
    """Write the hand-over in one conditional UPDATE: a decision or another hand-over in between wins."""
    unchanged = (ClubRegistration.handover_loket_id.is_(None) if expected is None
                 else ClubRegistration.handover_loket_id == expected)
    won = db.session.execute(
        update(ClubRegistration).where(ClubRegistration.id == registration.id, ClubRegistration.state == "pending",
                                       unchanged)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db.session.rollback()
        raise Conflict("Deze aanmelding is intussen besloten of doorgezet. Laad de pagina opnieuw.")
    db.session.refresh(registration)


def _label(registration: ClubRegistration) -> str:
    """How a hand-over reads in the loket's history: the club and its gemeente (what the coördinatiepunt sees)."""
    return f"{registration.club.name} ({registration.club.gemeente.name})"


# ---------------------------------------------------------------- the club's own view

def status_of_own_clubs(user: User) -> dict[str, list[Club]]:
    """The user's clubs that cannot file yet, by status (aangemeld, afgewezen), for the club pages. No query:
    memberships and their clubs are loaded with the user."""
    waiting: dict[str, list[Club]] = {}
    for membership in user.memberships:
        if membership.role == "club" and membership.club.status != "actief":
            waiting.setdefault(membership.club.status, []).append(membership.club)
    return waiting



def own_join_requests(user: User) -> list[ClubRegistration]:
    """The clubs this person asked to join that have not decided yet (their start page says so). One query."""
    return list(db.session.scalars(
        select(ClubRegistration).options(joinedload(ClubRegistration.club))
        .where(ClubRegistration.user_id == user.id, ClubRegistration.kind == "join",
               ClubRegistration.state.in_(("unconfirmed", "pending")))
        .order_by(ClubRegistration.created_at)))
