"""Bonden: adding one (with its team and sports), editing names and aansluiting (with a date, never in the future),
sports added and taken off, the searchable list — and every change kept in the network history."""
from datetime import date

import pytest

from loket.extensions import db as _db
from loket.models import Bond, NetworkChange, Sport, Team
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import bonden, history
from tests.factories import BondFactory
from tests.support.db import count_rows, reloaded

TODAY = date(2026, 3, 10)


def _changes(bond):
    return [(c.field, c.old_value, c.new_value) for c in reversed(history.of_bond(bond.id))]


def _stored():
    return count_rows(Bond), count_rows(Sport), count_rows(Team), count_rows(NetworkChange)


def test_a_new_bond_gets_a_team_its_sports_and_a_history(network):
    bond = bonden.create_bond(key=" NHV ", abbreviation="NHV", name="Nederlands  Handbal Verbond",
                              sport_ids=[str(network.voetbal.id)], new_sports="handbal; Beachhandbal, handbal",
                              actor=network.beheerder)
    bond = reloaded(bond)
    assert (bond.key, bond.name, bond.aangesloten) == ("nhv", "Nederlands Handbal Verbond", False)
    assert [s.name for s in bond.sports] == ["Beachhandbal", "handbal", "voetbal"]
    assert bond.team is not None
    assert _changes(bond) == [("name", None, "Nederlands Handbal Verbond"),
                              ("sports", None, "Beachhandbal, handbal, voetbal")]
    assert history.of_bond(bond.id)[0].actor_id == network.beheerder.id


def test_a_known_sport_name_is_reused_not_doubled(network):
    bond = bonden.create_bond(key="knvb-2", abbreviation="K2", name="Tweede", new_sports="Voetbal",
                              actor=network.beheerder)
    assert [s.id for s in reloaded(bond).sports] == [network.voetbal.id]


@pytest.mark.parametrize("values, field, message", [
    ({"key": "knvb"}, "key", "Er bestaat al een bond met de sleutel ‘knvb’."),
    ({"key": "KN VB"}, "key", bonden.KEY_MESSAGE),
    ({"key": "kn\x00vb"}, "key", bonden.KEY_MESSAGE),
    ({"key": "x" * 41}, "key", bonden.KEY_MESSAGE),
    # Pages beside a bond's key: /beheer/bonden/nieuw, /afspraken/mijn-bond.
    ({"key": "nieuw"}, "key", "De sleutel ‘nieuw’ is gereserveerd; kies een andere."),
    ({"key": "Mijn-Bond"}, "key", "De sleutel ‘mijn-bond’ is gereserveerd; kies een andere."),
    # The API's /collaborators/bond/<id or key> reads "2030" as bond 2030: such a key would name another bond.
    ({"key": "2030"}, "key", "De sleutel ‘2030’ bestaat alleen uit cijfers: de API leest dat als een nummer (id). "
                             "Voeg een letter toe."),
    ({"name": ""}, "name", "Vul de naam van de bond in."),
    ({"name": "Bond\x00"}, "name", bonden.CONTROL_MESSAGE),
    ({"name": "x" * 201}, "name", "De naam mag maximaal 200 tekens lang zijn (nu 201)."),
    ({"abbreviation": ""}, "abbreviation", "Vul de afkorting in, bijvoorbeeld KNVB."),
    ({"abbreviation": "A\x1b"}, "abbreviation", bonden.CONTROL_MESSAGE),
    ({"sport_ids": ["99999"]}, "sports", bonden.SPORT_NOT_FOUND_MESSAGE),
    ({"sport_ids": [str(2**31)]}, "sports", bonden.SPORT_NOT_FOUND_MESSAGE),
    ({"sport_ids": ["1x"]}, "sports", bonden.SPORT_NOT_FOUND_MESSAGE),
    ({"new_sports": "korf\x00bal"}, "sports", bonden.CONTROL_MESSAGE),
    ({"new_sports": "k" * 81}, "sports", "De naam van een sport mag maximaal 80 tekens lang zijn."),
])
def test_bad_input_for_a_new_bond_stores_nothing(network, values, field, message):
    before = _stored()
    arguments = {"key": "nieuwe-bond", "abbreviation": "NW", "name": "Nieuwe bond", "sport_ids": [],
                 "new_sports": "korfbal", **values}
    with pytest.raises(InvalidInput) as raised:
        bonden.create_bond(**arguments, actor=network.beheerder)
    assert raised.value.errors[field] == message
    _db.session.rollback()
    assert _stored() == before


def test_connecting_takes_today_or_a_past_date_and_records_each_field(network):
    bonden.update_bond("knltb", name="KNLTB", abbreviation="KNLTB", aangesloten=True, aangesloten_at="",
                       actor=network.beheerder, today=TODAY)
    knltb = reloaded(network.knltb)
    assert (knltb.aangesloten, knltb.aangesloten_at) == (True, TODAY)
    bonden.update_bond("knltb", name="KNLTB", abbreviation="KNLTB", aangesloten=True, aangesloten_at="01-02-2026",
                       actor=network.beheerder, today=TODAY)
    assert reloaded(network.knltb).aangesloten_at == date(2026, 2, 1)
    bonden.update_bond("knltb", name="KNLTB", abbreviation="KNLTB", aangesloten=False, actor=network.beheerder,
                       today=TODAY)
    assert (reloaded(network.knltb).aangesloten, reloaded(network.knltb).aangesloten_at) == (False, None)
    assert _changes(network.knltb) == [
        ("aangesloten", "nee", "ja"), ("aangesloten_at", None, "2026-03-10"),
        ("aangesloten_at", "2026-03-10", "2026-02-01"),
        ("aangesloten", "ja", "nee"), ("aangesloten_at", "2026-02-01", None)]


