"""The support offer catalogue: team members manage it; suggestions prefer the club's own teams."""
import pytest

from loket.extensions import db as _db
from loket.models import SupportOffer
from loket.services.errors import Forbidden, InvalidInput
from loket.services.network import offers as offers_service
from loket.services.network.offers import (
    create_offer,
    list_offers,
    set_offer_active,
    suggest_offers,
    suggestion_team_ids,
    update_offer,
)
from loket.services.requests.categories import set_category_active
from tests.factories import BondFactory, ClubFactory, LoketFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.lookups import category as _category, team_of


def _offer(actor, organisation, title, *slugs, **values):
    return create_offer(actor=actor, team_id=team_of(organisation).id, title=title,
                        description=values.get("description", "Wat we bieden."), contact=values.get("contact"),
                        category_ids=[_category(s).id for s in (slugs or ("vrijwilligers-kader",))])


def _count():
    return count_rows(SupportOffer)


def test_member_creates_offer_for_own_team(network):
    offer = _offer(network.ondersteuner, network.loket_utrecht, "  Vrijwilligers  spreekuur ",
                   "vrijwilligers-kader", "bestuur-organisatie", contact="  spreekuur@utrecht.example ")
    _db.session.expire_all()
    stored = _db.session.get(SupportOffer, offer.id)
    assert (stored.title, stored.contact, stored.active) == (
        "Vrijwilligers spreekuur", "spreekuur@utrecht.example", True)
    assert stored.team.loket_id == network.loket_utrecht.id
    # Categories in display order, whatever order they were given in.
    assert [c.slug for c in stored.categories] == ["bestuur-organisatie", "vrijwilligers-kader"]


def test_bond_specialist_manages_own_bond_team(network):
    offer = _offer(network.bondsspecialist, network.knvb, "Trainerscursus", "sporttechnisch-competitie")
    assert offer.team.bond_id == network.knvb.id


@pytest.mark.parametrize("who, organisation", [
    ("ondersteuner_eemland", "loket_utrecht"),
    ("bondsspecialist", "loket_utrecht"),
    ("ondersteuner", "knvb"),
    ("club_contact", "loket_utrecht"),
    ("beheerder", "loket_utrecht"),
])
def test_only_members_of_the_team_may_create(network, who, organisation):
    with pytest.raises(Forbidden, match="Alleen leden van dit team"):
        _offer(getattr(network, who), getattr(network, organisation), "Niet van mij")
    assert _count() == 0


@pytest.mark.parametrize("values, field, message", [
    ({"title": " "}, "title", "Geef het aanbod een titel."),
    ({"title": "x" * 161}, "title", "Dit veld mag maximaal 160 tekens lang zijn (nu 161)."),
    ({"description": ""}, "description", "Beschrijf wat het aanbod inhoudt en voor wie het is."),
    ({"description": "x" * 5001}, "description", "Dit veld mag maximaal 5000 tekens lang zijn (nu 5001)."),
    ({"contact": "x" * 301}, "contact", "Dit veld mag maximaal 300 tekens lang zijn (nu 301)."),
    ({"category_ids": []}, "categories", "Kies minstens één categorie waar dit aanbod bij hoort."),
    ({"category_ids": [9999]}, "categories", "Kies categorieën uit de lijst."),
    ({"category_ids": ["abc"]}, "categories", "Kies categorieën uit de lijst."),
])
def test_offer_validation_stores_nothing(network, values, field, message):
    data = dict(title="Titel", description="Beschrijving", contact=None,
                category_ids=[_category("overig").id])
    data.update(values)
    with pytest.raises(InvalidInput) as caught:
        create_offer(actor=network.ondersteuner, team_id=team_of(network.loket_utrecht).id, **data)
    assert caught.value.errors[field] == message
    assert _count() == 0


def test_inactive_category_cannot_be_added_but_an_offer_keeps_it(network):
    kept = _offer(network.ondersteuner, network.loket_utrecht, "Zorgaanbod", "sport-en-zorg")
    set_category_active(_category("sport-en-zorg").id, False)
    with pytest.raises(InvalidInput) as caught:
        _offer(network.ondersteuner, network.loket_utrecht, "Nieuw", "sport-en-zorg")
    assert caught.value.errors == {"categories": "Kies categorieën uit de lijst."}
    # Editing the offer that already has it keeps it.
    update_offer(kept, actor=network.collega, title="Zorgaanbod 2", description="Nieuw", contact="",
                 category_ids=[_category("sport-en-zorg").id, _category("overig").id])
    _db.session.expire_all()
    stored = _db.session.get(SupportOffer, kept.id)
    assert stored.title == "Zorgaanbod 2" and stored.contact is None
    assert {c.slug for c in stored.categories} == {"sport-en-zorg", "overig"}


