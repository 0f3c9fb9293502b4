"""Doorzetten over HTTP: the coördinatiepunt hands a fallback request or a national aanmelding to a loket from the
metadata alone; the loket accepts or declines the request in its queue, and decides or hands back the aanmelding."""
import re

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import ClubRegistration, NetworkChange, OutboxMessage, Referral, SupportRequest
from loket.services.network import registrations
from tests.support.db import count_queries
from tests.support.registrations import club_data, confirmation_token, contact_data
from tests.support.requests import file_request

TITLE, DESCRIPTION = "Vraag over ons lekkende clubhuis", "Het dak lekt boven de kleedkamers."
REASON = "Utrecht is de buurgemeente."
NOT_THE_COORDINATIEPUNT = ["ondersteuner", "bondsspecialist", "zeist_contact", "beheerder"]


@pytest.fixture()
def waiting(network):
    return file_request(network, who="zeist_contact", club="club_zeist", category="overig", title=TITLE,
                        description=DESCRIPTION)


@pytest.fixture()
def national(network):
    registrations.register_club(club_data(gemeente="GM0355", name="Zeister Zwemclub"),
                                contact_data(name="Zwanet Zwemmer", email="zwanet@zeist.example"))
    return registrations.confirm_registration(confirmation_token("zwanet@zeist.example"))


def _stored():
    return tuple(_db.session.scalar(select(func.count()).select_from(model))
                 for model in (Referral, OutboxMessage, NetworkChange))


def _html(response) -> str:
    return response.get_data(as_text=True)


def _hand_over(client, request, team_id, reason=REASON):
    return client.post(f"/coordinatie/opvang/{request.id}/doorzetten", data={"team": team_id, "reason": reason})


# ---------------------------------------------------------------- a fallback request

def test_the_coordinatiepunt_hands_over_from_metadata_and_the_loket_accepts(login_as, network, waiting):
    coordinator = login_as("coordinator")
    queue = _html(coordinator.get("/coordinatie/opvang"))
    assert f'/coordinatie/opvang/{waiting.id}/doorzetten"' in queue

    page = coordinator.get(f"/coordinatie/opvang/{waiting.id}/doorzetten")
    html = _html(page)
    assert page.status_code == 200 and waiting.reference in html and "Zeist" in html and "Overig" in html
    assert TITLE not in html and DESCRIPTION not in html and "Zoë" not in html
    # Operational loketten only, the province's first (all of the test network is in Utrecht).
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', html)
    assert [name for _, name in options] == ["Sportloket Eemland", "Sportloket Utrecht"]
    assert '<optgroup label="In de provincie Utrecht">' in html

    answer = _hand_over(coordinator, waiting, network.loket_utrecht.team.id)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/coordinatie/opvang")
    after = coordinator.get("/coordinatie/opvang")
    assert "Doorgezet naar Sportloket Utrecht, wacht op antwoord." in _html(after)
    assert TITLE not in _html(after) and REASON not in _html(after)
    state = _html(coordinator.get(f"/coordinatie/opvang/{waiting.id}/doorzetten"))
    assert "Doorgezet naar Sportloket Utrecht" in state and "Doorzetten intrekken" in state and TITLE not in state

    # The loket reads the request in its queue (Doorverwezen aan ons) and accepts it like any referral.
    loket = login_as("ondersteuner")
    assert f"/wachtrij/{waiting.id}" in _html(loket.get("/wachtrij/?weergave=inkomend"))
    detail = _html(loket.get(f"/wachtrij/{waiting.id}"))
    assert TITLE in detail and DESCRIPTION in detail and "Landelijk coördinatiepunt" in detail
    assert loket.post(f"/wachtrij/{waiting.id}/doorverwijzing/accepteren").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, waiting.id).owner_team_id == network.loket_utrecht.team.id
    assert waiting.reference not in _html(coordinator.get("/coordinatie/opvang"))
    gone = coordinator.get(f"/coordinatie/opvang/{waiting.id}/doorzetten")
    assert gone.status_code == 200 and "staat niet (meer) in de opvangwachtrij" in _html(gone)
    assert TITLE not in _html(gone)
    assert _hand_over(coordinator, waiting, network.loket_eemland.team.id).status_code == 404


def test_a_declined_hand_over_is_back_in_the_queue_with_the_reason(login_as, network, waiting):
    coordinator = login_as("coordinator")
    _hand_over(coordinator, waiting, network.loket_utrecht.team.id)
    loket = login_as("ondersteuner")
    assert loket.post(f"/wachtrij/{waiting.id}/doorverwijzing/afwijzen",
                      data={"reason": "Wij doen alleen Utrecht."}).status_code == 302
    assert loket.get(f"/wachtrij/{waiting.id}").status_code == 404
    html = _html(coordinator.get("/coordinatie/opvang"))
    assert "Afgewezen door Sportloket Utrecht: Wij doen alleen Utrecht." in html
    assert f'/coordinatie/opvang/{waiting.id}/doorzetten"' in html
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, waiting.id).status == "nieuw"


