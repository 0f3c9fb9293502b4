"""Working across teams: who may do what on a request, referrals (doorverwijzing), and invited
collaborators (inschakelen). Each write commits exactly once.

- The owning team does everything: claim, assign, status, reply, note, refer, invite.
- A team with an open referral proposal reads the request, writes internal notes, accepts or declines.
- An invited team reads, writes internal notes and public replies; ownership and the clock stay put.
- The coördinatiepunt hands a request from the fallback queue to an operational loket (`hand_over_from_fallback`):
  a referral from the fallback team, which that loket accepts or declines like any other. It chooses from
  metadata only and never passes `supporter_access` (it works in no loket, bond or initiative team), so it never
  reads the request.
- Every kind of team (loket, bond, landelijk initiatief) can be referred to or invited; a club never files to an
  initiative directly (routing picks only loketten, bonden and the fallback queue), so an initiative owns a request
  only by accepting a referral.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select
from sqlalchemy.orm import aliased, defaultload, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from loket.extensions import db
from loket.models import (
    Bond,
    CannedReply,
    Club,
    Collaborator,
    Event,
    Initiative,
    Loket,
    Referral,
    SupportRequest,
    Team,
    User,
)
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.messaging import notifications
from loket.services.network.teams import members_of, members_of_teams, team_ids_of, works_in
from loket.services.text import has_control_characters
from loket.services.requests import actions, mentions, workflow
from loket.services.requests import queues as queues_service
from loket.services.requests import request_search
from loket.services.requests.service_levels import service_levels_of
from loket.services.requests.workdays import add_workdays
from loket.services.transaction import commit
from loket.services.ids import row_by_id

REASON_MAX = 2000
FALLBACK_NOT_FOUND = "Deze aanvraag staat niet (meer) in de opvangwachtrij."


@dataclass(frozen=True)
class SupporterAccess:
    """What a supporter may do with one request, given the teams they work in."""

    request: SupportRequest
    team_ids: frozenset[int]
    open_referral: Referral | None
    collaborations: tuple[Collaborator, ...]
    viewer_id: int | None = None  # the supporter these rights are for

    @property
    def reader_team_ids(self) -> frozenset[int]:
        """The teams who may read this request (the one rule, for any person): the owning team, a team with an
        open referral proposal, every invited team still working on it."""
        return frozenset({self.request.owner_team_id, *((self.open_referral.to_team_id,) if self.open_referral
                                                        else ()), *(c.team_id for c in self.collaborations)})

    @property
    def is_owner(self) -> bool:
        return self.request.owner_team_id in self.team_ids

    @property
    def is_referral_receiver(self) -> bool:
        return self.open_referral is not None and self.open_referral.to_team_id in self.team_ids

    @property
    def is_collaborator(self) -> bool:
        return any(c.team_id in self.team_ids for c in self.collaborations)

    @property
    def can_manage(self) -> bool:
        return self.is_owner

    @property
    def can_reply(self) -> bool:
        return self.is_owner or self.is_collaborator

    @property
    def can_note(self) -> bool:
        return self.is_owner or self.is_collaborator or self.is_referral_receiver

    @property
    def may_claim(self) -> bool:
        """The owning team picks up a request nobody has yet."""
        return self.is_owner and self.request.assignee_id is None

    @property
    def may_unclaim(self) -> bool:
        """Only the assignee gives a request back to the team."""
        return self.is_owner and self.viewer_id is not None and self.request.assignee_id == self.viewer_id

    def may_end(self, collaboration: Collaborator) -> bool:
        """The owning team may end any collaboration; an invited team may only step out of its own."""
        return self.is_owner or collaboration.team_id in self.team_ids


def supporter_access(user: User, request_id: int, *, for_page: bool = False) -> SupporterAccess:
    """The request with the user's rights on it; NotFound when the user's teams have no part in it.

    One query: the request with its open referral (and both its teams) and the collaborations still running (and
    their teams). `for_page` loads in that same query what the request's page shows of it besides: its assignee,
    requester and the supporter who filed it (without their memberships), the request it was merged into, and its
    club's contact persons and sports; the referral's and collaborations' teams are left to `page_teams`, which
    reads every team the page names in one query."""
    query = (select(SupportRequest, Referral, Collaborator)
             .outerjoin(Referral, (Referral.request_id == SupportRequest.id) & (Referral.state == "voorgesteld"))
             .outerjoin(Collaborator, (Collaborator.request_id == SupportRequest.id) & Collaborator.ended_at.is_(None))
             .where(SupportRequest.id == request_id)
             .order_by(Collaborator.id))
    if for_page:
        query = query.options(
            *(joinedload(person).lazyload(User.memberships)
              for person in (SupportRequest.assignee, SupportRequest.requester, SupportRequest.filed_by)),
            joinedload(SupportRequest.merged_into).lazyload("*"),
            defaultload(SupportRequest.club).joinedload(Club.contacts),
            defaultload(SupportRequest.club).joinedload(Club.sports),
            lazyload(Referral.from_team), lazyload(Referral.to_team), lazyload(Collaborator.team))
    rows = db.session.execute(query).unique().all()
    if not rows:
        raise NotFound(queues_service.NOT_FOUND_MESSAGE)
    request, open_referral = rows[0][0], rows[0][1]
    collaborations = tuple({c.id: c for _, _, c in rows if c is not None}.values())
    access = SupporterAccess(request, frozenset(team_ids_of(user)), open_referral, collaborations,
                             viewer_id=user.id)
    if not access.team_ids & access.reader_team_ids:
        raise NotFound(queues_service.NOT_FOUND_MESSAGE)
    return access


def _open_referral(request: SupportRequest) -> Referral | None:
    return db.session.scalar(
        select(Referral).where(Referral.request_id == request.id, Referral.state == "voorgesteld"))


def require_owner(access: SupporterAccess) -> None:
    if not access.is_owner:
        raise Forbidden("Alleen het team dat de aanvraag behandelt kan dit doen.")


def _reason(value: str | None, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput({field: missing})
    if len(value) > REASON_MAX:
        raise InvalidInput({field: f"Houd de toelichting korter dan {REASON_MAX} tekens (nu {len(value)})."})
    if has_control_characters(value, allowed="\t\n\r"):
        raise InvalidInput({field: "De toelichting kan geen stuurtekens (zoals een NUL-teken) bevatten."})
    return value




# How the choice lists group the teams a request can go to, in this order.
TARGET_GROUPS = {"loket": "Loketten", "bond": "Bonden en brancheorganisaties",
                 "initiatief": "Landelijke initiatieven"}
TARGET_MISSING = "Kies een loket, bond of landelijk initiatief uit de lijst."


def _is_target():
    """The condition on a team, with its loket and bond joined, that it takes referrals and invitations."""
    return (((Team.kind == "loket") & (Loket.status == "operationeel"))
            | ((Team.kind == "bond") & Bond.aangesloten)
            | (Team.kind == "initiatief"))


def _in_target_order(teams, exclude_team_id: int | None) -> list:
    order = list(TARGET_GROUPS)
    return sorted((t for t in teams if t.id != exclude_team_id), key=lambda t: (order.index(t.kind), t.name))


def _grouped(targets) -> dict[str, list]:
    groups: dict[str, list] = {}
    for team in targets:
        groups.setdefault(TARGET_GROUPS[team.kind], []).append(team)
    return groups


def referral_targets(exclude_team_id: int | None = None) -> list[Team]:
    """Teams a request can be referred to or shared with: operational loketten, aangesloten bonden and every
    landelijk initiatief; loketten first, then bonden, then initiatieven, each by name. One query."""
    teams = db.session.scalars(
        select(Team).outerjoin(Loket, Team.loket_id == Loket.id).outerjoin(Bond, Team.bond_id == Bond.id)
        .where(_is_target())
    ).all()
    return _in_target_order(teams, exclude_team_id)


def referral_target_groups(exclude_team_id: int | None = None) -> dict[str, list[Team]]:
    """referral_targets by kind, under the Dutch group label (TARGET_GROUPS); groups without teams left out."""
    return _grouped(referral_targets(exclude_team_id))


@dataclass(frozen=True)
class Target:
    """A team in the referral and invitation lists, as the page names it (a landelijk initiatief also with what
    the page tells of it: its description and address)."""

    id: int
    kind: str
    name: str
    description: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PageTeams:
    """The lists of teams on a request's page (`page_teams`)."""

    target_groups: dict[str, list[Target]]  # as referral_target_groups
    canned_replies: list[CannedReply]  # as canned_replies.usable_by