def test_update_and_deactivate_need_team_membership(network):
    offer = _offer(network.ondersteuner, network.loket_utrecht, "Ons aanbod")
    with pytest.raises(Forbidden):
        update_offer(offer, actor=network.ondersteuner_eemland, title="Gekaapt", description="x", contact=None,
                     category_ids=[_category("overig").id])
    with pytest.raises(Forbidden):
        set_offer_active(offer, False, actor=network.bondsspecialist)
    _db.session.expire_all()
    stored = _db.session.get(SupportOffer, offer.id)
    assert (stored.title, stored.active) == ("Ons aanbod", True)
    set_offer_active(stored, False, actor=network.collega)
    assert _db.session.get(SupportOffer, offer.id).active is False


def test_list_offers_shows_one_team_active_first(network):
    hidden = _offer(network.ondersteuner, network.loket_utrecht, "A verborgen")
    _offer(network.ondersteuner, network.loket_utrecht, "B zichtbaar")
    _offer(network.ondersteuner_eemland, network.loket_eemland, "Eemland")
    set_offer_active(hidden, False, actor=network.ondersteuner)
    offers = list_offers(team_of(network.loket_utrecht).id)
    assert [(o.title, o.active) for o in offers] == [("B zichtbaar", True), ("A verborgen", False)]


def test_catalogue_lists_active_offers_filtered_by_category(network):
    hidden = _offer(network.ondersteuner, network.loket_utrecht, "Verborgen", "overig")
    _offer(network.ondersteuner, network.loket_utrecht, "Algemeen", "overig")
    _offer(network.bondsspecialist, network.knvb, "Techniek", "sporttechnisch-competitie")
    set_offer_active(hidden, False, actor=network.ondersteuner)
    assert [o.title for o in offers_service.catalogue().items] == ["Algemeen", "Techniek"]
    assert [o.title for o in offers_service.catalogue(category_id=_category("overig").id).items] == ["Algemeen"]


# ---------------------------------------------------------------- suggestions

def test_suggestion_team_ids_are_the_clubs_loket_then_its_connected_bonds(network):
    loket_team = team_of(network.loket_utrecht).id
    knvb_team = team_of(network.knvb).id
    # Utrecht plays voetbal (KNVB, aangesloten) and tennis (KNLTB, not aangesloten).
    assert suggestion_team_ids(network.club_utrecht) == [loket_team, knvb_team]
    # Bunnik's loket is in oprichting but exists; its only bond is not aangesloten.
    assert suggestion_team_ids(network.club_bunnik) == [team_of(network.loket_bunnik).id]
    # Zeist: no loket, no sports.
    assert suggestion_team_ids(network.club_zeist) == []


def test_suggestion_team_ids_include_every_connected_bond_of_the_sports(network):
    hockey_bond = BondFactory(key="knhb", name="KNHB", sports=[network.voetbal], aangesloten=True)
    club = ClubFactory(gemeente=network.zeist, sports=[network.voetbal])
    _db.session.commit()
    assert suggestion_team_ids(club) == sorted([team_of(network.knvb).id, team_of(hockey_bond).id])


def test_suggest_offers_prefers_given_teams_in_order_and_filters(network):
    category = _category("vrijwilligers-kader")
    eemland_other = LoketFactory(name="Sportloket Elders", slug="elders")
    elders = make_user("clubondersteuner", eemland_other)
    _db.session.commit()
    _offer(elders, eemland_other, "A elders")
    _offer(network.bondsspecialist, network.knvb, "B bond")
    _offer(network.ondersteuner, network.loket_utrecht, "C loket")
    _offer(network.ondersteuner, network.loket_utrecht, "D andere categorie", "overig")
    hidden = _offer(network.ondersteuner, network.loket_utrecht, "E verborgen")
    set_offer_active(hidden, False, actor=network.ondersteuner)
    _offer(network.ondersteuner_eemland, network.loket_eemland, "F eemland")

    preferred = [team_of(network.loket_utrecht).id, team_of(network.knvb).id]
    titles = [o.title for o in suggest_offers(category.id, preferred)]
    assert titles == ["C loket", "B bond", "A elders", "F eemland"]
    assert [o.title for o in suggest_offers(category.id, preferred, limit=2)] == ["C loket", "B bond"]
    assert [o.title for o in suggest_offers(category.id, [])] == ["A elders", "B bond", "C loket", "F eemland"]
    assert suggest_offers(_category("sport-en-zorg").id, preferred) == []


def test_suggest_offers_is_one_query_including_team_names(app, network):
    category_id = _category("vrijwilligers-kader").id
    for i in range(4):
        _offer(network.ondersteuner, network.loket_utrecht, f"Loket {i}")
        _offer(network.bondsspecialist, network.knvb, f"Bond {i}")
    team_ids = suggestion_team_ids(network.club_utrecht)
    _db.session.expire_all()
    with count_queries(app) as statements:
        names = [o.team.name for o in suggest_offers(category_id, team_ids, limit=8)]
    assert len(statements) == 1, "\n".join(statements)
    assert names[:4] == ["Sportloket Utrecht"] * 4 and names[4:] == ["KNVB"] * 4
