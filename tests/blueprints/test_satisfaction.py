"""The satisfaction survey on the club's request page (#tevredenheid), and who may use it."""
import re

import pytest

from loket.models import Event
from loket.services.requests import actions, teamwork
from tests.support.db import count_rows, reloaded
from tests.support.requests import file_request


def _url(request):
    return f"/club/aanvragen/{request.id}/tevredenheid"


def _stored(request):
    return reloaded(request)


def _events():
    return count_rows(Event, Event.kind == "satisfaction_given")


def test_resolved_request_shows_the_survey_at_its_anchor(login_as, resolved):
    page = login_as("club_contact").get(f"/club/aanvragen/{resolved.id}").get_data(as_text=True)
    section = re.search(r'<section id="tevredenheid".*?</section>', page, re.S).group(0)
    assert re.search(r"<fieldset[^>]*>\s*<legend>Hoe tevreden ben je over de hulp\?</legend>", section)
    assert re.findall(r'name="score" type="radio" value="(\d)"', section) == ["1", "2", "3", "4", "5"]
    assert "1 – Zeer ontevreden" in section and "5 – Zeer tevreden" in section
    assert 'name="comment"' in section and 'maxlength="2000"' in section
    assert f'action="{_url(resolved)}"' in section
    # Beside the reply form on the same page: no id may occur twice.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_open_request_has_no_survey(login_as, network, resolved):
    actions.change_status(resolved, "in_behandeling", actor=network.ondersteuner)
    page = login_as("club_contact").get(f"/club/aanvragen/{resolved.id}").get_data(as_text=True)
    assert 'id="tevredenheid"' not in page
    response = login_as("club_contact").post(_url(resolved), data={"score": "4"})
    assert response.status_code == 409
    assert "zodra je vraag is opgelost" in response.get_data(as_text=True)
    assert _events() == 0


def test_club_rates_once_and_then_sees_its_score(login_as, resolved):
    client = login_as("club_contact")
    response = client.post(_url(resolved), data={"score": "4", "comment": "Fijn geholpen"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/club/aanvragen/{resolved.id}#tevredenheid")
    stored = _stored(resolved)
    assert (stored.satisfaction_score, stored.satisfaction_comment) == (4, "Fijn geholpen")
    page = client.get(f"/club/aanvragen/{resolved.id}").get_data(as_text=True)
    assert "Je gaf een 4 — dank je wel." in page
    assert 'id="tevredenheid"' in page and 'name="score"' not in page
    assert "Tevredenheid: 4 van 5" in page  # the public timeline event

    again = client.post(_url(resolved), data={"score": "1"})
    assert again.status_code == 409
    assert "al een oordeel gegeven" in again.get_data(as_text=True)
    assert _stored(resolved).satisfaction_score == 4 and _events() == 1


@pytest.mark.parametrize("data, message", [
    ({}, "Kies een cijfer van 1 (zeer ontevreden) tot en met 5 (zeer tevreden)."),
    ({"score": "9"}, "Kies een cijfer van 1 (zeer ontevreden) tot en met 5 (zeer tevreden)."),
    ({"score": "3", "comment": "x" * 2001}, "Je toelichting mag maximaal 2000 tekens lang zijn (nu 2001)."),
])
def test_invalid_answer_is_refused_next_to_the_field(login_as, resolved, data, message):
    response = login_as("club_contact").post(_url(resolved), data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _stored(resolved).satisfaction_score is None and _events() == 0


def test_other_club_gets_404(login_as, resolved):
    response = login_as("other_club_contact").post(_url(resolved), data={"score": "1"})
    assert response.status_code == 404
    assert _stored(resolved).satisfaction_score is None


@pytest.mark.parametrize("who", ["ondersteuner", "bondsspecialist", "coordinator", "beheerder"])
def test_others_than_club_contacts_get_403(login_as, resolved, who):
    assert login_as(who).post(_url(resolved), data={"score": "5"}).status_code == 403
    assert _stored(resolved).satisfaction_score is None


def test_anonymous_is_sent_to_login(client, resolved):
    response = client.post(_url(resolved), data={"score": "5"})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert _stored(resolved).satisfaction_score is None


def test_post_without_csrf_token_is_rejected(login_as, resolved):
    response = login_as("club_contact").post(_url(resolved), data={"score": "5"}, csrf=False)
    assert response.status_code == 400
    assert _stored(resolved).satisfaction_score is None


def test_unknown_request_is_404(login_as, network):
    assert login_as("club_contact").post("/club/aanvragen/99999/tevredenheid", data={"score": "5"}).status_code == 404


def test_supporter_sees_the_score_and_comment_on_the_request_page(login_as, network):

    from loket.services.requests.satisfaction import give_satisfaction

    request = file_request(network, category="overig", title="Vraag", description="Tekst")
    teamwork.change_status(teamwork.supporter_access(network.ondersteuner, request.id), "opgelost",
                           actor=network.ondersteuner)
    give_satisfaction(request, actor=network.club_contact, score=4, comment="Snel en vriendelijk")
    page = login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "4 van 5" in page and "Snel en vriendelijk" in page