def page_teams(access: SupporterAccess, *, targets: bool, canned: bool) -> PageTeams:
    """Every team a request's page names, in one query.

    - When `targets`: the teams the request can be referred to or shared with, grouped and ordered as
      `referral_target_groups` (without its owner), as plain values (`Target`): hundreds of them, of which the
      page reads the id and name only (and an initiative's description and address).
    - The teams of its open referral and of its collaborations, as rows, set on the referral and collaborations
      (`supporter_access(..., for_page=True)` leaves them to this query).
    - When `canned`: the sjablonen of every team the viewer works in, with their teams, by team and title
      (`canned_replies.usable_by`: the same rule, the same order).
    """
    named = {team_id for _, _, team_id in _named_teams(access)}
    own_team_ids = sorted(access.team_ids) if canned else []
    if not (targets or named or own_team_ids):
        return PageTeams({}, [])
    is_target = _is_target() if targets else false()
    is_own = Team.id.in_(own_team_ids) if own_team_ids else false()
    is_shown = Team.id.in_(sorted(named | set(own_team_ids))) if named or own_team_ids else false()
    shown = aliased(Team)  # the team as a row, only where the page reads more of it than its name
    rows = db.session.execute(
        # Team.name as SQL: the name of the team's one organisation (a target is never the fallback team)
        select(Team.id, Team.kind, func.coalesce(Loket.name, Bond.name, Initiative.name),
               Initiative.description, Initiative.email, is_target, shown, CannedReply)
        .outerjoin(Loket, Team.loket_id == Loket.id).outerjoin(Bond, Team.bond_id == Bond.id)
        .outerjoin(Initiative, Team.initiative_id == Initiative.id)
        .outerjoin(shown, (shown.id == Team.id) & is_shown)
        .outerjoin(CannedReply, (CannedReply.team_id == Team.id) & is_own)
        .where(is_target | is_shown)
        .options(lazyload(CannedReply.team))  # the row's `shown` team, set below
        .order_by(CannedReply.team_id, CannedReply.title, CannedReply.id))
    found: dict[int, Target] = {}
    teams: dict[int, Team] = {}
    canned_replies = []
    for team_id, kind, name, description, email, target, team, canned_reply in rows:
        if target:
            found.setdefault(team_id, Target(team_id, kind, name, description, email))
        if team is not None:
            teams[team_id] = team
        if canned_reply is not None:
            set_committed_value(canned_reply, "team", team)
            canned_replies.append(canned_reply)
    for row, attribute, team_id in _named_teams(access):
        if team_id in teams:
            set_committed_value(row, attribute, teams[team_id])
    return PageTeams(_grouped(_in_target_order(found.values(), access.request.owner_team_id)), canned_replies)


