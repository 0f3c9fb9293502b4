"""GET /api/v1/requests?q=… (issue #14 point 1): search over the API, combinable with the filters, with the
same visibility as the list (a club never finds words of an internal note)."""
from urllib.parse import quote

from loket.services.requests import actions
from tests.support.api import assert_problem
from tests.support.requests import file_request


def _ids(client, query):
    return [item["id"] for item in client.get(f"/requests?{query}").get_json()["items"]]


def test_q_finds_words_the_caller_may_read_and_combines_with_the_filters(api, network):
    n = network
    kantine = file_request(n, category="overig", title="Hulp in de kantine", description="Een vrijwilliger gezocht.")
    actions.add_message(kantine, actor=n.ondersteuner, body="Penningmeester overbelast.", internal=True,
                        as_supporter=True)
    file_request(n, category="overig", title="Contributie innen", description="Hoe doen andere clubs dat?")
    supporter, club = api("ondersteuner"), api("club_contact")
    assert _ids(supporter, "q=vrijwilligers") == [kantine.id]
    assert _ids(supporter, "q=penningmeester") == [kantine.id]
    assert _ids(club, "q=penningmeester") == []
    assert _ids(club, "q=kantine") == [kantine.id]
    assert _ids(supporter, "q=kantine&status=opgelost") == []
    assert _ids(supporter, "q=kantine&status=open&category=overig") == [kantine.id]
    assert _ids(api("ondersteuner_eemland"), "q=kantine") == []
    assert _ids(supporter, "q=" + quote('kantine" OR -x ("')) in ([], [kantine.id])  # operators: no error


def test_a_bad_q_is_a_422_on_the_field(api, network):
    client = api("ondersteuner")
    for value in ("x" * 101, "kantine%00", "%1B%5B31m"):
        assert_problem(client.get(f"/requests?q={value}"), 422, field="q")
