"""Routing (DESIGN §4): the pure `route` by table, then `route_for` against the test network."""
import pytest

from loket.extensions import db
from loket.services.network.teams import team_for
from loket.services.requests.routing import (
    BondState,
    LoketState,
    Route,
    route,
    route_for,
)
from tests.support.lookups import category

# ----------------------------------------------------------------------------- pure `route`, by table

OPERATIONAL = LoketState(id=11, name="Sportloket Utrecht", operational=True)
IN_OPRICHTING = LoketState(id=12, name="Sportloket Bunnik", operational=False)
KNVB = BondState(id=21, key="knvb", name="KNVB", aangesloten=True)
KNLTB = BondState(id=22, key="knltb", name="KNLTB", aangesloten=False)
# Two bonden covering one sport; keys chosen so that the lower key has the HIGHER id and comes second
# in the tuple, so "lowest key wins" cannot be confused with "first in tuple" or "lowest id".
BOND_B = BondState(id=31, key="b-bond", name="Bond B", aangesloten=True)
BOND_A = BondState(id=32, key="a-bond", name="Bond A", aangesloten=True)
BOND_A_LOS = BondState(id=32, key="a-bond", name="Bond A", aangesloten=False)

# (id, kwargs for route, expected team_kind, expected organisation_id, words the reason must contain)
CASES = [
    pytest.param(
        dict(scope="generiek", gemeente_name="Utrecht", loket=OPERATIONAL),
        "loket", 11, ["Utrecht", "Sportloket Utrecht", "valt onder"],
        id="generiek-operationeel-loket",
    ),
    pytest.param(
        dict(scope="generiek", gemeente_name="Bunnik", loket=IN_OPRICHTING),
        "fallback", None, ["Bunnik", "Sportloket Bunnik", "nog niet operationeel", "coördinatiepunt"],
        id="generiek-loket-in-oprichting-naar-opvang",
    ),
    pytest.param(
        dict(scope="generiek", gemeente_name="Zeist", loket=None),
        "fallback", None, ["Zeist", "nog geen loket", "coördinatiepunt"],
        id="generiek-geen-loket-naar-opvang",
    ),
    pytest.param(
        # A generic request ignores any sport and bonden passed along.
        dict(scope="generiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="voetbal",
             sport_bonden=(KNVB,)),
        "loket", 11, ["Sportloket Utrecht"],
        id="generiek-negeert-bond",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="voetbal",
             sport_bonden=(KNVB,)),
        "bond", 21, ["voetbal", "KNVB", "Sportspecifieke vraag"],
        id="sportspecifiek-aangesloten-bond",
    ),
    pytest.param(
        # The bond wins even when the gemeente has no operational loket.
        dict(scope="sportspecifiek", gemeente_name="Zeist", loket=None, sport_name="voetbal",
             sport_bonden=(KNVB,)),
        "bond", 21, ["KNVB"],
        id="sportspecifiek-aangesloten-bond-zonder-loket",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="tennis",
             sport_bonden=(KNLTB,)),
        "loket", 11, ["tennis", "KNLTB", "niet aangesloten", "valt onder Sportloket Utrecht"],
        id="sportspecifiek-bond-niet-aangesloten-naar-loket",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="jeu de boules",
             sport_bonden=()),
        "loket", 11, ["geen bond bekend", "jeu de boules", "valt onder Sportloket Utrecht"],
        id="sportspecifiek-geen-bond-naar-loket",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Bunnik", loket=IN_OPRICHTING, sport_name="tennis",
             sport_bonden=(KNLTB,)),
        "fallback", None, ["KNLTB", "niet aangesloten", "Bunnik", "nog niet operationeel", "coördinatiepunt"],
        id="sportspecifiek-bond-niet-aangesloten-loket-in-oprichting-naar-opvang",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Zeist", loket=None, sport_name="tennis",
             sport_bonden=(KNLTB,)),
        "fallback", None, ["KNLTB", "niet aangesloten", "Zeist", "nog geen loket", "coördinatiepunt"],
        id="sportspecifiek-bond-niet-aangesloten-geen-loket-naar-opvang",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Zeist", loket=None, sport_name="jeu de boules",
             sport_bonden=()),
        "fallback", None, ["geen bond bekend", "nog geen loket", "coördinatiepunt"],
        id="sportspecifiek-geen-bond-geen-loket-naar-opvang",
    ),
    pytest.param(
        # The aangesloten one wins whatever the order in the tuple.
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="hockey",
             sport_bonden=(BOND_A_LOS, BOND_B)),
        "bond", 31, ["Bond B"],
        id="twee-bonden-een-aangesloten",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="hockey",
             sport_bonden=(BOND_B, BOND_A)),
        "bond", 32, ["Bond A"],
        id="twee-bonden-aangesloten-laagste-key",
    ),
    pytest.param(
        dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="hockey",
             sport_bonden=(BOND_A, BOND_B)),
        "bond", 32, ["Bond A"],
        id="twee-bonden-aangesloten-laagste-key-andere-volgorde",
    ),
]


