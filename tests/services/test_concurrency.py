"""Two people acting on one request at the same moment: the second answers 409 in Dutch, never 500, and
nothing of it is stored (issue #13 point 7).

The race is two real transactions, interleaved where it hurts: the test's request reads the request row
first, then a competitor (its own app context, so its own session — on PostgreSQL its own connection)
changes the same request and commits, and only then does the test's request write. On PostgreSQL that is
the READ COMMITTED interleaving two gunicorn workers produce; on SQLite the same order of statements.
"""
import re
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Collaborator, Event, Referral, SupportRequest, User
from loket.services.requests import actions, teamwork
from loket.blueprints.api.openapi import spec
from loket.services.network import api_tokens
from tests.factories import PASSWORD
from tests.support.api import ApiClient, assert_problem
from tests.support.db import ON_POSTGRES
from tests.support.requests import file_request


@pytest.fixture()
def api(app, network):
    """api("ondersteuner") → an API client with a fresh token of that network user."""
    def _client(who):
        token = api_tokens.issue_token(getattr(network, who).email, PASSWORD).token
        return ApiClient(app, app.test_client(), spec.spec, token)
    return _client


@contextmanager
def _competitor_first(app, monkeypatch, competitor):
    """`competitor()` runs and commits in its own transaction right after the request under test has read
    the request and checked who may act (teamwork.require_owner), before it writes anything."""
    original = teamwork.require_owner
    ran = []  # once per block: a new block patches afresh

    def racing(access):
        original(access)
        if not ran:
            ran.append(True)
            with app.app_context():
                competitor()
    monkeypatch.setattr(teamwork, "require_owner", racing)
    yield ran


def _as(model, row_id):
    return _db.session.get(model, row_id)


def _events(request_id):
    return _db.session.scalar(select(func.count()).select_from(Event).where(Event.request_id == request_id))


def _competitor_changes_status(network, request_id, status="wacht_op_club"):
    colleague_id = network.collega.id

    def competitor():
        actions.change_status(_as(SupportRequest, request_id), status, actor=_as(User, colleague_id))
    return competitor


@pytest.mark.parametrize("new_status", ["in_behandeling", "opgelost"])
def test_a_status_change_racing_another_answers_409_on_the_page(app, login_as, network, monkeypatch, new_status):
    request = file_request(network)
    client = login_as("ondersteuner")
    events = _events(request.id)
    with _competitor_first(app, monkeypatch, _competitor_changes_status(network, request.id)) as ran:
        answer = client.post(f"/wachtrij/{request.id}/status",
                             data={"status": new_status, "version": str(request.version)})
    assert ran and answer.status_code == 409, answer.get_data(as_text=True)[:400]
    assert "Iemand anders heeft" in answer.get_data(as_text=True)
    _db.session.expire_all()
    assert _as(SupportRequest, request.id).status == "wacht_op_club"  # the competitor's, nothing of ours
    assert _events(request.id) == events + 1


@pytest.mark.parametrize("new_status", ["in_behandeling", "opgelost"])
def test_a_status_change_racing_another_answers_409_in_the_api(app, api, network, monkeypatch, new_status):
    request = file_request(network)
    client = api("ondersteuner")
    events = _events(request.id)
    with _competitor_first(app, monkeypatch, _competitor_changes_status(network, request.id)):
        answer = client.post(f"/requests/{request.id}/status", json={"status": new_status})
    assert_problem(answer, 409, contains="Iemand anders heeft")
    _db.session.expire_all()
    assert _as(SupportRequest, request.id).status == "wacht_op_club" and _events(request.id) == events + 1


def test_claim_and_assign_racing_a_change_answer_409(app, login_as, api, network, monkeypatch):
    request, colleague_id = file_request(network), network.collega.id
    client = login_as("ondersteuner")
    with _competitor_first(app, monkeypatch, _competitor_changes_status(network, request.id)):
        answer = client.post(f"/wachtrij/{request.id}/toewijzen", data={"assignee": str(colleague_id)})
    assert answer.status_code == 409
    _db.session.expire_all()
    assert _as(SupportRequest, request.id).assignee_id is None

    def colleague_claims():
        actions.claim(_as(SupportRequest, request.id), actor=_as(User, colleague_id))

    with _competitor_first(app, monkeypatch, colleague_claims):  # a claim loses only to another claim
        assert client.post(f"/wachtrij/{request.id}/oppakken", data={}).status_code == 409
    monkeypatch.undo()
    _db.session.expire_all()
    assert _as(SupportRequest, request.id).assignee_id == colleague_id
    actions.unclaim(_as(SupportRequest, request.id), actor=_as(User, colleague_id))
    with _competitor_first(app, monkeypatch, colleague_claims):
        assert_problem(api("ondersteuner").post(f"/requests/{request.id}/claim"), 409, contains="al opgepakt")
    _db.session.expire_all()
    assert _as(SupportRequest, request.id).assignee_id == colleague_id


