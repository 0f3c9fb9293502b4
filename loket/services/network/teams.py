"""Teams and who works in them: the one home of "which teams does this user work in" and "who are this
team's members", plus finding and creating a loket's, bond's or the fallback queue's team."""
from sqlalchemy import or_, select

from loket.extensions import db
from loket.models import Bond, Loket, Membership, Team, User

TEAM_KINDS_BY_TYPE = ("loket", "bond")
# The role a membership needs to work in a team of each kind.
MEMBER_ROLE = {"loket": "clubondersteuner", "bond": "bondsspecialist"}


# ---------------------------------------------------------------- membership

def team_ids_of(user: User) -> list[int]:
    """The teams (loket/bond queues) a supporter works in.

    A page asks this several times (queue, tab counts, filters); the answer is kept on the user object,
    keyed by its memberships, so a changed membership is never answered from a stale cache.
    """
    key = (tuple(user.loket_ids), tuple(user.bond_ids))
    cache = user.__dict__.setdefault("_team_ids_by_memberships", {})
    if key not in cache:
        cache[key] = tuple(db.session.scalars(
            select(Team.id).where(or_(Team.loket_id.in_(key[0]), Team.bond_id.in_(key[1])))
        )) if key != ((), ()) else ()
    return list(cache[key])


def loketten_of(user: User) -> list[Loket]:
    """The loketten the user works at as clubondersteuner, in the order of their memberships."""
    return [m.loket for m in user.memberships if m.role == MEMBER_ROLE["loket"]]


def is_team_lead(user: User, kind: str, organisation_id: int) -> bool:
    """Is `user` a team lead (coördinator) of this loket or bond (`kind`)? Reads loaded memberships only."""
    return any(m.role == MEMBER_ROLE.get(kind) and m.is_team_lead
               and (m.loket_id if kind == "loket" else m.bond_id) == organisation_id
               for m in user.memberships)


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
    return any(m.role == MEMBER_ROLE.get(team.kind)
               and (m.loket_id == team.loket_id if team.kind == "loket" else m.bond_id == team.bond_id)
               for m in user.memberships)


def members_of(team: Team) -> list[User]:
    """The active people who work a team's queue, by name; the coördinatiepunt works the fallback queue."""
    if team.kind == "fallback":
        return _active_users(Membership.role == "coordinatiepunt")
    return _active_users(_membership_in([team]))


def members_of_teams(team_ids: list[int]) -> list[User]:
    """The active colleagues in any of the given loket/bond teams, by name (for the assignee filter)."""
    if not team_ids:
        return []
    return _active_users(_membership_in(db.session.scalars(select(Team).where(Team.id.in_(team_ids))).all()))


def _membership_in(teams):
    loket_ids = [t.loket_id for t in teams if t.kind == "loket"]
    bond_ids = [t.bond_id for t in teams if t.kind == "bond"]
    return or_((Membership.role == MEMBER_ROLE["loket"]) & Membership.loket_id.in_(loket_ids),
               (Membership.role == MEMBER_ROLE["bond"]) & Membership.bond_id.in_(bond_ids))


def _active_users(condition) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership).where(condition, User.active)
                                   .distinct().order_by(User.name, User.id)))


# ---------------------------------------------------------------- finding and creating teams

def team_of(kind: str, identifier: int | str) -> Team | None:
    """The team of a loket or bond, given its numeric id, or a loket's slug / a bond's key."""
    if kind not in TEAM_KINDS_BY_TYPE or isinstance(identifier, bool):
        return None
    query = select(Team).where(Team.kind == kind)
    if kind == "loket":
        query = query.join(Loket, Team.loket_id == Loket.id).where(
            Loket.id == identifier if isinstance(identifier, int) else Loket.slug == identifier)
    else:
        query = query.join(Bond, Team.bond_id == Bond.id).where(
            Bond.id == identifier if isinstance(identifier, int) else Bond.key == identifier)
    return db.session.scalar(query)


def _team_query(kind: str, organisation_id: int | None):
    query = db.select(Team).where(Team.kind == kind)
    if kind == "loket":
        query = query.where(Team.loket_id == organisation_id)
    elif kind == "bond":
        query = query.where(Team.bond_id == organisation_id)
    return query


def team_for(kind: str, organisation_id: int | None) -> Team:
    team = db.session.scalar(_team_query(kind, organisation_id))
    if team is None:
        # Teams are created with their loket/bond; the fallback team by the reference seed.
        raise LookupError(f"No team row for {kind} {organisation_id}; run `flask seed reference`.")
    return team


def ensure_team(kind: str, organisation=None) -> Team:
    """Get or create the team of a loket, a bond, or the fallback queue (organisation None)."""
    team = db.session.scalar(_team_query(kind, organisation.id if organisation else None))
    if team is None:
        team = Team(kind=kind, loket=organisation if kind == "loket" else None,
                    bond=organisation if kind == "bond" else None)
        db.session.add(team)
    return team
