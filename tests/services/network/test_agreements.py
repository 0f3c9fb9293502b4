"""Agreements per bond and category (services/network/agreements) and how confirmed ones route requests."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import BondAgreement, Collaborator, NetworkChange
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.network import agreements
from loket.services.requests.routing import BondState, LoketState, route
from tests.factories import BondFactory, ClubFactory, SportFactory, make_user
from tests.support.db import count_rows
from tests.support.requests import file_request
from tests.support.teams import knvb_lead

SAFE, MONEY = "sociaal-veilige-sport", "financien-subsidies-fondsen"

# ----------------------------------------------------------------------------- the pure rule, by table

LOKET = LoketState(id=1, name="Sportloket Utrecht", operational=True)
NOT_YET = LoketState(id=2, name="Sportloket Bunnik", operational=False)


def _bond(handled_by=None, *, key="knvb", aangesloten=True, id=7):
    return BondState(id=id, key=key, name=key.upper(), aangesloten=aangesloten, handled_by=handled_by)


@pytest.mark.parametrize("scope, loket, bonden, expected", [
    ("generiek", LOKET, (_bond("bond"),), ("bond", 7, None)),
    ("generiek", LOKET, (_bond("samen"),), ("loket", 1, 7)),
    ("generiek", LOKET, (_bond("loket"),), ("loket", 1, None)),
    ("generiek", LOKET, (_bond(None),), ("loket", 1, None)),  # no agreement: generiek stays at the loket
    ("generiek", LOKET, (_bond("bond", aangesloten=False),), ("loket", 1, None)),  # a bond not aangesloten
    ("generiek", NOT_YET, (_bond("samen"),), ("bond", 7, None)),  # samen without a loket: the bond alone
    ("generiek", None, (_bond("loket"),), ("fallback", None, None)),
    ("sportspecifiek", LOKET, (_bond(None),), ("bond", 7, None)),  # the default of the scope
    ("sportspecifiek", LOKET, (_bond("loket"),), ("loket", 1, None)),
    ("sportspecifiek", LOKET, (_bond("samen"),), ("loket", 1, 7)),
    # Two bonden of the club's sports: the first (by key) whose agreement involves a bond decides.
    ("generiek", LOKET, (_bond("bond", key="b-bond", id=8), _bond("loket", key="a-bond", id=9)), ("bond", 8, None)),
    ("generiek", LOKET, (_bond("samen", key="b-bond", id=8), _bond("bond", key="a-bond", id=9)), ("bond", 9, None)),
], ids=lambda value: value if isinstance(value, str) else None)
def test_route_follows_the_confirmed_agreement(scope, loket, bonden, expected):
    decision = route(scope=scope, gemeente_name="Utrecht", loket=loket, sport_name="voetbal", sport_bonden=bonden,
                     category_name="Sociaal veilige sport")
    assert (decision.team_kind, decision.organisation_id, decision.invited_bond_id) == expected


def test_the_reason_names_the_agreement():
    decision = route(scope="generiek", gemeente_name="Utrecht", loket=LOKET, sport_bonden=(_bond("samen"),),
                     category_name="Financiën, subsidies & fondsen")
    assert "Afspraak van KNVB over ‘Financiën, subsidies & fondsen’" in decision.reason
    assert "samen met de bond" in decision.reason and "KNVB werkt mee" in decision.reason


# ----------------------------------------------------------------------------- proposing and confirming

def test_a_bonds_agreements_route_once_the_coordinatiepunt_confirms_them(network):
    """The issue's 'done when': KNVB handles social safety itself and money together with the loket."""
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=lead)
    proposed_only = file_request(network, category=SAFE)  # VV Utrechtse Boys plays voetbal (KNVB)
    assert proposed_only.owner_team_id == network.loket_utrecht.team.id  # a proposal does not route

    state = agreements.confirm("knvb", actor=network.coordinator)
    assert state.state == "confirmed" and state.proposed is None
    safe = file_request(network, category=SAFE)
    assert safe.owner_team_id == network.knvb.team.id
    routed = next(e for e in safe.events if e.kind == "routed")
    assert "Afspraak van KNVB over ‘Sociaal veilige sport’" in routed.body

    money = file_request(network, category=MONEY)
    assert money.owner_team_id == network.loket_utrecht.team.id
    invited = _db.session.scalar(select(Collaborator).where(Collaborator.request_id == money.id))
    assert invited.team_id == network.knvb.team.id and invited.ended_at is None
    assert [e.kind for e in money.events][:3] == ["created", "routed", "collaborator_added"]
    # A category left out keeps its default.
    assert file_request(network, category="vrijwilligers-kader").owner_team_id == network.loket_utrecht.team.id


