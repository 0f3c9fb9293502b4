"""The offer catalogue: supporters manage their team's offers; every logged-in user reads the catalogue."""

import pytest
from flask import render_template_string
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import SupportOffer
from loket.services.network import offers as offers_service
from tests.factories import BondFactory, LoketFactory, MembershipFactory, SupportOfferFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.lookups import category, team_of
from tests.support.pages import error_of
from tests.support.teams import TEAM_KINDS, other_team


def _count():
    return count_rows(SupportOffer)


def _data(**overrides):
    data = {"title": "Vrijwilligersspreekuur", "description": "Elke dinsdag.", "contact": "030-1234567",
            "categories": [str(category("vrijwilligers-kader").id)]}
    data.update(overrides)
    return data


def _offer(organisation, title, slug="vrijwilligers-kader"):
    """An offer in `organisation`'s catalogue."""
    offer = SupportOfferFactory(organisation=organisation, title=title, slugs=(slug,))
    _db.session.commit()
    return offer


def test_supporter_manages_own_team_catalogue(login_as, network):
    client = login_as("ondersteuner")
    team_id = team_of(network.loket_utrecht).id
    assert 'href="/aanbod/team"' in client.get("/").get_data(as_text=True)  # nav link "Aanbod"
    landing = client.get("/aanbod/team")
    assert landing.status_code == 302 and landing.headers["Location"] == f"/aanbod/team/{team_id}"

    response = client.post(f"/aanbod/team/{team_id}", data=_data())
    assert response.status_code == 302
    page = client.get(f"/aanbod/team/{team_id}").get_data(as_text=True)
    assert "Aanbod ‘Vrijwilligersspreekuur’ toegevoegd." in page and "In de catalogus" in page
    offer = _db.session.scalar(select(SupportOffer))

    assert 'value="Vrijwilligersspreekuur"' in client.get(f"/aanbod/{offer.id}/bewerken").get_data(as_text=True)
    assert client.post(f"/aanbod/{offer.id}/bewerken", data=_data(
        title="Spreekuur vrijwilligers", categories=[str(category("overig").id)])).status_code == 302
    _db.session.expire_all()
    offer = _db.session.get(SupportOffer, offer.id)
    assert offer.title == "Spreekuur vrijwilligers" and [c.slug for c in offer.categories] == ["overig"]

    assert client.post(f"/aanbod/{offer.id}/deactiveren").status_code == 302
    _db.session.expire_all()
    assert not _db.session.get(SupportOffer, offer.id).active
    assert "<h2>Spreekuur vrijwilligers</h2>" not in client.get("/aanbod/").get_data(as_text=True)
    assert client.post(f"/aanbod/{offer.id}/activeren").status_code == 302
    assert "<h2>Spreekuur vrijwilligers</h2>" in client.get("/aanbod/").get_data(as_text=True)


def test_supporter_in_two_teams_chooses_one(login_as, network):
    MembershipFactory(user=network.ondersteuner, role="bondsspecialist", bond=network.knvb)
    _db.session.commit()
    page = login_as("ondersteuner").get("/aanbod/team")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sportloket Utrecht" in text and "KNVB" in text