def _named_teams(access: SupporterAccess):
    """(row, attribute, team id) of each team the request's open referral and collaborations name."""
    referral = access.open_referral
    if referral is not None:
        yield referral, "from_team", referral.from_team_id
        yield referral, "to_team", referral.to_team_id
    for collaboration in access.collaborations:
        yield collaboration, "team", collaboration.team_id


def assignable(request: SupportRequest) -> list[User]:
    """The people the request can be assigned to: the active members of its owning team, by name
    (`teams.members_of`), without their memberships. One query."""
    return members_of(request.owner_team, memberships=False)


def _target_team(team_id) -> Team:
    team = row_by_id(Team, team_id)
    if team is None or team.kind not in TARGET_GROUPS:
        raise InvalidInput({"team": TARGET_MISSING})
    if team.kind == "loket" and not team.loket.is_operational:
        raise InvalidInput({"team": f"{team.name} is nog niet operationeel en kan geen aanvragen aannemen."})
    if team.kind == "bond" and not team.bond.aangesloten:
        raise InvalidInput({"team": f"{team.name} is nog niet aangesloten bij het netwerk."})
    return team


# ---------------------------------------------------------------- referrals

def propose_referral(access: SupporterAccess, *, actor: User, to_team_id, reason: str,
                     now: datetime | None = None) -> Referral:
    """Propose handing the request to another team. The request shows in both queues until decided.

    Side effects: status → doorverwezen; 'referral_proposed' + status events; commits.
    """
    now = now or utcnow()
    require_owner(access)
    team = _target_team(to_team_id)
    reason = _reason(reason, "reason", "Leg kort uit waarom je doorverwijst.")
    return _propose(access.request, access.open_referral, to_team=team, reason=reason, actor=actor, now=now)