def test_what_routes_and_what_is_proposed_are_both_shown(network):
    lead = knvb_lead(network)
    assert agreements.agreements_of(network.knvb).state == "none"
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    state = agreements.agreements_of(network.knvb)
    assert state.state == "proposed" and state.proposed == {SAFE: "bond"}
    current = {a.category.slug: (a.handled_by, a.is_default) for a in state.current}
    assert current[SAFE] == ("loket", True) and current["sporttechnisch-competitie"] == ("bond", True)


def test_a_new_proposal_replaces_the_pending_one_and_confirming_replaces_the_confirmed_set(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    agreements.propose("knvb", [(MONEY, "loket")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    rows = _db.session.scalars(select(BondAgreement).where(BondAgreement.bond_id == network.knvb.id)).all()
    assert [(row.category.slug, row.handled_by, row.state) for row in rows] == [(MONEY, "loket", "confirmed")]
    assert file_request(network, category=SAFE).owner_team_id == network.loket_utrecht.team.id


def test_every_proposal_and_confirmation_is_kept_in_the_bonds_history(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    changes = _db.session.scalars(select(NetworkChange).where(NetworkChange.bond_id == network.knvb.id)
                                  .order_by(NetworkChange.id)).all()
    assert [(c.field, c.old_value, c.new_value, c.actor_id) for c in changes] == [
        ("agreement_proposed", None, "Sociaal veilige sport: de bond", lead.id),
        ("agreement", "Sociaal veilige sport: het loket", "Sociaal veilige sport: de bond", network.coordinator.id),
    ]


def test_only_the_bonds_lead_proposes_and_only_the_coordinatiepunt_confirms(network):
    lead = knvb_lead(network)
    other_lead = make_user("bondsspecialist", network.knltb, team_lead=True)
    for who in (network.bondsspecialist, other_lead, network.ondersteuner, network.coordinator, network.beheerder):
        with pytest.raises(Forbidden):
            agreements.propose("knvb", [(SAFE, "bond")], actor=who)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    for who in (lead, network.beheerder, network.ondersteuner):
        with pytest.raises(Forbidden):
            agreements.confirm("knvb", actor=who)
    assert count_rows(BondAgreement, BondAgreement.state == "confirmed") == 0


def test_confirming_without_a_proposal_is_a_conflict(network):
    with pytest.raises(Conflict):
        agreements.confirm("knvb", actor=network.coordinator)


@pytest.mark.parametrize("bond, entries, message", [
    ("knvb", [("bestaat-niet", "bond")], "De categorie ‘bestaat-niet’ bestaat niet"),
    ("knvb", [(SAFE, "bond"), (SAFE, "loket")], "staat twee keer in het voorstel"),
    ("knvb", [(SAFE, "iedereen")], "Kies bij ‘Sociaal veilige sport’ wie de vraag behandelt"),
    ("knvb", [("geheim\x00", "bond")], "bestaat niet"),
    # A generic category cannot go to a bond that is not aangesloten.
    ("knltb", [(SAFE, "samen")], "KNLTB is nog niet aangesloten"),
])
def test_bad_agreements_are_refused_in_dutch_and_nothing_is_stored(network, bond, entries, message):
    lead = knvb_lead(network) if bond == "knvb" else make_user("bondsspecialist", network.knltb, team_lead=True)
    with pytest.raises(InvalidInput) as refused:
        agreements.propose(bond, entries, actor=lead)
    assert message in refused.value.errors["agreements"]
    assert count_rows(BondAgreement) == 0 and count_rows(NetworkChange, NetworkChange.field.like("agreement%")) == 0


def test_an_onderneming_is_routed_by_its_brancheorganisatie(network):
    fitness = SportFactory(name="fitness")
    branche = BondFactory(key="fitnessbranche", name="Fitnessbranche", kind="brancheorganisatie",
                          sports=[fitness], aangesloten=True)
    sportbond = BondFactory(key="fitnessbond", name="Fitnessbond", sports=[fitness], aangesloten=True)
    gym = ClubFactory(name="Sportschool Domstad", kind="onderneming", gemeente=network.utrecht, sports=[fitness])
    vereniging = ClubFactory(name="Fitnessvereniging Utrecht", gemeente=network.utrecht, sports=[fitness])
    owner = make_user("club", gym)
    member = make_user("club", vereniging)
    branche_lead = make_user("bondsspecialist", branche, team_lead=True)
    bond_lead = make_user("bondsspecialist", sportbond, team_lead=True)
    _db.session.commit()
    agreements.propose("fitnessbranche", [(SAFE, "bond")], actor=branche_lead)
    agreements.confirm("fitnessbranche", actor=network.coordinator)
    agreements.propose("fitnessbond", [(SAFE, "loket")], actor=bond_lead)
    agreements.confirm("fitnessbond", actor=network.coordinator)

    assert file_request(network, who=owner, club=gym, category=SAFE).owner_team_id == branche.team.id
    assert file_request(network, who=member, club=vereniging, category=SAFE).owner_team_id == \
        network.loket_utrecht.team.id