def test_two_invitations_of_one_team_at_once_store_one_and_answer_409(app, login_as, api, network, monkeypatch):
    """A unique thing created twice at once (IntegrityError on the unique index) is a 409 as well."""
    request = file_request(network)
    team_id, inviter_id = network.knvb.team.id, network.collega.id

    def competitor():
        access = teamwork.supporter_access(_as(User, inviter_id), request.id)
        teamwork.invite_team(access, actor=_as(User, inviter_id), team_id=team_id)

    with _competitor_first(app, monkeypatch, competitor):
        answer = login_as("ondersteuner").post(f"/wachtrij/{request.id}/inschakelen", data={"team": str(team_id)})
    assert answer.status_code == 409, answer.get_data(as_text=True)[:400]
    assert _db.session.scalar(select(func.count()).select_from(Collaborator)) == 1

    other_team_id = network.loket_eemland.team.id

    def referring_competitor():
        access = teamwork.supporter_access(_as(User, inviter_id), request.id)
        teamwork.propose_referral(access, actor=_as(User, inviter_id), to_team_id=other_team_id, reason="Eemland")

    with _competitor_first(app, monkeypatch, referring_competitor):
        answer = api("ondersteuner").post(f"/requests/{request.id}/referrals", json={
            "to": {"type": "bond", "id": network.knvb.id}, "reason": "Voetbal"})
    assert_problem(answer, 409)
    assert _db.session.scalar(select(func.count()).select_from(Referral)) == 1


# ---------------------------------------------------------------- two real requests at once (PostgreSQL)

def _at_once(app, monkeypatch, module, name, calls):
    """Run `calls` (each makes one HTTP request) in threads that all pass `module.name` (after reading, before
    writing) together: both read the same version, then the database decides."""
    original = getattr(module, name)
    barrier = threading.Barrier(len(calls))

    def together(*args, **kwargs):
        barrier.wait(timeout=30)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, together)
    answers = [None] * len(calls)

    def run(index):
        with app.app_context():  # the thread's own context (the clients give each request one of its own too)
            answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(module, name, original)
    return answers


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs two real concurrent sessions (PostgreSQL)")
def test_two_status_changes_at_once_one_wins_the_other_is_409(app, api, network, monkeypatch):
    for new_statuses in (("opgelost", "wacht_op_club"), ("in_behandeling", "gesloten")):
        request_id = file_request(network).id  # plain values only: the threads do not share the test's session
        clients = [api("ondersteuner"), api("collega")]
        answers = _at_once(app, monkeypatch, teamwork, "require_owner", [
            lambda c=c, s=s: c.post(f"/requests/{request_id}/status", json={"status": s})
            for c, s in zip(clients, new_statuses)])
        assert sorted(a.status_code for a in answers) == [200, 409], [a.get_data(as_text=True) for a in answers]
        winner = new_statuses[[a.status_code for a in answers].index(200)]
        _db.session.expire_all()
        assert _as(SupportRequest, request_id).status == winner
        assert _db.session.scalar(select(func.count()).select_from(Event).where(
            Event.request_id == request_id, Event.kind == "status_changed")) == 1


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs two real concurrent sessions (PostgreSQL)")
def test_a_double_click_sent_twice_at_once_stores_one_reply(app, login_as, network, monkeypatch):
    """Both submits pass the token check before either wrote; the unique token lets one commit, the other
    waits for it, is refused by the index and lands where the first did."""
    request = file_request(network)
    page = f"/club/aanvragen/{request.id}"
    first_client = login_as("club_contact")
    html = first_client.get(page).get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_token"', html)
    data = {"body": "Twee keer geklikt", "form_token": token.group(1) or token.group(2)}
    clients = [first_client, login_as("club_contact")]
    answers = _at_once(app, monkeypatch, actions, "add_message",
                       [lambda c=c: c.post(f"{page}/reactie", data=data) for c in clients])
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].location == answers[1].location
    assert _db.session.scalar(select(func.count()).select_from(Event).where(
        Event.body == "Twee keer geklikt")) == 1