def test_the_coordinatiepunt_withdraws_an_open_hand_over(login_as, network, waiting):
    coordinator = login_as("coordinator")
    _hand_over(coordinator, waiting, network.loket_utrecht.team.id)
    answer = coordinator.post(f"/coordinatie/opvang/{waiting.id}/doorzetten/intrekken")
    assert answer.status_code == 302
    assert _db.session.scalar(select(Referral.state)) == "ingetrokken"
    assert login_as("ondersteuner").get(f"/wachtrij/{waiting.id}").status_code == 404
    again = coordinator.post(f"/coordinatie/opvang/{waiting.id}/doorzetten/intrekken", follow_redirects=True)
    assert "Er loopt geen doorverwijzing" in _html(again)


@pytest.mark.parametrize("who", NOT_THE_COORDINATIEPUNT)
def test_only_the_coordinatiepunt_may_hand_over(login_as, network, waiting, national, who):
    client = login_as(who)
    before = _stored()
    assert client.get(f"/coordinatie/opvang/{waiting.id}/doorzetten").status_code == 403
    assert _hand_over(client, waiting, network.loket_utrecht.team.id).status_code == 403
    assert client.post(f"/coordinatie/opvang/{waiting.id}/doorzetten/intrekken").status_code == 403
    assert client.get(f"/coordinatie/aanmeldingen/{national.id}/doorzetten").status_code == 403
    assert client.post(f"/coordinatie/aanmeldingen/{national.id}/doorzetten",
                       data={"loket": network.loket_utrecht.id, "reason": REASON}).status_code == 403
    assert _stored() == before


def test_without_login_the_pages_ask_to_log_in(client, network, waiting):
    answer = client.get(f"/coordinatie/opvang/{waiting.id}/doorzetten")
    assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"]


@pytest.mark.parametrize("team, reason, message", [
    ("unknown", REASON, "Kies een operationeel loket uit de lijst."),
    ("bunnik", REASON, "Sportloket Bunnik is nog niet operationeel"),
    ("knvb", REASON, "Kies een operationeel loket uit de lijst."),
    (str(2**31), REASON, "Kies een operationeel loket uit de lijst."),
    ("1\x00", REASON, "Kies een operationeel loket uit de lijst."),
    ("utrecht", "", "Leg kort uit waarom dit loket de aanvraag kan overnemen."),
    ("utrecht", "Om\x00dat", "stuurtekens"),
])
def test_bad_input_answers_400_in_dutch_and_stores_nothing(login_as, network, waiting, team, reason, message):
    teams = {"unknown": "987654", "bunnik": network.loket_bunnik.team.id, "knvb": network.knvb.team.id,
             "utrecht": network.loket_utrecht.team.id}
    coordinator = login_as("coordinator")
    before = _stored()
    answer = _hand_over(coordinator, waiting, teams.get(team, team), reason)
    assert answer.status_code == 400 and message in _html(answer)
    assert "Controleer het formulier" in _html(answer) and TITLE not in _html(answer)
    assert _stored() == before
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, waiting.id).status == "nieuw"


def test_unknown_ids_are_404(login_as, network):
    coordinator = login_as("coordinator")
    assert coordinator.get("/coordinatie/opvang/987654/doorzetten").status_code == 404
    assert coordinator.get(f"/coordinatie/opvang/{2**31}/doorzetten").status_code == 404
    assert coordinator.post("/coordinatie/opvang/987654/doorzetten",
                            data={"team": network.loket_utrecht.team.id, "reason": REASON}).status_code == 404
    assert coordinator.get("/coordinatie/aanmeldingen/987654/doorzetten").status_code == 404


def test_a_request_at_a_loket_shows_nothing_to_hand_over(login_as, network):
    at_utrecht = file_request(network, title=TITLE, description=DESCRIPTION)
    page = login_as("coordinator").get(f"/coordinatie/opvang/{at_utrecht.id}/doorzetten")
    assert page.status_code == 200 and "staat niet (meer) in de opvangwachtrij" in _html(page)
    assert at_utrecht.reference not in _html(page) and TITLE not in _html(page)


def test_the_fallback_queue_with_hand_overs_uses_a_constant_number_of_queries(app, login_as, network):
    coordinator = login_as("coordinator")

    def handed_over(count):
        for _ in range(count):
            request = file_request(network, who="zeist_contact", club="club_zeist", category="overig")
            _hand_over(coordinator, request, network.loket_utrecht.team.id)

    handed_over(2)
    with count_queries(app) as few:
        assert coordinator.get("/coordinatie/opvang").status_code == 200
    handed_over(6)
    with count_queries(app) as many:
        assert coordinator.get("/coordinatie/opvang").status_code == 200
    assert len(many) == len(few), "\n".join(many)


# ---------------------------------------------------------------- an aanmelding

