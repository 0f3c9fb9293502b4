"""A loket's, bond's or landelijk initiatief's team as its people see and manage it: the members (role, lead or not,
last login) and open invitations; a lead removing a member of their own team; beheer appointing and removing team
leads.

Who may do what:
- the team's own members see the page (their colleagues), without any of the buttons; beheer sees every team;
- its leads and beheer invite, withdraw invitations (`invitations`) and remove members; removing a lead is
  beheer's, since beheer appoints them (a lead may leave the team themselves);
- only beheer appoints or removes a lead; a lead may step down themselves;
- the last lead can neither step down nor leave: nobody would be left to manage the team (409).

A person removed from their last team is switched off (`account.deactivate`: sessions and API tokens end,
their history stays). Every change is a history row (subject "membership") in the same commit.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from loket.extensions import db
from loket.models import ROLE_LABELS, Bond, Initiative, Loket, Membership, TeamInvitation, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, NotFound
from loket.services.network import account, history
from loket.services.network.invitations import (
    may_manage,
    membership_of,
    open_invitations,
    organisation_ids,
    team_organisation,
)
from loket.services.network.teams import MEMBER_ROLE, ORGANISATION_COLUMN, in_team, kind_of, organisation_key
from loket.services.transaction import commit
from loket.services.ids import row_by_id

PAGE_SIZE = 50
NOT_IN_TEAM = "Je hoort niet bij dit team. Alleen de leden van het team en beheer zien wie erin zit."
NOT_A_LEAD = "Alleen de coördinatoren van dit team en beheer halen iemand uit het team."
ONLY_BEHEER_APPOINTS = "Alleen beheer benoemt coördinatoren of haalt ze weg."
ONLY_BEHEER_REMOVES_LEADS = "Alleen beheer haalt een coördinator uit het team."
LAST_LEAD = ("Je bent de laatste coördinator van dit team. Vraag beheer eerst een andere coördinator te benoemen; "
             "daarna kun je stoppen.")
ACCOUNT_OFF = "Dit account staat uit. Beheer kan het eerst weer aanzetten."
NO_MEMBER = "Deze persoon zit niet (meer) in dit team."


@dataclass(frozen=True)
class TeamPage:
    """What the team page shows one viewer."""

    kind: str  # loket | bond | initiatief
    organisation: Loket | Bond | Initiative
    members: object  # a pagination of Membership rows (with .user), by name
    invitations: list[TeamInvitation]  # open ones; empty for a viewer who cannot manage
    lead_count: int
    can_manage: bool  # invite, withdraw, remove members
    can_appoint: bool  # beheer: make or remove leads

    @property
    def key(self) -> str:
        return organisation_key(self.organisation)

    @property
    def member_label(self) -> str:
        """What a member who is not a lead is called here: Clubondersteuner, Bondsspecialist, Medewerker …"""
        return ROLE_LABELS[MEMBER_ROLE[self.kind]]


def team_page(viewer: User, kind: str, key, *, page: int = 1, per_page: int = PAGE_SIZE,
              now: datetime | None = None) -> TeamPage:
    """The team of loket/bond/initiative `key` as `viewer` may see it (four queries, whatever the team's size).

    :raises NotFound: no such team. :raises Forbidden: the viewer is neither in the team nor beheer.
    """
    organisation = team_organisation(kind, key)
    if not (viewer.has_role("beheer") or membership_of(viewer, organisation) is not None):
        raise Forbidden(NOT_IN_TEAM)
    members = db.paginate(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(in_team(organisation)).order_by(User.name, User.id),
        page=page, per_page=per_page, error_out=False)
    can_manage = may_manage(viewer, organisation)
    return TeamPage(kind=kind, organisation=organisation, members=members,
                    invitations=open_invitations(organisation, now=now) if can_manage else [],
                    lead_count=_lead_count(organisation), can_manage=can_manage,
                    can_appoint=viewer.has_role("beheer"))


def own_team(user: User) -> tuple[str, str] | None:
    """(kind, key) of the first loket, bond or initiative team the user works in, or None."""
    for membership in user.memberships:
        if membership.role in MEMBER_ROLE.values():
            return kind_of(membership.organisation), organisation_key(membership.organisation)
    return None


def remove_member(actor: User, kind: str, key, membership_id, *, now: datetime | None = None) -> User:
    """Take a person out of this team (their membership is deleted); someone left without any role is switched
    off. Returns the person. Side effects: history rows; commits.

    :raises NotFound: no such team, or the membership is not one of it.
    :raises Forbidden: the actor is no lead of this team (nor beheer), or a lead removes another lead.
    :raises Conflict: the last lead removes themselves.
    """
    now = now or utcnow()
    organisation = team_organisation(kind, key)
    membership = _membership_in(organisation, membership_id)
    if not may_manage(actor, organisation):
        raise Forbidden(NOT_A_LEAD)
    person = membership.user
    themselves = person.id == actor.id
    if membership.is_team_lead and not themselves and not actor.has_role("beheer"):
        raise Forbidden(ONLY_BEHEER_REMOVES_LEADS)
    if membership.is_team_lead and themselves and _lead_count(organisation) <= 1:
        raise Conflict(LAST_LEAD)
    person.memberships.remove(membership)  # delete-orphan: the row goes at the flush
    history.record("membership", "membership", ROLE_LABELS[membership.role], None, actor=actor, user_id=person.id,
                   now=now, reason="uit het team gehaald", **organisation_ids(organisation))
    if not person.memberships:
        account.deactivate(person, actor=actor, reason=f"geen rol meer na vertrek uit {organisation.name}")
    commit()
    return person


def set_team_lead(actor: User, kind: str, key, membership_id, lead: bool, *,
                  now: datetime | None = None) -> Membership:
    """Make a member of the team a lead (coördinator) or not. Beheer does both; a lead may only step down.
    Side effects: a history row; commits (nothing when unchanged).

    :raises NotFound: no such team or member of it. :raises Forbidden: not beheer (and not stepping down).
    :raises Conflict: the last lead steps down, or the account to appoint is switched off.
    """
    now = now or utcnow()
    organisation = team_organisation(kind, key)
    membership = _membership_in(organisation, membership_id)
    themselves = membership.user_id == actor.id
    stepping_down = themselves and membership.is_team_lead and not lead
    if not actor.has_role("beheer") and not stepping_down:
        raise Forbidden(ONLY_BEHEER_APPOINTS)
    if membership.is_team_lead == bool(lead):
        return membership
    if stepping_down and _lead_count(organisation) <= 1:
        raise Conflict(LAST_LEAD)
    if lead and not membership.user.active:
        raise Conflict(ACCOUNT_OFF)
    membership.is_team_lead = bool(lead)
    history.record("membership", "team_lead", not lead, bool(lead), actor=actor, user_id=membership.user_id,
                   now=now, **organisation_ids(organisation))
    commit()
    return membership


def _lead_count(organisation) -> int:
    """The team's leads whose account is on (a switched-off lead manages nothing)."""
    return db.session.scalar(select(func.count(Membership.id)).join(User, User.id == Membership.user_id)
                             .where(in_team(organisation), Membership.is_team_lead.is_(True), User.active))


def _membership_in(organisation, membership_id) -> Membership:
    membership = row_by_id(Membership, membership_id) if isinstance(membership_id, int) else None
    if membership is None or membership.role != MEMBER_ROLE[kind_of(organisation)] \
            or getattr(membership, ORGANISATION_COLUMN[kind_of(organisation)]) != organisation.id:
        raise NotFound(NO_MEMBER)
    return membership
