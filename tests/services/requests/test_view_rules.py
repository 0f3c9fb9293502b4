"""Rules the request pages only read as booleans: who may claim or give back a request, who may end a
collaboration, whether a request still takes messages."""
from types import SimpleNamespace

import pytest

from loket.models import SupportRequest
from loket.services.requests.actions import accepts_messages
from loket.services.requests.teamwork import SupporterAccess

OWNER_TEAM, INVITED_TEAM, OTHER_INVITED_TEAM = 1, 2, 3


ME, COLLEAGUE = 10, 11


def _access(*, my_teams, assignee_id=None):
    collaborations = (SimpleNamespace(team_id=INVITED_TEAM), SimpleNamespace(team_id=OTHER_INVITED_TEAM))
    request = SimpleNamespace(owner_team_id=OWNER_TEAM, assignee_id=assignee_id)
    return SupporterAccess(request, frozenset(my_teams), None, collaborations, viewer_id=ME)


@pytest.mark.parametrize(("my_teams", "assignee_id", "may_claim", "may_unclaim"), [
    ({OWNER_TEAM}, None, True, False),  # nobody has it: the owning team picks it up
    ({OWNER_TEAM}, ME, False, True),  # mine: I can give it back
    ({OWNER_TEAM}, COLLEAGUE, False, False),  # a colleague's: neither
    ({INVITED_TEAM}, None, False, False),  # an invited team never takes the request
])
def test_only_the_owning_team_claims_and_only_the_assignee_gives_back(my_teams, assignee_id, may_claim, may_unclaim):
    access = _access(my_teams=my_teams, assignee_id=assignee_id)
    assert (access.may_claim, access.may_unclaim) == (may_claim, may_unclaim)


def test_the_owning_team_may_end_every_collaboration():
    access = _access(my_teams={OWNER_TEAM})
    assert [access.may_end(c) for c in access.collaborations] == [True, True]


def test_an_invited_team_may_only_step_out_of_its_own_collaboration():
    access = _access(my_teams={INVITED_TEAM})
    assert [access.may_end(c) for c in access.collaborations] == [True, False]


@pytest.mark.parametrize(("status", "expected"), [
    ("nieuw", True), ("in_behandeling", True), ("wacht_op_club", True), ("doorverwezen", True),
    ("opgelost", True),  # the club may still answer; that reopens the request
    ("gesloten", False),
])
def test_only_a_closed_request_takes_no_more_messages(status, expected):
    assert accepts_messages(SupportRequest(status=status)) is expected