def _propose(request: SupportRequest, open_referral: Referral | None, *, to_team: Team, reason: str, actor: User,
             now: datetime) -> Referral:
    """The one place a referral is made: from the request's owning team to `to_team` (checked by the caller)."""
    if to_team.id == request.owner_team_id:
        raise InvalidInput({"team": "Deze aanvraag ligt al bij dit team."})
    if open_referral is not None:
        raise Conflict("Er loopt al een doorverwijzing voor deze aanvraag; wacht het besluit af of trek hem in.")
    if request.status in ("opgelost", "gesloten"):
        raise Conflict("Een afgeronde aanvraag kun je niet doorverwijzen.")
    referral = Referral(request=request, from_team_id=request.owner_team_id, to_team=to_team, reason=reason,
                        status_before=request.status, proposed_by=actor, created_at=now,
                        due_at=add_workdays(now, workflow.REFERRAL_WORKDAYS))
    db.session.add(referral)
    actions.add_event(request, "referral_proposed", actor, now, body=reason,
                      data=_team_data(request.owner_team, to_team))
    actions.change_status_in_transaction(request, "doorverwezen", actor, now, system=True)
    db.session.flush()
    notifications.referral_proposed(referral)
    commit()
    return referral


def accept_referral(access: SupporterAccess, *, actor: User, now: datetime | None = None) -> None:
    """The receiving team takes over: it becomes owner, the clock restarts with its service levels."""
    now = now or utcnow()
    referral = _open_referral_for_receiver(access)
    request = access.request
    referral.state, referral.decided_by, referral.decided_at = "geaccepteerd", actor, now
    request.owner_team = referral.to_team
    request.assignee = None
    for collaboration in access.collaborations:
        if collaboration.team_id == referral.to_team_id:  # the new owner no longer needs an invitation
            collaboration.ended_at, collaboration.ended_by_id = now, actor.id
    actions.add_event(request, "referral_accepted", actor, now, public=True,
                               data=_team_data(referral.from_team, referral.to_team))
    actions.change_status_in_transaction(request, "nieuw", actor, now, system=True)
    workflow.restart_clock_for_new_owner(request, now, service_levels_of(referral.to_team))
    notifications.referral_decided(referral)
    commit()


def decline_referral(access: SupporterAccess, *, actor: User, reason: str, now: datetime | None = None) -> None:
    """The receiving team declines with a reason; the request returns to the sender as it was."""
    now = now or utcnow()
    referral = _open_referral_for_receiver(access)
    reason = _reason(reason, "reason", "Leg uit waarom je de doorverwijzing afwijst.")
    referral.state, referral.decided_by, referral.decided_at = "afgewezen", actor, now
    referral.decline_reason = reason
    actions.add_event(access.request, "referral_declined", actor, now, body=reason,
                               data=_team_data(referral.from_team, referral.to_team))
    actions.change_status_in_transaction(access.request, referral.status_before, actor, now, system=True)
    notifications.referral_decided(referral)
    commit()


