"""The search box on the queue and on a club's list (issue #14 point 1): the words find what the role may read,
marked; a reference opens its request; a bad search is a Dutch 400 beside the box."""
from loket.services.requests import actions
from tests.support.requests import file_request


def _planted(network):
    kantine = file_request(network, category="overig", title="Hulp in de kantine",
                           description="We zoeken een vrijwilliger voor de bar.")
    actions.add_message(kantine, actor=network.ondersteuner, body="Penningmeester lijkt overbelast.", internal=True,
                        as_supporter=True)
    file_request(network, category="overig", title="Contributie innen", description="Hoe doen anderen dat?")
    return kantine


def test_the_queue_finds_marks_and_keeps_the_other_filters(network, login_as):
    _planted(network)
    supporter = login_as("ondersteuner")
    page = supporter.get("/wachtrij/?q=vrijwilligers&status=alle").get_data(as_text=True)
    assert "Hulp in de kantine" in page and "Contributie innen" not in page
    assert "<mark>vrijwilliger</mark>" in page and "1 aanvraag gevonden voor ‘vrijwilligers’" in page
    assert 'value="vrijwilligers"' in page  # the box keeps the words
    note = supporter.get("/wachtrij/?q=penningmeester").get_data(as_text=True)
    assert "<mark>Penningmeester</mark>" in note  # the team reads its notes
    assert "Niets gevonden" in supporter.get("/wachtrij/?q=vrijwilligers&status=gesloten").get_data(as_text=True)
    other = login_as("ondersteuner_eemland").get("/wachtrij/?q=kantine&status=alle").get_data(as_text=True)
    assert "Hulp in de kantine" not in other


def test_the_club_finds_its_requests_but_never_a_note(network, login_as):
    _planted(network)
    club = login_as("club_contact")
    assert "<mark>kantine</mark>" in club.get("/club/aanvragen?q=kantine").get_data(as_text=True)
    page = club.get("/club/aanvragen?q=penningmeester").get_data(as_text=True)
    assert "Niets gevonden" in page and "Penningmeester" not in page
    assert "Hulp in de kantine" not in login_as("other_club_contact").get("/club/aanvragen?q=kantine").get_data(as_text=True)


def test_a_reference_opens_its_request_for_those_who_may(network, login_as):
    kantine = _planted(network)
    response = login_as("ondersteuner").get(f"/wachtrij/?q={kantine.reference.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/wachtrij/{kantine.id}")
    response = login_as("club_contact").get(f"/club/aanvragen?q={kantine.reference}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/club/aanvragen/{kantine.id}")
    # Someone who may not open it stays on the list, which finds nothing.
    assert login_as("ondersteuner_eemland").get(f"/wachtrij/?q={kantine.reference}").status_code == 200
    assert login_as("other_club_contact").get(f"/club/aanvragen?q={kantine.reference}").status_code == 200


def test_a_bad_search_is_a_dutch_400_beside_the_box(network, login_as):
    for client, url in ((login_as("ondersteuner"), "/wachtrij/"), (login_as("club_contact"), "/club/aanvragen")):
        for value in ("x" * 101, "kantine%00", "%1B%5B31m"):
            response = client.get(f"{url}?q={value}")
            assert response.status_code == 400, (url, value)
            page = response.get_data(as_text=True)
            assert 'id="f-q-error"' in page and 'aria-invalid="true"' in page
        assert client.get(f"{url}?q=" + "%22OR%22%20-%20(%20*").status_code == 200  # operators are words
