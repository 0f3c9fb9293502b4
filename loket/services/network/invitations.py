"""Invitations into a loket's, bond's or landelijk initiatief's team: a lead (or beheer) invites a colleague by
email, and the colleague accepts through the mailed link.

- Only the team's own leads (coördinatoren) and beheer invite, and only into that team; only beheer invites
  someone as lead (beheer appoints coördinatoren).
- The link is single use and expires after TEAM_INVITATION_DAYS; only its SHA-256 is stored (the token code is
  `account_tokens`'). Inviting the same address into the same team again revokes the older open invitation.
- Accepting without an account makes one (name and password chosen by the invitee; the address counts as
  confirmed: they followed the mailed link) with that membership. With an account already, the invitee proves
  it is theirs (logged in on the page, or its password over the API) and the membership is added.

Every change is a history row (subject "membership") in the same transaction as the change.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from loket.extensions import db
from loket.models import ROLE_LABELS, Bond, Initiative, Loket, Membership, TeamInvitation, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.messaging import outbox
from loket.services.messaging.mail import site_path
from loket.services.network import account_tokens, history
from loket.services.network.account import InvalidLink
from loket.services.network.passwords import password_problem, verify_password
from loket.services.network.teams import (
    MEMBER_ROLE,
    ORGANISATION_COLUMN,
    is_team_lead,
    kind_of,
    organisation_key,
    team_of,
)
from loket.services.network.users import (
    NAME_MAX,
    MembershipSpec,
    create_user,
    find_by_email,
    normalise_email,
)
from loket.services.text import EMAIL_MAX, clean_name, has_control_characters
from loket.services.transaction import commit
from loket.services.ids import as_key, row_by_id

NO_TEAM = "Dit team bestaat niet."
NOT_A_LEAD = "Alleen de coördinatoren van dit team en beheer nodigen collega's uit."
ONLY_BEHEER_APPOINTS = "Alleen beheer benoemt coördinatoren."
ALREADY_MEMBER = "{email} is al lid van het team van {team}."
ACCOUNT_OFF = ("Het account met dit e-mailadres staat uit. Beheer kan het weer aanzetten; daarna kan de "
               "uitnodiging worden aangenomen.")
HAS_ACCOUNT = "Er is al een account met dit e-mailadres. Log eerst in; daarna kun je lid worden van het team."
OTHER_ADDRESS = ("Deze uitnodiging is voor een ander e-mailadres. Log in met het adres waarop je de uitnodiging "
                 "kreeg.")
NO_INVITATION = "Deze uitnodiging bestaat niet (meer)."
NOT_OPEN = "Deze uitnodiging is al aangenomen of ingetrokken."
# The link's refusals: the same words for a wrong token and a wrong password (over the API), so an answer
# never tells whether an address has an account.
INVALID = "Deze uitnodiging klopt niet. Vraag de coördinator van het team om een nieuwe."
EXPIRED = "Deze uitnodiging is verlopen. Vraag de coördinator van het team om een nieuwe."
USED = "Deze uitnodiging is al gebruikt. Log in met je account, of vraag de coördinator om een nieuwe."
REVOKED = "Deze uitnodiging is ingetrokken. Vraag de coördinator van het team om een nieuwe."
EMAIL_MESSAGE = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."


@dataclass(frozen=True)
class OpenInvitation:
    """A link that still works, with the account its address already has (None: the invitee makes one)."""

    invitation: TeamInvitation
    holder: User | None

    @property
    def team_name(self) -> str:
        return self.invitation.organisation.name


# ---------------------------------------------------------------- whose team

Organisation = Loket | Bond | Initiative


def team_organisation(kind: str, key) -> Organisation:
    """The loket (by slug), bond or landelijk initiatief (by key) whose team this is. NotFound for anything else,
    also for typed text that names nothing (too long, a NUL), checked before any query."""
    if kind not in MEMBER_ROLE or as_key(key) is None:
        raise NotFound(NO_TEAM)
    team = team_of(kind, key)
    if team is None:
        raise NotFound(NO_TEAM)
    return team.organisation


def may_manage(user: User, organisation: Organisation) -> bool:
    """Beheer, or a lead of this very team (a lead elsewhere manages nothing here). Loaded memberships only."""
    return user.has_role("beheer") or is_team_lead(user, kind_of(organisation), organisation.id)


def organisation_ids(organisation: Organisation) -> dict[str, int]:
    """The history row's (and the membership's and invitation's) foreign key of the organisation: loket_id, bond_id
    or initiative_id (teams.ORGANISATION_COLUMN)."""
    return {ORGANISATION_COLUMN[kind_of(organisation)]: organisation.id}


def _column(model, organisation: Organisation):
    """The column of `model` (Membership, TeamInvitation) naming the organisation's team."""
    return getattr(model, ORGANISATION_COLUMN[kind_of(organisation)])