def withdraw_referral(access: SupporterAccess, *, actor: User, now: datetime | None = None) -> None:
    """The sending team takes its proposal back before it is decided."""
    now = now or utcnow()
    require_owner(access)
    _withdraw(access.request, access.open_referral, actor=actor, now=now)


def _withdraw(request: SupportRequest, referral: Referral | None, *, actor: User, now: datetime) -> None:
    if referral is None:
        raise Conflict("Er loopt geen doorverwijzing voor deze aanvraag.")
    referral.state, referral.decided_by, referral.decided_at = "ingetrokken", actor, now
    actions.add_event(request, "referral_withdrawn", actor, now,
                      data=_team_data(referral.from_team, referral.to_team))
    actions.change_status_in_transaction(request, referral.status_before, actor, now, system=True)
    commit()


def _open_referral_for_receiver(access: SupporterAccess) -> Referral:
    if access.open_referral is None:
        raise Conflict("Deze doorverwijzing is al besloten of ingetrokken.")
    if not access.is_referral_receiver:
        raise Forbidden("Alleen het team waarnaar is doorverwezen kan dit besluiten.")
    return access.open_referral


def _team_data(from_team: Team, to_team: Team) -> dict:
    # Names are stored as they were at the time, so the timeline reads right even after renames.
    return {"from_team_id": from_team.id, "from_team": from_team.name,
            "to_team_id": to_team.id, "to_team": to_team.name}


# ---------------------------------------------------------------- the coördinatiepunt hands over (doorzetten)

def hand_over_from_fallback(request_id, *, actor: User, to_team_id, reason: str,
                            now: datetime | None = None) -> Referral:
    """The coördinatiepunt proposes that an operational loket (e.g. a neighbouring gemeente's) takes a request
    over from the fallback queue, with a reason. The loket accepts (it owns the request) or declines (it is back
    in the fallback queue as it was) in its queue, as with any referral.

    :raises Forbidden: the actor is not the coördinatiepunt. :raises NotFound: not an open request of the
    fallback queue. :raises InvalidInput: {"team"|"reason": Dutch}. :raises Conflict: a hand-over is open.
    Side effects: as propose_referral (status doorverwezen, events, the loket's members mailed); commits.
    """
    now = now or utcnow()
    request = _in_fallback_queue(request_id, actor)
    chosen = row_by_id(Team, to_team_id)
    if chosen is None or chosen.kind != "loket":
        raise InvalidInput({"team": "Kies een operationeel loket uit de lijst."})
    team = _target_team(chosen.id)  # operational, or a Dutch message why not
    reason = _reason(reason, "reason", "Leg kort uit waarom dit loket de aanvraag kan overnemen.")
    return _propose(request, _open_referral(request), to_team=team, reason=reason, actor=actor, now=now)


def withdraw_hand_over(request_id, *, actor: User, now: datetime | None = None) -> None:
    """The coördinatiepunt takes back an undecided hand-over; the request waits in the fallback queue again."""
    now = now or utcnow()
    request = _in_fallback_queue(request_id, actor)
    _withdraw(request, _open_referral(request), actor=actor, now=now)


def _in_fallback_queue(request_id, actor: User) -> SupportRequest:
    if not actor.has_role("coordinatiepunt"):
        raise Forbidden("Alleen het landelijk coördinatiepunt zet aanvragen uit de opvangwachtrij door.")
    request = row_by_id(SupportRequest, request_id)
    if request is None or request.owner_team.kind != "fallback":
        raise NotFound(FALLBACK_NOT_FOUND)
    return request


# ---------------------------------------------------------------- collaborators (inschakelen)