def test_the_coordinatiepunt_hands_an_aanmelding_to_a_loket_which_decides_it(login_as, network, national):
    coordinator = login_as("coordinator")
    listed = _html(coordinator.get("/coordinatie/aanmeldingen"))
    assert f"/coordinatie/aanmeldingen/{national.id}/doorzetten" in listed
    page = coordinator.get(f"/coordinatie/aanmeldingen/{national.id}/doorzetten")
    html = _html(page)
    assert page.status_code == 200 and "Zeister Zwemclub" in html and "Zeist" in html
    assert "Zwanet" not in html and "zwanet@zeist.example" not in html
    assert [name for name in re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)] == [
        "Sportloket Eemland", "Sportloket Utrecht"]

    answer = coordinator.post(f"/coordinatie/aanmeldingen/{national.id}/doorzetten",
                              data={"loket": network.loket_utrecht.id, "reason": REASON})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/coordinatie/aanmeldingen")
    listed = _html(coordinator.get("/coordinatie/aanmeldingen"))
    assert "Doorgezet naar Sportloket Utrecht: dat loket besluit over deze aanmelding." in listed
    assert "Zwanet" not in listed
    assert f'/aanmeldingen/{national.id}/goedkeuren' not in listed  # no longer the coördinatiepunt's to decide
    assert coordinator.post(f"/aanmeldingen/{national.id}/goedkeuren").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(ClubRegistration, national.id).state == "pending"

    loket = login_as("ondersteuner")
    queue = _html(loket.get("/wachtrij/aanmeldingen"))
    assert "Zeister Zwemclub" in queue and "Zwanet Zwemmer" in queue and "Doorgezet door het coördinatiepunt" in queue
    assert f"/aanmeldingen/{national.id}#teruggeven" in queue
    assert "Teruggeven aan het coördinatiepunt" in _html(loket.get(f"/aanmeldingen/{national.id}"))
    assert login_as("ondersteuner_eemland").get(f"/aanmeldingen/{national.id}").status_code == 404
    assert loket.post(f"/aanmeldingen/{national.id}/goedkeuren", data={"terug": "wachtrij"}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(ClubRegistration, national.id).state == "approved"


def test_the_loket_hands_an_aanmelding_back(login_as, network, national):
    registrations.hand_over(national.id, actor=network.coordinator, loket_id=network.loket_utrecht.id, reason=REASON)
    loket = login_as("ondersteuner")
    empty = loket.post(f"/aanmeldingen/{national.id}/teruggeven", data={"reason": ""})
    assert empty.status_code == 400 and "Schrijf op waarom jullie loket hier niet over besluit" in _html(empty)
    nul = loket.post(f"/aanmeldingen/{national.id}/teruggeven", data={"reason": "Nee\x00"})
    assert nul.status_code == 400 and "stuurtekens" in _html(nul)
    _db.session.expire_all()
    assert _db.session.get(ClubRegistration, national.id).handover_loket_id == network.loket_utrecht.id

    answer = loket.post(f"/aanmeldingen/{national.id}/teruggeven", data={"reason": "Te ver weg."})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/wachtrij/aanmeldingen")
    assert f"registration-{national.id}-title" not in _html(loket.get("/wachtrij/aanmeldingen"))
    assert loket.get(f"/aanmeldingen/{national.id}").status_code == 404
    listed = _html(login_as("coordinator").get("/coordinatie/aanmeldingen"))
    assert "Doorgezet naar" not in listed and f"/aanmeldingen/{national.id}/goedkeuren" in listed
    # Only a clubondersteuner hands back.
    for who in ("coordinator", "zeist_contact", "beheerder"):
        assert login_as(who).post(f"/aanmeldingen/{national.id}/teruggeven",
                                  data={"reason": "x"}).status_code == 403


@pytest.mark.parametrize("loket, reason, message", [
    ("987654", REASON, "Kies een operationeel loket uit de lijst."),
    ("bunnik", REASON, "Sportloket Bunnik is nog niet operationeel"),
    (str(2**31), REASON, "Kies een operationeel loket uit de lijst."),
    ("1\x00", REASON, "Kies een operationeel loket uit de lijst."),
    ("utrecht", "  ", "Schrijf op waarom dit loket over de aanmelding kan besluiten."),
    ("utrecht", "Om\x00dat", "stuurtekens"),
])
def test_bad_input_for_an_aanmelding_answers_400_and_stores_nothing(login_as, network, national, loket, reason,
                                                                      message):
    lokets = {"bunnik": network.loket_bunnik.id, "utrecht": network.loket_utrecht.id}
    coordinator = login_as("coordinator")
    before = _stored()
    answer = coordinator.post(f"/coordinatie/aanmeldingen/{national.id}/doorzetten",
                              data={"loket": lokets.get(loket, loket), "reason": reason})
    assert answer.status_code == 400 and message in _html(answer) and "Zwanet" not in _html(answer)
    assert _stored() == before
    _db.session.expire_all()
    assert _db.session.get(ClubRegistration, national.id).handover_loket_id is None