def open_invitations(organisation: Organisation, *, now: datetime | None = None) -> list[TeamInvitation]:
    """The team's invitations that still work, newest first, with who sent them (one query)."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(TeamInvitation).options(joinedload(TeamInvitation.invited_by))
        .where(_column(TeamInvitation, organisation) == organisation.id, TeamInvitation.accepted_at.is_(None),
               TeamInvitation.revoked_at.is_(None), TeamInvitation.expires_at > now)
        .order_by(TeamInvitation.id.desc())))


# ---------------------------------------------------------------- inviting

def invite(actor: User, kind: str, key, *, email, name=None, team_lead: bool = False,
           now: datetime | None = None) -> TeamInvitation:
    """Invite `email` into the team of loket/bond/initiative `key` and mail the link. Side effects: revokes an older
    open invitation of the address into this team, the invitation, a history row and the mail, in one commit.

    :raises NotFound: no such loket, bond or initiative.
    :raises Forbidden: the actor is no lead of this team (nor beheer), or a lead asks to invite a lead.
    :raises InvalidInput: "email" or "name" (Dutch).
    :raises Conflict: the address already has this membership, or belongs to an account that is switched off.
    """
    now = now or utcnow()
    organisation = team_organisation(kind, key)
    if not may_manage(actor, organisation):
        raise Forbidden(NOT_A_LEAD)
    if team_lead and not actor.has_role("beheer"):
        raise Forbidden(ONLY_BEHEER_APPOINTS, field="team_lead")
    errors: dict[str, str] = {}
    email = _checked_email(errors, email)
    name = _checked_name(errors, name, required=False)
    if errors:
        raise InvalidInput(errors)
    holder = find_by_email(email)
    if holder is not None and membership_of(holder, organisation) is not None:
        raise Conflict(ALREADY_MEMBER.format(email=email, team=organisation.name), field="email")
    if holder is not None and not holder.active:
        raise Conflict(ACCOUNT_OFF, field="email")
    _revoke_open(organisation, email, actor, now)
    token, token_hash = account_tokens.new_token()
    days = current_app.config["TEAM_INVITATION_DAYS"]
    invitation = TeamInvitation(email=email, name=name or None, role=MEMBER_ROLE[kind], team_lead=bool(team_lead),
                                token_hash=token_hash, invited_by=actor, created_at=now,
                                expires_at=now + timedelta(days=days), **organisation_ids(organisation))
    db.session.add(invitation)
    db.session.flush()
    history.record("membership", "invitation", None, email, actor=actor, now=now,
                   reason="als coördinator" if team_lead else None, **organisation_ids(organisation))
    outbox.add_email("team_invitation", to=email, key=f"team-invitation:i{invitation.id}",
                     context={"team_name": organisation.name, "inviter_name": actor.name,
                              "invitee_name": name or None, "team_lead": bool(team_lead), "days": days,
                              "has_account": holder is not None,
                              "link_path": site_path("team.invitation", token=token)})
    commit()
    return invitation


def revoke(actor: User, kind: str, key, invitation_id, *, now: datetime | None = None) -> TeamInvitation:
    """Withdraw an open invitation of this team: its link stops working. Side effects: a history row; commits.

    :raises NotFound: no such team or invitation of it. :raises Forbidden: not a lead of it (nor beheer).
    :raises Conflict: already accepted or revoked.
    """
    now = now or utcnow()
    organisation = team_organisation(kind, key)
    invitation = _invitation_of(organisation, invitation_id)
    if not may_manage(actor, organisation):
        raise Forbidden(NOT_A_LEAD)
    if not invitation.is_open:
        raise Conflict(NOT_OPEN)
    invitation.revoked_at = now
    history.record("membership", "invitation", invitation.email, None, actor=actor, now=now, reason="ingetrokken",
                   **organisation_ids(organisation))
    commit()
    return invitation


def _revoke_open(organisation, email: str, actor: User, now: datetime) -> None:
    for older in db.session.scalars(select(TeamInvitation).where(
            TeamInvitation.email == email, TeamInvitation.accepted_at.is_(None), TeamInvitation.revoked_at.is_(None),
            _column(TeamInvitation, organisation) == organisation.id)):
        older.revoked_at = now
        history.record("membership", "invitation", email, None, actor=actor, now=now,
                       reason="vervangen door een nieuwe uitnodiging", **organisation_ids(organisation))


def _invitation_of(organisation, invitation_id) -> TeamInvitation:
    invitation = row_by_id(TeamInvitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None or invitation.organisation is not organisation:
        raise NotFound(NO_INVITATION)
    return invitation


# ---------------------------------------------------------------- following the link

def open_invitation(token, *, now: datetime | None = None) -> OpenInvitation:
    """The invitation behind a mailed link, without using it (to show the page behind the link).

    :raises InvalidLink: (400, Dutch) wrong, expired, used or revoked.
    """
    now = now or utcnow()
    token_hash = account_tokens.digest_of(token)
    invitation = None if token_hash is None else db.session.scalar(
        select(TeamInvitation).where(TeamInvitation.token_hash == token_hash))
    if invitation is None:
        raise InvalidLink(INVALID)
    if invitation.accepted_at is not None:
        raise InvalidLink(USED)
    if invitation.revoked_at is not None:
        raise InvalidLink(REVOKED)
    if invitation.expires_at <= now:
        raise InvalidLink(EXPIRED)
    return OpenInvitation(invitation, find_by_email(invitation.email))


def accept_with_new_account(token, *, name, password, signed_in: bool = False,
                            now: datetime | None = None) -> User:
    """Accept with a new account: the invitee's name and password, the invited address (confirmed) and the
    team's membership. Returns the user. Side effects: the link is used up; history rows; commits.

    :param signed_in: the caller starts a login session for the new user (their first login is now).
    :raises InvalidLink: the link does not work. :raises InvalidInput: "name" / "password" (Dutch).
    :raises Conflict: the address has an account (they log in and join instead).
    """
    now = now or utcnow()
    found = open_invitation(token, now=now)
    if found.holder is not None:
        raise Conflict(HAS_ACCOUNT)
    return _create_member(found.invitation, name, password, signed_in=signed_in, now=now)


def join_with_account(token, user: User, *, now: datetime | None = None) -> User:
    """Accept as the logged-in holder of the invited address: the team's membership is added. Commits.

    :raises InvalidLink: the link does not work. :raises Forbidden: logged in with another address.
    """
    now = now or utcnow()
    found = open_invitation(token, now=now)
    if found.holder is None or found.holder.id != user.id:
        raise Forbidden(OTHER_ADDRESS)
    return _join(found.invitation, user, now)


def accept(token, *, name, password, now: datetime | None = None) -> User:
    """The API's one door: a new account (name + password), or, for an address with an account, that account's
    password adds the membership. A wrong password is refused with the words of a wrong link.

    :raises InvalidLink: wrong link, or wrong password. :raises InvalidInput: for a new account's name/password.
    :raises Conflict: the account of the address is switched off.
    """
    now = now or utcnow()
    found = open_invitation(token, now=now)
    if found.holder is None:
        return _create_member(found.invitation, name, password, signed_in=False, now=now)
    if not isinstance(password, str) or not verify_password(found.holder.password_hash, password):
        raise InvalidLink(INVALID)
    if not found.holder.active:
        raise Conflict(ACCOUNT_OFF)
    return _join(found.invitation, found.holder, now)


def _create_member(invitation: TeamInvitation, name, password, *, signed_in: bool, now: datetime) -> User:
    errors: dict[str, str] = {}
    name = _checked_name(errors, name, required=True)
    problem = password_problem(password if isinstance(password, str) else "", email=invitation.email, name=name)
    if problem:
        errors["password"] = problem
    if errors:
        raise InvalidInput(errors)
    organisation = invitation.organisation
    # MembershipSpec names a team's organisation by its relationship (loket, bond, initiative) and URL key.
    spec = MembershipSpec(role=invitation.role, team_lead=invitation.team_lead,
                          **{_relationship(organisation): organisation_key(organisation)})
    user = create_user(email=invitation.email, name=name, password=password, memberships=[spec], commit=False,
                       confirmed=True)
    user.created_at = now
    if signed_in:
        user.last_login_at = now
    db.session.flush()
    _record_joined(invitation, user, user.memberships[0], now)
    return _use(invitation, user, now)


def _join(invitation: TeamInvitation, user: User, now: datetime) -> User:
    organisation = invitation.organisation
    membership = membership_of(user, organisation)
    if membership is None:
        membership = Membership(role=invitation.role, is_team_lead=invitation.team_lead, created_at=now,
                                **{_relationship(organisation): organisation})
        user.memberships.append(membership)
        _record_joined(invitation, user, membership, now)
    elif invitation.team_lead and not membership.is_team_lead:
        membership.is_team_lead = True
        history.record("membership", "team_lead", False, True, actor=invitation.invited_by, user_id=user.id,
                       now=now, reason="uitnodiging aangenomen", **organisation_ids(organisation))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now  # they followed the link mailed to the address
    return _use(invitation, user, now)


def _record_joined(invitation: TeamInvitation, user: User, membership: Membership, now: datetime) -> None:
    """The role granted (by whoever invited), and an appointment as lead when the invitation was one."""
    ids = organisation_ids(invitation.organisation)
    history.record("membership", "membership", None, ROLE_LABELS[membership.role], actor=invitation.invited_by,
                   user_id=user.id, now=now, reason="uitnodiging aangenomen", **ids)
    if membership.is_team_lead:
        history.record("membership", "team_lead", False, True, actor=invitation.invited_by, user_id=user.id,
                       now=now, reason="uitnodiging aangenomen", **ids)


def _use(invitation: TeamInvitation, user: User, now: datetime) -> User:
    """Mark the link used in one conditional UPDATE (two clicks at once: one wins), then commit."""
    db.session.flush()
    won = db.session.execute(
        update(TeamInvitation).where(TeamInvitation.id == invitation.id, TeamInvitation.accepted_at.is_(None),
                                     TeamInvitation.revoked_at.is_(None))
        .values(accepted_at=now, accepted_by_id=user.id).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db.session.rollback()
        raise InvalidLink(USED)
    try:
        commit()
    except IntegrityError:  # the address got an account a moment earlier, by the same link
        db.session.rollback()
        raise InvalidLink(USED) from None
    return user


# ---------------------------------------------------------------- input

def membership_of(user: User, organisation) -> Membership | None:
    """The user's membership of this loket's, bond's or initiative's team, from the loaded memberships (no
    query)."""
    kind = kind_of(organisation)
    return next((m for m in user.memberships if m.role == MEMBER_ROLE[kind]
                 and getattr(m, ORGANISATION_COLUMN[kind]) == organisation.id), None)


def _relationship(organisation: Organisation) -> str:
    """The name of the relationship on Membership (and the field of MembershipSpec): loket, bond, initiative."""
    return ORGANISATION_COLUMN[kind_of(organisation)].removesuffix("_id")


def _checked_email(errors: dict, email) -> str:
    email = normalise_email(email if isinstance(email, str) else "")
    if not email:
        errors["email"] = "Vul het e-mailadres in van wie je uitnodigt."
    elif len(email) > EMAIL_MAX:
        errors["email"] = f"Een e-mailadres heeft hooguit {EMAIL_MAX} tekens."
    elif has_control_characters(email):
        errors["email"] = EMAIL_MESSAGE
    else:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            errors["email"] = EMAIL_MESSAGE
    return email


def _checked_name(errors: dict, name, *, required: bool) -> str:
    name = name if isinstance(name, str) else ""
    if not required and not name.strip():
        return ""
    name = clean_name(errors, name, NAME_MAX, missing="Vul je naam in.")
    if "name" not in errors and has_control_characters(name):
        errors["name"] = "Een naam kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    return name
