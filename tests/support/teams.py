"""Teams in tests: a lead (coördinator) of a bond's team, beside the loket lead of tests/conftest.py (`lead`), and the
non-loket kinds of team (a bond's, a landelijk initiatief's) that tests parametrise over: whatever works for a bond's
team works for an initiative's (issue #12 point 3)."""
from dataclasses import dataclass

from loket.extensions import db
from loket.services.requests import teamwork
from tests.factories import make_user
from tests.support.requests import file_request

# The kinds of team besides a loket; `@pytest.mark.parametrize("kind", TEAM_KINDS)` or the `other_team` fixture.
TEAM_KINDS = ("bond", "initiatief")


def knvb_lead(network):
    """A team lead of the KNVB's team (committed)."""
    user = make_user("bondsspecialist", network.knvb, name="Bart Bondslead", team_lead=True)
    db.session.commit()
    return user


@dataclass(frozen=True)
class OtherTeam:
    """A bond's or initiative's team of the test network, with the name of its member on the network (for
    `login_as`) and how its organisation is named in URLs."""

    kind: str  # bond | initiatief
    organisation: object  # Bond | Initiative
    member_name: str  # the network attribute of its one member
    network: object

    @property
    def team(self):
        return self.organisation.team

    @property
    def member(self):
        return getattr(self.network, self.member_name)

    @property
    def key(self) -> str:
        return self.organisation.key

    @property
    def role(self) -> str:
        return {"bond": "bondsspecialist", "initiatief": "initiatiefmedewerker"}[self.kind]

    def make_member(self, **kwargs):
        """Another member of this team (committed)."""
        user = make_user(self.role, self.organisation, **kwargs)
        db.session.commit()
        return user


def other_team(network, kind: str) -> OtherTeam:
    """KNVB (bond) or SPN procesbegeleiders (initiatief)."""
    if kind == "bond":
        return OtherTeam("bond", network.knvb, "bondsspecialist", network)
    return OtherTeam("initiatief", network.spn, "initiatiefmedewerker", network)


def owned_request(network, team: OtherTeam, **filing):
    """A request the team owns, the way it comes to own one: a football question routes to the bond by itself;
    an initiative (to which clubs never file) accepts a referral from the loket of the club's gemeente."""
    if team.kind == "bond":
        return file_request(network, category="sporttechnisch-competitie", sport="voetbal", **filing)
    request = file_request(network, category="vrijwilligers-kader", **filing)
    referred(network, request, team)
    teamwork.accept_referral(teamwork.supporter_access(team.member, request.id), actor=team.member)
    db.session.refresh(request)
    return request


def referred(network, request, team: OtherTeam, *, reason="Past bij jullie programma.", now=None):
    """Sportloket Utrecht (the owner) proposes to refer `request` to the team; returns the referral."""
    return teamwork.propose_referral(teamwork.supporter_access(network.ondersteuner, request.id),
                                     actor=network.ondersteuner, to_team_id=team.team.id, reason=reason, now=now)