def invite_team(access: SupporterAccess, *, actor: User, team_id, reason: str | None = None,
                now: datetime | None = None) -> Collaborator:
    """Invite another team to co-handle the request. Side effects: timeline event; commits."""
    now = now or utcnow()
    require_owner(access)
    team = _target_team(team_id)
    if team.id == access.request.owner_team_id:
        raise InvalidInput({"team": "Dit team behandelt de aanvraag al."})
    if any(c.team_id == team.id for c in access.collaborations):
        raise Conflict(f"{team.name} werkt al mee aan deze aanvraag.")
    reason = (reason or "").strip()[:REASON_MAX] or None
    collaboration = Collaborator(request=access.request, team=team, invited_by=actor, reason=reason, created_at=now)
    db.session.add(collaboration)
    actions.add_event(access.request, "collaborator_added", actor, now, public=True, body=None,
                               data={"team_id": team.id, "team": team.name, "reason": reason})
    commit()
    return collaboration


def end_invitation(access: SupporterAccess, *, actor: User, team_id, now: datetime | None = None) -> None:
    """End a collaboration: by the owning team, or by the invited team itself (it steps out)."""
    now = now or utcnow()
    collaboration = next((c for c in access.collaborations if str(c.team_id) == str(team_id)), None)
    if collaboration is None:
        raise NotFound("Dit team werkt niet (meer) mee aan deze aanvraag.")
    if not access.may_end(collaboration):
        raise Forbidden("Alleen het behandelende team of het meewerkende team zelf kan dit beëindigen.")
    collaboration.ended_at, collaboration.ended_by_id = now, actor.id
    actions.add_event(access.request, "collaborator_removed", actor, now, public=True,
                               data={"team_id": collaboration.team_id, "team": collaboration.team.name})
    commit()


# ---------------------------------------------------------------- messages and assignment

def post_message(access: SupporterAccess, *, actor: User, body: str, internal: bool) -> Event:
    if internal and not access.can_note:
        raise Forbidden("Je kunt bij deze aanvraag geen notities plaatsen.")
    if not internal and not access.can_reply:
        raise Forbidden("Reageren naar de club kan pas als jouw team de aanvraag behandelt of meewerkt.")
    # A note may name colleagues with @: only people who may read the request (mentions, refused before anything
    # is stored); the note's transaction stores their mentions and mails.
    mentioned = mentions.mentioned_in(body, members_of_teams(sorted(access.reader_team_ids))) \
        if internal and mentions.has_mentions(body) else []
    return actions.add_message(access.request, actor=actor, body=body, internal=internal,
                                        as_supporter=True, mentioned=mentioned)


def claim(access: SupporterAccess, *, actor: User) -> None:
    require_owner(access)
    actions.claim(access.request, actor=actor)


def unclaim(access: SupporterAccess, *, actor: User) -> None:
    require_owner(access)
    actions.unclaim(access.request, actor=actor)


def assign(access: SupporterAccess, *, actor: User, assignee_id, now: datetime | None = None) -> None:
    """Assign to a colleague in the owning team (or clear with an empty value)."""
    require_owner(access)
    assignee = None
    if assignee_id not in (None, "", "0"):
        assignee = row_by_id(User, assignee_id)
        if assignee is None or not assignee.active or not works_in(assignee, access.request.owner_team):
            raise InvalidInput({"assignee": "Kies een collega uit het team dat de aanvraag behandelt."})
    actions.assign(access.request, actor=actor, assignee=assignee, now=now)


def change_status(access: SupporterAccess, new_status: str, *, actor: User, expected_version=None) -> None:
    require_owner(access)
    actions.change_status(access.request, new_status, actor=actor, expected_version=expected_version)


def request_with_reference(user: User, search, *, as_club: bool) -> int | None:
    """The id of the request a typed reference names, when `user` may open it (as a contact of its club, or as
    a supporter with access, DESIGN §7); None otherwise, and the words are searched as usual."""
    reference = request_search.reference_in(search)
    if reference is None:
        return None
    request = db.session.scalar(select(SupportRequest).where(SupportRequest.reference == reference))
    if request is None:
        return None
    if as_club:
        return request.id if request.club_id in user.club_ids else None
    try:
        supporter_access(user, request.id)
    except NotFound:
        return None
    return request.id
