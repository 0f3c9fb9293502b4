"""Teams and who works in them: the one home of "which teams does this user work in" and "who are this
team's members", plus finding and creating a loket's, bond's, initiative's or the fallback queue's team."""
from sqlalchemy import false, or_, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.util import identity_key

from loket.extensions import db
from loket.models import Bond, Initiative, Loket, Membership, Team, User

TEAM_KINDS_BY_TYPE = ("loket", "bond", "initiatief")
# The role a membership needs to work in a team of each kind, and the column naming its organisation (the same
# name on Membership, Team and TeamInvitation).
MEMBER_ROLE = {"loket": "clubondersteuner", "bond": "bondsspecialist", "initiatief": "initiatiefmedewerker"}
ORGANISATION_COLUMN = {"loket": "loket_id", "bond": "bond_id", "initiatief": "initiative_id"}
KIND_OF_ROLE = {role: kind for kind, role in MEMBER_ROLE.items()}
# How a team's organisation is named in URLs: a loket by slug, a bond and an initiative by key.
_ORGANISATION = {"loket": (Loket, "slug"), "bond": (Bond, "key"), "initiatief": (Initiative, "key")}


def kind_of(organisation) -> str:
    """The team kind of a Loket, Bond or Initiative."""
    return next(kind for kind, (model, _) in _ORGANISATION.items() if isinstance(organisation, model))


def organisation_key(organisation) -> str:
    """The URL key of a team's organisation (a loket's slug, a bond's or initiative's key)."""
    return getattr(organisation, _ORGANISATION[kind_of(organisation)][1])


def _organisation_ids(user: User, kind: str) -> tuple[int, ...]:
    column = ORGANISATION_COLUMN[kind]
    return tuple(getattr(m, column) for m in user.memberships if m.role == MEMBER_ROLE[kind])


# ---------------------------------------------------------------- membership

def teams_of(user: User) -> list[Team]:
    """The teams (loket, bond and initiative queues) a supporter works in, by id.

    A page asks this several times (queue, tab counts, filters, saved views); the answer is kept on the user
    object, keyed by its memberships, so a changed membership is never answered from a stale cache. One query.
    """
    key = tuple(_organisation_ids(user, kind) for kind in TEAM_KINDS_BY_TYPE)
    cache = user.__dict__.setdefault("_teams_by_memberships", {})
    if key not in cache:
        cache[key] = tuple(db.session.scalars(
            select(Team).where(or_(*(getattr(Team, ORGANISATION_COLUMN[kind]).in_(ids)
                                     for kind, ids in zip(TEAM_KINDS_BY_TYPE, key) if ids))).order_by(Team.id)
        )) if any(key) else ()
    return list(cache[key])


def team_ids_of(user: User) -> list[int]:
    """The ids of `teams_of(user)` (no query of its own once those are known)."""
    return [team.id for team in teams_of(user)]


def loketten_of(user: User) -> list[Loket]:
    """The loketten the user works at as clubondersteuner, in the order of their memberships."""
    return [m.loket for m in user.memberships if m.role == MEMBER_ROLE["loket"]]


def is_team_lead(user: User, kind: str, organisation_id: int) -> bool:
    """Is `user` a team lead (coördinator) of this loket, bond or initiative (`kind`)? Reads loaded memberships
    only."""
    return kind in MEMBER_ROLE and any(
        m.role == MEMBER_ROLE[kind] and m.is_team_lead and getattr(m, ORGANISATION_COLUMN[kind]) == organisation_id
        for m in user.memberships)


def leads_team(user: User, team: Team) -> bool:
    """Is `user` a team lead of this team's loket, bond or initiative? (The fallback team has no leads.)"""
    column = ORGANISATION_COLUMN.get(team.kind)
    return column is not None and is_team_lead(user, team.kind, getattr(team, column))


def is_loket_lead(user: User, loket_id: int) -> bool:
    """Is `user` the team lead (coördinator) of this loket? Reads loaded memberships only."""
    return is_team_lead(user, "loket", loket_id)


def leads_of(loket_ids: list[int]) -> dict[int, list[User]]:
    """loket id → its active team leads (coördinatoren). One query."""
    if not loket_ids:
        return {}
    rows = db.session.execute(
        select(Membership.loket_id, User).join(User, User.id == Membership.user_id)
        .where(Membership.role == "clubondersteuner", Membership.is_team_lead.is_(True),
               Membership.loket_id.in_(loket_ids), User.active).order_by(User.id))
    leads: dict[int, list[User]] = {}
    for loket_id, user in rows:
        leads.setdefault(loket_id, []).append(user)
    return leads