@pytest.mark.parametrize(("kwargs", "team_kind", "organisation_id", "reason_words"), CASES)
def test_route_table(kwargs, team_kind, organisation_id, reason_words):
    decision = route(**kwargs)

    assert isinstance(decision, Route)
    assert decision.team_kind == team_kind
    assert decision.organisation_id == organisation_id
    for word in reason_words:
        assert word in decision.reason, f"{word!r} missing from {decision.reason!r}"


def test_route_exact_reason_texts():
    """Pin the full Dutch sentences once, so a garbled timeline message is caught."""
    assert route(scope="generiek", gemeente_name="Utrecht", loket=OPERATIONAL).reason == (
        "Gemeente Utrecht valt onder Sportloket Utrecht."
    )
    assert route(scope="generiek", gemeente_name="Zeist", loket=None).reason == (
        "Gemeente Zeist heeft nog geen loket: opvang door het landelijk coördinatiepunt."
    )
    assert route(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="tennis",
                 sport_bonden=(KNLTB,)).reason == (
        "De bond voor tennis (KNLTB) is nog niet aangesloten. "
        "Gemeente Utrecht valt onder Sportloket Utrecht."
    )


def test_route_is_pure_and_deterministic():
    kwargs = dict(scope="sportspecifiek", gemeente_name="Utrecht", loket=OPERATIONAL, sport_name="hockey",
                  sport_bonden=(BOND_B, BOND_A))
    assert route(**kwargs) == route(**kwargs)
    assert route(**kwargs) == route(**{**kwargs, "sport_bonden": (BOND_A, BOND_B)})


# ----------------------------------------------------------------------------- `route_for` on the network

SPORTSPECIFIEK = "sporttechnisch-competitie"
GENERIEK = "bestuur-organisatie"


def test_categories_have_the_expected_scopes(network):
    assert category(SPORTSPECIFIEK).scope == "sportspecifiek"
    assert category(GENERIEK).scope == "generiek"


def test_route_for_generic_goes_to_the_clubs_loket(network):
    team, decision = route_for(network.club_utrecht, category(GENERIEK), None)

    assert team.kind == "loket"
    assert team.loket_id == network.loket_utrecht.id
    assert team is team_for("loket", network.loket_utrecht.id)
    assert decision.team_kind == "loket"
    assert decision.organisation_id == network.loket_utrecht.id
    assert decision.reason == "Gemeente Utrecht valt onder Sportloket Utrecht."


def test_route_for_sport_specific_with_aangesloten_bond_goes_to_the_bond(network):
    team, decision = route_for(network.club_utrecht, category(SPORTSPECIFIEK), network.voetbal)

    assert team.kind == "bond"
    assert team.bond_id == network.knvb.id
    assert decision.organisation_id == network.knvb.id
    assert "KNVB" in decision.reason


def test_route_for_sport_specific_with_non_aangesloten_bond_goes_to_the_loket(network):
    team, decision = route_for(network.club_utrecht, category(SPORTSPECIFIEK), network.tennis)

    assert team.kind == "loket"
    assert team.loket_id == network.loket_utrecht.id
    assert "KNLTB" in decision.reason
    assert "niet aangesloten" in decision.reason


def test_route_for_generic_without_loket_goes_to_fallback(network):
    team, decision = route_for(network.club_zeist, category(GENERIEK), None)

    assert team.kind == "fallback"
    assert team.id == network.fallback_team.id
    assert decision.organisation_id is None
    assert "Zeist" in decision.reason and "nog geen loket" in decision.reason


def test_route_for_loket_in_oprichting_goes_to_fallback(network):
    team, decision = route_for(network.club_bunnik, category(GENERIEK), None)

    assert team.kind == "fallback"
    assert team.id == network.fallback_team.id
    assert "Sportloket Bunnik" in decision.reason and "nog niet operationeel" in decision.reason


def test_route_for_tennis_in_bunnik_falls_through_bond_and_loket_to_fallback(network):
    # KNLTB not aangesloten → loket; Bunnik's loket in oprichting → fallback.
    team, decision = route_for(network.club_bunnik, category(SPORTSPECIFIEK), network.tennis)

    assert team.id == network.fallback_team.id
    assert "KNLTB" in decision.reason and "nog niet operationeel" in decision.reason


def test_route_for_amersfoort_goes_to_the_loket_serving_two_gemeenten(network):
    team, decision = route_for(network.club_amersfoort, category(GENERIEK), None)

    assert team.kind == "loket"
    assert team.loket_id == network.loket_eemland.id
    assert decision.reason == "Gemeente Amersfoort valt onder Sportloket Eemland."
    assert {g.name for g in network.loket_eemland.gemeenten} == {"Amersfoort", "Leusden"}


def test_route_for_follows_a_bond_becoming_aangesloten(network):
    network.knltb.aangesloten = True
    db.session.flush()

    team, _ = route_for(network.club_utrecht, category(SPORTSPECIFIEK), network.tennis)

    assert team.kind == "bond"
    assert team.bond_id == network.knltb.id


def test_route_for_follows_a_loket_becoming_operational(network):
    network.loket_bunnik.status = "operationeel"
    db.session.flush()

    team, _ = route_for(network.club_bunnik, category(GENERIEK), None)

    assert team.kind == "loket"
    assert team.loket_id == network.loket_bunnik.id


def test_team_for_missing_team_raises_lookup_error(network):
    with pytest.raises(LookupError):
        team_for("loket", 999_999)
