"""Landelijke initiatieven as beheer keeps them: listing and searching, adding one with its team, editing, the
history; bad input is a Dutch message and nothing stored."""
import pytest

from loket.extensions import db as _db
from loket.models import Initiative, NetworkChange, Team
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import history, initiatives
from tests.factories import InitiativeFactory
from tests.support.db import count_rows


def _stored():
    return count_rows(Initiative), count_rows(Team), count_rows(NetworkChange)


def test_the_list_is_by_name_and_searches_name_key_and_description(network):
    InitiativeFactory(key="clubkadercoaches", name="Clubkadercoaches", description="Coaches voor het clubkader")
    _db.session.commit()
    names = [i.name for i in initiatives.list_initiatives().items]
    assert names == ["Clubkadercoaches", "SPN procesbegeleiders"]
    assert [i.key for i in initiatives.list_initiatives(text="kader").items] == ["clubkadercoaches"]
    assert [i.key for i in initiatives.list_initiatives(text="SPN").items] == ["spn"]
    assert [i.key for i in initiatives.list_initiatives(text="coaches voor").items] == ["clubkadercoaches"]
    with pytest.raises(InvalidInput):
        initiatives.list_initiatives(text="a\x00b")


def test_creating_one_gives_it_a_team_and_history(network):
    created = initiatives.create_initiative(
        key=" Sociaal-Veilig ", name="  Programma   Sociaal veilig ", description="Vertrouwenscontactpersonen",
        email="Info@Veilig.Example", url="https://veilig.example/", actor=network.beheerder)
    _db.session.expire_all()
    stored = initiatives.get_initiative("sociaal-veilig")
    assert stored.id == created.id and stored.name == "Programma Sociaal veilig"
    assert stored.email == "info@veilig.example" and stored.url == "https://veilig.example/"
    assert stored.team is not None and stored.team.kind == "initiatief" and stored.team.name == stored.name
    rows = history.of_initiative(stored.id)
    assert {(r.subject, r.field, r.new_value) for r in rows} == {
        ("initiative", "name", "Programma Sociaal veilig"), ("initiative", "description", "Vertrouwenscontactpersonen"),
        ("initiative", "email", "info@veilig.example"), ("initiative", "url", "https://veilig.example/")}
    assert all(r.actor_id == network.beheerder.id for r in rows)


def test_optional_fields_may_stay_empty(network):
    created = initiatives.create_initiative(key="kort", name="Kort", actor=network.beheerder)
    assert (created.description, created.email, created.url) == (None, None, None)
    assert [r.field for r in history.of_initiative(created.id)] == ["name"]


@pytest.mark.parametrize("fields, field, message", [
    ({"key": "spn"}, "key", "Er bestaat al een landelijk initiatief met de sleutel ‘spn’."),
    ({"key": ""}, "key", "Een sleutel bestaat uit kleine letters"),
    ({"key": "met spatie"}, "key", "Een sleutel bestaat uit kleine letters"),
    ({"key": "a" * 41}, "key", "Een sleutel bestaat uit kleine letters"),
    ({"key": "nul\x00"}, "key", "Een sleutel bestaat uit kleine letters"),
    ({"key": "nieuw"}, "key", "De sleutel ‘nieuw’ is gereserveerd"),  # /beheer/initiatieven/nieuw is a page
    # The API's /collaborators/initiatief/<id or key> reads "1" as initiative 1: it would name another one.
    ({"key": "1"}, "key", "De sleutel ‘1’ bestaat alleen uit cijfers"),
    ({"name": ""}, "name", "Vul de naam van het landelijk initiatief in."),
    ({"name": "   "}, "name", "Vul de naam van het landelijk initiatief in."),
    ({"name": "N" * 201}, "name", "De naam mag maximaal 200 tekens lang zijn"),
    ({"name": "Naam\x1b[31m"}, "name", "Gebruik geen stuurtekens"),
    ({"description": "d" * 2001}, "description", "De beschrijving mag maximaal 2000 tekens lang zijn"),
    ({"description": "regel\x00"}, "description", "Gebruik geen stuurtekens"),
    ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
    ({"email": "a\x00@b.nl"}, "email", "Vul een geldig e-mailadres in"),
    ({"url": "javascript:alert(1)"}, "url", "beginnend met https://"),
    ({"url": "https://"}, "url", "beginnend met https://"),
    ({"url": "https://x.nl/" + "p" * 300}, "url", "Het webadres mag maximaal 300 tekens lang zijn"),
])
def test_bad_input_is_a_dutch_message_and_nothing_is_stored(network, fields, field, message):
    before = _stored()
    values = {"key": "nieuw-programma", "name": "Nieuw programma", **fields}
    with pytest.raises(InvalidInput) as raised:
        initiatives.create_initiative(**values, actor=network.beheerder)
    assert message in raised.value.errors[field]
    _db.session.rollback()
    assert _stored() == before


def test_editing_records_what_changed_and_keeps_the_key(network):
    initiatives.update_initiative("spn", name="SPN-procesbegeleiders", description="Begeleiding bij processen",
                                  email="", url="https://spn.example", actor=network.beheerder)
    _db.session.expire_all()
    spn = initiatives.get_initiative("spn")
    assert (spn.key, spn.name, spn.description, spn.url) == (
        "spn", "SPN-procesbegeleiders", "Begeleiding bij processen", "https://spn.example")
    changed = {(r.field, r.old_value, r.new_value) for r in history.of_initiative(spn.id)}
    assert ("name", "SPN procesbegeleiders", "SPN-procesbegeleiders") in changed
    assert ("url", None, "https://spn.example") in changed
    assert not any(field == "email" for field, _, _ in changed)  # empty before and after: nothing recorded


def test_a_bad_edit_changes_nothing(network):
    before = _stored()
    with pytest.raises(InvalidInput) as raised:
        initiatives.update_initiative("spn", name="", email="kapot", actor=network.beheerder)
    assert set(raised.value.errors) == {"name", "email"}
    _db.session.expire_all()
    assert initiatives.get_initiative("spn").name == "SPN procesbegeleiders"
    assert _stored() == before


@pytest.mark.parametrize("key", ["bestaat-niet", "", None, "x" * 41, "nul\x00", 7])
def test_an_unknown_key_is_not_found(network, key):
    with pytest.raises(NotFound):
        initiatives.get_initiative(key)
    with pytest.raises(NotFound):
        initiatives.update_initiative(key, name="X", actor=network.beheerder)


def test_team_sizes_count_active_members_and_leads_in_one_query(app, network):
    from tests.factories import make_user
    from tests.support.db import count_queries
    other = InitiativeFactory(key="leeg", name="Nog leeg")
    make_user("initiatiefmedewerker", network.spn, team_lead=True)
    gone = make_user("initiatiefmedewerker", network.spn)
    gone.active = False
    _db.session.commit()
    ids = [network.spn.id, other.id]
    with count_queries(app) as queries:
        sizes = initiatives.team_sizes(ids)
    assert sizes == {ids[0]: (2, 1)} and len(queries) == 1
    assert initiatives.team_sizes([]) == {}