def works_in(user: User, team: Team) -> bool:
    """Whether the user is a member of the team (from the loaded memberships, no query)."""
    return team.kind in MEMBER_ROLE and team.organisation_id in _organisation_ids(user, team.kind)


def members_of(team: Team, *, memberships: bool = True) -> list[User]:
    """The active people who work a team's queue, by name; the coördinatiepunt works the fallback queue.
    `memberships=False`: their own memberships are not loaded (a mail or a list of names needs none)."""
    if team.kind == "fallback":
        return coordinatiepunt_users(memberships=memberships)
    return _active_users(_membership_in([team]), memberships=memberships)


def coordinatiepunt_users(*, memberships: bool = True) -> list[User]:
    """The active people of the landelijk coördinatiepunt, by name. One query."""
    return _active_users(Membership.role == "coordinatiepunt", memberships=memberships)


def in_team(organisation):
    """The condition on Membership: a membership of this loket's, bond's or initiative's team."""
    kind = kind_of(organisation)
    return (Membership.role == MEMBER_ROLE[kind]) & (getattr(Membership, ORGANISATION_COLUMN[kind]) == organisation.id)


def team_leads(organisation) -> list[User]:
    """The active team leads (coördinatoren) of a loket's, bond's or initiative's team, by name. One query."""
    return _active_users(in_team(organisation) & Membership.is_team_lead.is_(True))


def members_of_teams(team_ids: list[int]) -> list[User]:
    """The active colleagues in any of the given loket, bond or initiative teams, by name (assignee filter,
    @-mentions). One query: teams already loaded (a user's own, `teams_of`) are not read again, and the
    colleagues' own memberships are not loaded (a list of names needs none)."""
    if not team_ids:
        return []
    return _active_users(_membership_in(_teams_by_id(team_ids)), memberships=False)


def _teams_by_id(team_ids: list[int]) -> list[Team]:
    """The teams with these ids: from the session when loaded already, the rest in one query."""
    found = {team_id: db.session.identity_map.get(identity_key(Team, team_id)) for team_id in team_ids}
    missing = [team_id for team_id, team in found.items() if team is None]
    if missing:
        found.update({team.id: team for team in db.session.scalars(select(Team).where(Team.id.in_(missing)))})
    return [team for team in found.values() if team is not None]


def _membership_in(teams):
    conditions = []
    for kind, role in MEMBER_ROLE.items():
        ids = [t.organisation_id for t in teams if t.kind == kind]
        if ids:
            conditions.append((Membership.role == role) & getattr(Membership, ORGANISATION_COLUMN[kind]).in_(ids))
    return or_(*conditions) if conditions else false()


def _active_users(condition, *, memberships: bool = True) -> list[User]:
    """The active users with a membership matching `condition`, by name; `memberships=False` leaves their
    memberships unloaded (a list of names and addresses needs none)."""
    query = select(User).join(Membership).where(condition, User.active).distinct().order_by(User.name, User.id)
    if not memberships:
        query = query.options(lazyload(User.memberships))
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- finding and creating teams

def team_of(kind: str, identifier: int | str) -> Team | None:
    """The team of a loket, bond or initiative, given its numeric id, or a loket's slug / a bond's or
    initiative's key."""
    if kind not in TEAM_KINDS_BY_TYPE or isinstance(identifier, bool):
        return None
    model, key = _ORGANISATION[kind]
    query = select(Team).where(Team.kind == kind).join(model, getattr(Team, ORGANISATION_COLUMN[kind]) == model.id)
    return db.session.scalar(query.where(
        model.id == identifier if isinstance(identifier, int) else getattr(model, key) == identifier))


def _team_query(kind: str, organisation_id: int | None):
    query = db.select(Team).where(Team.kind == kind)
    if kind in ORGANISATION_COLUMN:
        query = query.where(getattr(Team, ORGANISATION_COLUMN[kind]) == organisation_id)
    return query


def team_for(kind: str, organisation_id: int | None) -> Team:
    team = db.session.scalar(_team_query(kind, organisation_id))
    if team is None:
        # Teams are created with their loket/bond; the fallback team by the reference seed.
        raise LookupError(f"No team row for {kind} {organisation_id}; run `flask seed reference`.")
    return team


def ensure_team(kind: str, organisation=None) -> Team:
    """Get or create the team of a loket, a bond, an initiative, or the fallback queue (organisation None)."""
    team = db.session.scalar(_team_query(kind, organisation.id if organisation else None))
    if team is None:
        team = Team(kind=kind, loket=organisation if kind == "loket" else None,
                    bond=organisation if kind == "bond" else None,
                    initiative=organisation if kind == "initiatief" else None)
        db.session.add(team)
    return team
