"""Agreements per bond and category (services/network/agreements) and how confirmed ones route requests."""
from datetime import datetime

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Bond, BondAgreement, Category, Collaborator, NetworkChange
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.network import agreements, history
from loket.services.requests.routing import BondState, LoketState, route, route_for
from tests.factories import BondFactory, ClubFactory, SportFactory, make_user
from tests.support.db import count_rows
from tests.support.mails import outbox_rows, rendered
from tests.support.requests import file_request
from tests.support.teams import knvb_lead

SAFE, MONEY, TECH = "sociaal-veilige-sport", "financien-subsidies-fondsen", "sporttechnisch-competitie"

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


# ----------------------------------------------------------------------------- rejecting, the mails

def test_an_empty_proposal_is_refused(network):
    with pytest.raises(InvalidInput) as refused:
        agreements.propose("knvb", [], actor=knvb_lead(network))
    assert "Het voorstel is leeg" in refused.value.errors["agreements"]


def test_the_coordinatiepunt_rejects_a_proposal_with_a_reason_kept_in_the_history(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    agreements.propose("knvb", [(SAFE, "loket")], actor=lead)
    state = agreements.reject("knvb", "  Eerst   overleggen. ", actor=network.coordinator)
    assert state.state == "confirmed" and state.proposed is None  # what was confirmed keeps routing
    assert file_request(network, category=SAFE).owner_team_id == network.knvb.team.id
    [change] = _db.session.scalars(select(NetworkChange).where(NetworkChange.field == "agreement_rejected")).all()
    assert (change.old_value, change.new_value, change.reason, change.actor_id) == (
        "Sociaal veilige sport: het loket", None, "Eerst overleggen.", network.coordinator.id)


@pytest.mark.parametrize("reason, field_message", [("", "Schrijf op waarom"), ("x" * 2001, "maximaal 2000"),
                                                   ("a\x1bb", "stuurtekens")])
def test_a_rejection_needs_a_usable_reason(network, reason, field_message):
    agreements.propose("knvb", [(SAFE, "bond")], actor=knvb_lead(network))
    with pytest.raises(InvalidInput) as refused:
        agreements.reject("knvb", reason, actor=network.coordinator)
    assert field_message in refused.value.errors["reason"]
    assert agreements.agreements_of(network.knvb).state == "proposed"


def test_only_the_coordinatiepunt_rejects_and_only_a_pending_proposal(network):
    lead = knvb_lead(network)
    with pytest.raises(Conflict):
        agreements.reject("knvb", "Nee.", actor=network.coordinator)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    for who in (lead, network.beheerder, network.bondsspecialist):
        with pytest.raises(Forbidden):
            agreements.reject("knvb", "Nee.", actor=who)


def test_a_decision_names_the_proposal_it_saw(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    seen = agreements.proposal_stamp(network.knvb.id)
    agreements.propose("knvb", [(SAFE, "samen")], actor=lead, now=datetime(2030, 1, 1))
    with pytest.raises(Conflict):
        agreements.confirm("knvb", actor=network.coordinator, seen=seen)
    with pytest.raises(Conflict):
        agreements.reject("knvb", "Nee.", actor=network.coordinator, seen=seen)
    agreements.confirm("knvb", actor=network.coordinator, seen=agreements.proposal_stamp(network.knvb.id))
    assert agreements.agreements_of(network.knvb).current[3].handled_by == "samen"


def test_the_coordinatiepunt_is_mailed_a_proposal_and_the_leads_the_decision(network):
    lead = knvb_lead(network)
    other_lead = make_user("bondsspecialist", network.knvb, team_lead=True, name="Anne Tweede")
    second = make_user("coordinatiepunt", name="Dirk Tweede")
    _db.session.commit()
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    assert sorted(row.payload["to"] for row in outbox_rows("agreement_proposed")) == sorted(
        [network.coordinator.email, second.email])
    mail = rendered(outbox_rows("agreement_proposed")[0])
    assert mail.subject == "KNVB stelt afspraken voor" and "/afspraken/knvb" in mail.text
    agreements.confirm("knvb", actor=network.coordinator)
    assert sorted(row.payload["to"] for row in outbox_rows("agreement_confirmed")) == sorted(
        [lead.email, other_lead.email])  # the leads only, not the plain member
    agreements.propose("knvb", [(SAFE, "loket")], actor=lead, now=datetime(2030, 1, 1))
    agreements.reject("knvb", "Past niet bij de afspraken met de loketten.", actor=network.coordinator)
    rejected = outbox_rows("agreement_rejected")
    assert len(rejected) == 2 and "Past niet bij de afspraken" in rendered(rejected[0]).html
    assert len(outbox_rows("agreement_proposed")) == 4  # a second proposal is a second notice


# ----------------------------------------------------------------------------- the list and the page

def test_the_list_shows_each_bonds_state_with_pending_proposals_first(network):
    lead = knvb_lead(network)
    assert [(row.bond.key, row.state) for row in agreements.list_bonden().items] == [("knltb", "none"),
                                                                                      ("knvb", "none")]
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    assert [(row.bond.key, row.state) for row in agreements.list_bonden().items] == [("knvb", "proposed"),
                                                                                      ("knltb", "none")]
    agreements.confirm("knvb", actor=network.coordinator)
    [row] = agreements.list_bonden(state="confirmed").items
    assert row.bond.key == "knvb" and row.confirmed_at is not None and row.proposed_at is None
    assert agreements.state_counts() == {"none": 1, "proposed": 0, "confirmed": 1}
    assert [row.bond.key for row in agreements.list_bonden(text="voet").items] == ["knvb"]
    with pytest.raises(InvalidInput):
        agreements.list_bonden(text="a\x00")


def test_a_bonds_page_compares_the_proposal_with_what_routes_now(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)  # money left out: back to its default
    page = agreements.bond_page("knvb", viewer=network.coordinator)
    rows = {row.category.slug: (row.handled_by, row.is_default, row.proposed, row.changes) for row in page.rows}
    assert rows[SAFE] == ("bond", False, "bond", False)
    assert rows[MONEY] == ("samen", False, "loket", True)
    assert rows[TECH] == ("bond", True, "bond", False)
    assert page.changed == 1 and page.may_decide and not page.may_propose
    assert page.proposed_by.id == lead.id and page.confirmed_by.id == network.coordinator.id
    assert [c.field for c in page.changes][:1] == ["agreement_proposed"]
    assert agreements.bond_page("knvb", viewer=lead).may_propose
    with pytest.raises(Forbidden):
        agreements.bond_page("knvb", viewer=make_user("bondsspecialist", network.knltb))
    with pytest.raises(Forbidden):
        agreements.for_proposal("knvb", actor=network.bondsspecialist)  # a member, not the lead


# ----------------------------------------------------------------------------- per sport, where a question goes

def _routes_now(network, club, category_slug):
    """Where routing sends a request of this club now: ("bond" | "samen" | "loket", bond name or None)."""
    category = _db.session.scalar(select(Category).where(Category.slug == category_slug))
    team, decision = route_for(club, category, None)
    if decision.invited_bond_id:
        return "samen", _db.session.get(Bond, decision.invited_bond_id).name
    return (("bond", team.bond.name) if team.kind == "bond" else ("loket", None))


def _shown(questions, sport, clubs=None):
    [entry] = [s for s in questions.sports if sport in s.sports]
    [audience] = [a for a in entry.audiences if a.clubs == clubs]
    return {name: (place.handled_by, place.bond_name) for place in audience.destinations for name in place.categories}


def test_where_questions_go_shows_only_sports_with_confirmed_agreements(network):
    assert agreements.where_questions_go().sports == []
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=lead)
    assert agreements.where_questions_go().sports == []  # a proposal is not shown
    agreements.confirm("knvb", actor=network.coordinator)
    questions = agreements.where_questions_go()
    assert [s.sports for s in questions.sports] == [("voetbal",)]
    assert questions.sport_specific == ("Sporttechnisch & competitie",)
    shown = _shown(questions, "voetbal")
    assert shown["Sociaal veilige sport"] == ("bond", "KNVB") and shown["Sporttechnisch & competitie"] == ("bond", "KNVB")
    assert shown["Financiën, subsidies & fondsen"] == ("samen", "KNVB") and shown["Overig"] == ("loket", None)
    assert [place.handled_by for place in questions.sports[0].audiences[0].destinations] == ["bond", "samen", "loket"]
    assert agreements.where_questions_go([network.tennis.id]).sports == []
    zaalvoetbal = SportFactory(name="zaalvoetbal")
    network.knvb.sports.append(zaalvoetbal)
    _db.session.commit()
    assert [s.sports for s in agreements.where_questions_go().sports] == [("voetbal", "zaalvoetbal")]  # together
    assert [s.sports for s in agreements.where_questions_go([zaalvoetbal.id]).sports] == [("zaalvoetbal",)]


def test_what_the_pages_show_is_where_routing_sends_the_request(network):
    """The display rule (agreements.decide) and routing agree, category by category, also for a sport with a
    sportbond and a brancheorganisatie."""
    fitness = SportFactory(name="fitness")
    branche = BondFactory(key="fitnessbranche", name="Fitnessbranche", kind="brancheorganisatie",
                          sports=[fitness], aangesloten=True)
    BondFactory(key="fitnessbond", name="Fitnessbond", sports=[fitness], aangesloten=True)
    gym = ClubFactory(name="Sportschool Domstad", kind="onderneming", gemeente=network.utrecht, sports=[fitness])
    vereniging = ClubFactory(name="Fitnessvereniging Utrecht", gemeente=network.utrecht, sports=[fitness])
    voetbalclub = ClubFactory(name="VV Alleen Voetbal", gemeente=network.utrecht, sports=[network.voetbal])
    branche_lead = make_user("bondsspecialist", branche, team_lead=True)
    _db.session.commit()
    agreements.propose("fitnessbranche", [(SAFE, "bond"), (MONEY, "samen"), (TECH, "loket")], actor=branche_lead)
    agreements.confirm("fitnessbranche", actor=network.coordinator)
    agreements.propose("knvb", [(SAFE, "samen"), ("vrijwilligers-kader", "bond")], actor=knvb_lead(network))
    agreements.confirm("knvb", actor=network.coordinator)

    questions = agreements.where_questions_go()
    assert [s.sports for s in questions.sports] == [("fitness",), ("voetbal",)]
    assert [a.clubs for a in questions.sports[0].audiences] == ["verenigingen", "ondernemingen"]
    for club, sport, clubs in ((gym, "fitness", "ondernemingen"), (vereniging, "fitness", "verenigingen"),
                               (voetbalclub, "voetbal", None)):
        shown = _shown(questions, sport, clubs)
        for category in _db.session.scalars(select(Category).where(Category.active)):
            assert shown[category.name] == _routes_now(network, club, category.slug), (club.name, category.slug)


# ----------------------------------------------------------------------------- evidence for K8

def test_the_evidence_for_k8_lists_the_agreements_that_apply_to_the_lokets_clubs(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen"), ("overig", "loket")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator, now=datetime(2026, 3, 2, 10, 0))
    knhb = BondFactory(key="knhb", name="KNHB", sports=[SportFactory(name="hockey")], aangesloten=True)
    _db.session.commit()

    utrecht = agreements.evidence_for_loket(network.loket_utrecht.id)  # VV Utrechtse Boys: voetbal, tennis
    [knvb] = utrecht.agreements
    assert knvb.bond.key == "knvb" and knvb.sports == ("voetbal",)
    assert (knvb.by_bond, knvb.samen, knvb.by_loket) == (("Sociaal veilige sport",),
                                                         ("Financiën, subsidies & fondsen",), ("Overig",))
    assert knvb.confirmed_at == datetime(2026, 3, 2, 10, 0) and knvb.confirmed_by == network.coordinator.name
    assert utrecht.without == []  # KNLTB (tennis) is not aangesloten; KNHB has no club here
    eemland = agreements.evidence_for_loket(network.loket_eemland.id)  # HC Amersfoort: voetbal
    assert [e.bond.key for e in eemland.agreements] == ["knvb"]
    ClubFactory(name="MHC Amersfoort", gemeente=network.amersfoort, sports=knhb.sports)
    _db.session.commit()
    assert [b.key for b in agreements.evidence_for_loket(network.loket_eemland.id).without] == ["knhb"]
    assert agreements.evidence_for_loket(network.loket_bunnik.id).agreements == []  # TV Bunnik: tennis only


def test_the_bonds_page_keeps_its_agreement_history_however_much_else_changed(network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    agreements.confirm("knvb", actor=network.coordinator)
    for n in range(205):  # more other changes than one history page holds
        history.record("bond", "name", f"KNVB {n}", f"KNVB {n + 1}", actor=network.beheerder, bond_id=network.knvb.id)
    _db.session.commit()
    changes = agreements.bond_page("knvb", viewer=network.coordinator).changes
    assert {c.field for c in changes} == {"agreement_proposed", "agreement"}