@pytest.mark.parametrize("overrides, field, message", [
    ({"title": ""}, "title", "Geef het aanbod een titel."),
    ({"description": " "}, "description", "Beschrijf wat het aanbod inhoudt en voor wie het is."),
    ({"categories": []}, "categories", "Kies minstens één categorie waar dit aanbod bij hoort."),
    ({"categories": ["9999"]}, "categories", "Kies categorieën uit de lijst."),
])
def test_invalid_offer_is_refused_next_to_the_field(login_as, network, overrides, field, message):
    client = login_as("ondersteuner")
    response = client.post(f"/aanbod/team/{team_of(network.loket_utrecht).id}", data=_data(**overrides))
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), field) == message
    assert _count() == 0
    offer = _offer(network.loket_utrecht, "Bestaand")
    response = client.post(f"/aanbod/{offer.id}/bewerken", data=_data(**overrides))
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), field) == message
    _db.session.expire_all()
    assert _db.session.get(SupportOffer, offer.id).title == "Bestaand"


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_bond_specialist_manages_bond_catalogue(login_as, network, kind):
    """A bond's or an initiative's member (here its lead) keeps its offers; the catalogue shows them by the team's
    name, an initiative's marked as a landelijk initiatief."""
    team = other_team(network, kind)
    client = login_as(team.make_member(name="Lea Lead", team_lead=True))
    team_id = team_of(team.organisation).id
    assert client.get("/aanbod/team").headers["Location"] == f"/aanbod/team/{team_id}"
    assert client.post(f"/aanbod/team/{team_id}", data=_data(
        title="Trainerscursus", categories=[str(category("sporttechnisch-competitie").id)])).status_code == 302
    offer = _db.session.scalar(select(SupportOffer))
    assert offer.team_id == team_id
    assert client.post(f"/aanbod/{offer.id}/bewerken", data=_data(title="Trainerscursus 2")).status_code == 302
    catalogue = login_as("club_contact").get("/aanbod/").get_data(as_text=True)
    shown = catalogue[catalogue.index("Trainerscursus 2"):]
    assert f"Aangeboden door {team.organisation.name}" in shown[:400]
    assert ("(landelijk initiatief)" in shown[:400]) == (kind == "initiatief")
    assert client.post(f"/aanbod/{offer.id}/deactiveren").status_code == 302
    assert "Trainerscursus 2" not in login_as("club_contact").get("/aanbod/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["ondersteuner_eemland", "bondsspecialist", "initiatiefmedewerker"])
def test_supporters_of_other_teams_get_404(login_as, network, who):
    offer = _offer(network.loket_utrecht, "Van Utrecht")
    client = login_as(who)
    team_id = team_of(network.loket_utrecht).id
    assert client.get(f"/aanbod/team/{team_id}").status_code == 404
    assert client.post(f"/aanbod/team/{team_id}", data=_data()).status_code == 404
    assert client.get(f"/aanbod/{offer.id}/bewerken").status_code == 404
    assert client.post(f"/aanbod/{offer.id}/bewerken", data=_data(title="Gekaapt")).status_code == 404
    assert client.post(f"/aanbod/{offer.id}/deactiveren").status_code == 404
    _db.session.expire_all()
    assert _count() == 1
    assert (_db.session.get(SupportOffer, offer.id).title, _db.session.get(SupportOffer, offer.id).active) == (
        "Van Utrecht", True)


@pytest.mark.parametrize("who", ["club_contact", "coordinator", "beheerder"])
def test_non_supporters_read_the_catalogue_but_cannot_manage(login_as, network, who):
    offer = _offer(network.loket_utrecht, "Vrijwilligersspreekuur")
    client = login_as(who)
    page = client.get("/aanbod/")
    assert page.status_code == 200 and "Vrijwilligersspreekuur" in page.get_data(as_text=True)
    assert client.get("/aanbod/team").status_code == 403
    assert client.get(f"/aanbod/team/{offer.team_id}").status_code == 403
    assert client.post(f"/aanbod/{offer.id}/deactiveren").status_code == 403
    assert _db.session.get(SupportOffer, offer.id).active


def test_anonymous_is_sent_to_login(client, network):
    for path in ("/aanbod/", "/aanbod/team"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_create_without_csrf_token_is_rejected(login_as, network):
    response = login_as("ondersteuner").post(f"/aanbod/team/{team_of(network.loket_utrecht).id}", data=_data(),
                                             csrf=False)
    assert response.status_code == 400
    assert _count() == 0


def test_catalogue_filters_by_category(login_as, network):
    _offer(network.loket_utrecht, "Vrijwilligersspreekuur")
    _offer(network.knvb, "Competitieadvies", "sporttechnisch-competitie")
    client = login_as("club_contact")
    page = client.get(f"/aanbod/?categorie={category('sporttechnisch-competitie').id}").get_data(as_text=True)
    assert "Competitieadvies" in page and "Vrijwilligersspreekuur" not in page
    assert "Aangeboden door KNVB" in page


def _add_offers(network, count, start=0):
    """Offers from new loketten and bonden each time, with several categories, so rows differ."""
    slugs = ["vrijwilligers-kader", "overig", "sport-en-zorg"]
    for i in range(start, start + count):
        organisation = LoketFactory() if i % 2 else BondFactory()
        role = "clubondersteuner" if i % 2 else "bondsspecialist"
        make_user(role, organisation)
        SupportOfferFactory(organisation=organisation, title=f"Aanbod {i}", description="Tekst",
                            slugs=slugs[: 1 + i % 3])
        _db.session.commit()


def test_catalogue_page_uses_constant_number_of_queries(app, login_as, network):
    client = login_as("club_contact")
    _add_offers(network, 3)
    with count_queries(app) as few:
        assert client.get("/aanbod/").status_code == 200
    _add_offers(network, 12, start=3)
    with count_queries(app) as many:
        page = client.get("/aanbod/")
        assert page.status_code == 200 and "Aanbod 14" in page.get_data(as_text=True)
    assert len(many) == len(few), "\n".join(many)


def test_team_catalogue_page_uses_constant_number_of_queries(app, login_as, network):
    client = login_as("ondersteuner")
    team_id = team_of(network.loket_utrecht).id

    def add(count, start):
        for i in range(start, start + count):
            offers_service.create_offer(
                actor=network.ondersteuner, team_id=team_id, title=f"Eigen aanbod {i}", description="Tekst",
                contact=None, category_ids=[category("overig").id, category("sport-en-zorg").id][: 1 + i % 2])

    add(2, 0)
    with count_queries(app) as few:
        assert client.get(f"/aanbod/team/{team_id}").status_code == 200
    add(10, 2)
    with count_queries(app) as many:
        assert client.get(f"/aanbod/team/{team_id}").status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_offer_list_macro_renders_suggestions(app, network):
    _offer(network.loket_utrecht, "Vrijwilligersspreekuur")
    suggestions = offers_service.suggest_offers(category("vrijwilligers-kader").id,
                                                offers_service.suggestion_team_ids(network.club_utrecht))
    template = '{% from "_macros/offers.html" import offer_list %}{{ offer_list(offers) }}'
    with app.test_request_context():
        html = render_template_string(template, offers=suggestions)
        empty = render_template_string(template, offers=[])
    assert "<h3>Vrijwilligersspreekuur</h3>" in html and "Aangeboden door Sportloket Utrecht" in html
    assert "Er is (nog) geen passend aanbod." in empty