def test_saving_unchanged_details_records_nothing(network):
    knvb = network.knvb
    knvb.aangesloten_at = date(2026, 1, 5)
    _db.session.commit()
    bonden.update_bond("knvb", name=knvb.name, abbreviation=knvb.abbreviation, aangesloten=True,
                       aangesloten_at=knvb.aangesloten_at, actor=network.beheerder, today=TODAY)
    assert _changes(knvb) == []


@pytest.mark.parametrize("typed, message", [
    ("2026-03-11", bonden.FUTURE_DATE_MESSAGE),
    ("31-02-2026", bonden.DATE_MESSAGE),
    ("gisteren", bonden.DATE_MESSAGE),
    ("2026\x00-01-01", bonden.DATE_MESSAGE),
])
def test_a_date_in_the_future_or_no_date_is_refused(network, typed, message):
    with pytest.raises(InvalidInput) as raised:
        bonden.update_bond("knltb", name="Nieuwe naam", abbreviation="KNLTB", aangesloten=True,
                           aangesloten_at=typed, actor=network.beheerder, today=TODAY)
    assert raised.value.errors == {"aangesloten_at": message}
    _db.session.rollback()
    knltb = reloaded(network.knltb)
    assert (knltb.name, knltb.aangesloten) == ("KNLTB", False) and _changes(knltb) == []


def test_the_api_path_records_history_too(network):
    bonden.set_bond_aangesloten("knltb", True, today=TODAY)
    bonden.set_bond_aangesloten("knltb", True, today=date(2026, 4, 1))  # already connected: date stays
    assert reloaded(network.knltb).aangesloten_at == TODAY
    changes = history.of_bond(network.knltb.id)
    assert _changes(network.knltb) == [("aangesloten", "nee", "ja"), ("aangesloten_at", None, "2026-03-10")]
    assert all(change.actor_id is None for change in changes)
    with pytest.raises(NotFound):
        bonden.set_bond_aangesloten("nope", True)


def test_sports_are_added_and_taken_off_with_history(network):
    bonden.add_sport("knvb", sport_id=str(network.tennis.id), actor=network.beheerder)
    sport = bonden.add_sport("knvb", new_sport=" zaalvoetbal ", actor=network.beheerder)
    assert [s.name for s in reloaded(network.knvb).sports] == ["tennis", "voetbal", "zaalvoetbal"]
    bonden.remove_sport("knvb", network.tennis.id, actor=network.beheerder)
    assert [s.name for s in reloaded(network.knvb).sports] == ["voetbal", "zaalvoetbal"]
    assert reloaded(network.tennis) is not None and sport.name == "zaalvoetbal"
    assert _changes(network.knvb) == [("sports", "voetbal", "tennis, voetbal"),
                                      ("sports", "tennis, voetbal", "tennis, voetbal, zaalvoetbal"),
                                      ("sports", "tennis, voetbal, zaalvoetbal", "voetbal, zaalvoetbal")]


@pytest.mark.parametrize("arguments, message", [
    ({}, "Kies één sport uit de lijst, of typ de naam van één nieuwe sport."),
    ({"new_sport": "a, b"}, "Kies één sport uit de lijst, of typ de naam van één nieuwe sport."),
    ({"sport_id": "abc"}, bonden.SPORT_NOT_FOUND_MESSAGE),
    ({"new_sport": "Voetbal"}, "KNVB heeft de sport ‘voetbal’ al."),
])
def test_adding_a_sport_refuses_bad_input(network, arguments, message):
    before = _stored()
    with pytest.raises(InvalidInput) as raised:
        bonden.add_sport("knvb", **arguments, actor=network.beheerder)
    assert raised.value.errors == {"sport": message}
    _db.session.rollback()
    assert _stored() == before


def test_removing_a_sport_the_bond_does_not_have_is_not_found(network):
    with pytest.raises(NotFound):
        bonden.remove_sport("knvb", network.tennis.id, actor=network.beheerder)


def test_the_list_searches_name_abbreviation_key_and_sport_and_filters_aangesloten(network):
    BondFactory(key="nevobo", abbreviation="Nevobo", name="Nederlandse Volleybalbond", aangesloten=False,
                sports=[Sport(name="beachvolleybal")])
    _db.session.commit()

    def keys(**filters):
        return [b.key for b in bonden.list_bonden(**filters).items]

    assert keys() == ["knltb", "knvb", "nevobo"]
    assert keys(text="volley") == ["nevobo"]  # name and sport
    assert keys(text="BEACH") == ["nevobo"]  # sport only
    assert keys(text="nltb") == ["knltb"]  # key / abbreviation
    assert keys(text="100%") == [] and keys(text="_") == []  # typed literally, no wildcards
    assert keys(aangesloten=True) == ["knvb"]
    assert keys(aangesloten=False, text="kn") == ["knltb"]
    assert keys(per_page=2, page=2) == ["nevobo"]
    with pytest.raises(InvalidInput):
        bonden.list_bonden(text="a\x00")
