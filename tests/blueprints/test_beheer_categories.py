"""Beheer manages request categories: list, add, rename, (de)activate; nobody else may."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import Category
from tests.support.db import count_rows
from tests.support.lookups import category as _category
from tests.support.pages import error_of
from tests.support.requests import file_request


def _count():
    return count_rows(Category)


def test_beheer_sees_all_categories_and_adds_one(login_as, network):
    client = login_as("beheerder")
    page = client.get("/beheer/categorieen").get_data(as_text=True)
    assert "Sport &amp; zorg" in page and "sporttechnisch-competitie" in page
    assert 'href="/beheer/categorieen"' in client.get("/").get_data(as_text=True)  # nav link

    response = client.post("/beheer/categorieen", data={"name": "Vitaliteit", "scope": "generiek", "slug": ""})
    assert response.status_code == 302
    assert _category("vitaliteit").name == "Vitaliteit"
    assert "Categorie ‘Vitaliteit’ toegevoegd." in client.get("/beheer/categorieen").get_data(as_text=True)
    # Clubs can choose it right away.
    form = login_as("club_contact").get("/club/aanvragen/nieuw").get_data(as_text=True)
    assert f'value="{_category("vitaliteit").id}"' in form


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "scope": "generiek"}, "name", "Geef de categorie een naam."),
    ({"name": "Overig", "scope": "generiek"}, "name", "Er bestaat al een categorie met de naam ‘Overig’."),
    ({"name": "Nieuw", "scope": "onbekend"}, "scope", "Kies of de categorie generiek of sportspecifiek is."),
    ({"name": "Nieuw", "scope": "generiek", "slug": "overig"}, "slug",
     "De slug ‘overig’ is al in gebruik; kies een andere."),
])
def test_invalid_category_is_refused_next_to_the_field(login_as, network, data, field, message):
    before = _count()
    response = login_as("beheerder").post("/beheer/categorieen", data=data)
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), field) == message
    assert _count() == before


def test_beheer_renames_a_category(login_as, network):
    client = login_as("beheerder")
    category = _category("overig")
    assert 'value="Overig"' in client.get(f"/beheer/categorieen/{category.id}").get_data(as_text=True)
    assert client.post(f"/beheer/categorieen/{category.id}", data={"name": "Overige vragen"}).status_code == 302
    _db.session.expire_all()
    assert (_category("overig").name, _category("overig").slug) == ("Overige vragen", "overig")

    response = client.post(f"/beheer/categorieen/{category.id}", data={"name": "Sport & zorg"})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "name") == (
        "Er bestaat al een categorie met de naam ‘Sport &amp; zorg’.")
    _db.session.expire_all()
    assert _category("overig").name == "Overige vragen"


def test_beheer_writes_the_explanation_clubs_see_when_they_file(login_as, network):
    category = _category("samenwerken-met-andere-clubs")
    client = login_as("beheerder")
    response = client.post(f"/beheer/categorieen/{category.id}",
                           data={"name": category.name, "description": "Samen een sporthal of trainers delen."})
    assert response.status_code == 302
    page = login_as("club_contact").get("/club/aanvragen/nieuw").get_data(as_text=True)
    assert "Welke categorie kies ik?" in page and "Samen een sporthal of trainers delen." in page
    # Trainers and coaches are under "Kwaliteit kader & opleiding" (issue #12): the guide says so.
    assert re.search(r"<dt>Kwaliteit kader &amp; opleiding</dt><dd>Trainers en coaches", page)

    response = client.post(f"/beheer/categorieen/{category.id}", data={"name": category.name,
                                                                        "description": "x" * 301})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "description").startswith("De uitleg mag maximaal 300")


def test_unknown_category_is_404(login_as, network):
    client = login_as("beheerder")
    assert client.get("/beheer/categorieen/9999").status_code == 404
    assert client.post("/beheer/categorieen/9999/deactiveren").status_code == 404


def test_deactivated_category_is_not_choosable_but_old_request_keeps_it(login_as, network):
    category = _category("sport-en-zorg")
    old = file_request(network, category="sport-en-zorg", title="Samen met de fysio", description="Beschrijving")
    admin = login_as("beheerder")
    assert admin.post(f"/beheer/categorieen/{category.id}/deactiveren").status_code == 302
    _db.session.expire_all()
    assert not _category("sport-en-zorg").active
    assert "Gedeactiveerd" in admin.get("/beheer/categorieen").get_data(as_text=True)

    club = login_as("club_contact")
    assert f'value="{category.id}"' not in club.get("/club/aanvragen/nieuw").get_data(as_text=True)
    refused = club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": category.id, "sport": "", "title": "Nog een",
        "description": "Tekst"})
    assert refused.status_code == 400
    assert "Kies een van de categorieën uit de lijst." in refused.get_data(as_text=True)
    assert "Sport &amp; zorg" in club.get(f"/club/aanvragen/{old.id}").get_data(as_text=True)

    assert admin.post(f"/beheer/categorieen/{category.id}/activeren").status_code == 302
    _db.session.expire_all()
    assert _category("sport-en-zorg").active


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "bondsspecialist", "coordinator"])
def test_only_beheer_may_manage_categories(login_as, network, who):
    client = login_as(who)
    category = _category("overig")
    assert client.get("/beheer/categorieen").status_code == 403
    assert client.post("/beheer/categorieen", data={"name": "Stiekem", "scope": "generiek"}).status_code == 403
    assert client.post(f"/beheer/categorieen/{category.id}/deactiveren").status_code == 403
    _db.session.expire_all()
    assert _category("stiekem") is None and _category("overig").active


def test_anonymous_is_sent_to_login(client, network):
    response = client.get("/beheer/categorieen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_post_without_csrf_token_is_rejected(login_as, network):
    before = _count()
    response = login_as("beheerder").post("/beheer/categorieen", data={"name": "Zonder token", "scope": "generiek"},
                                          csrf=False)
    assert response.status_code == 400
    assert "Het formulier is verlopen of ongeldig" in response.get_data(as_text=True)
    assert _count() == before


def test_the_list_is_searchable_by_name_or_slug(login_as, network):
    client = login_as("beheerder")
    page = client.get("/beheer/categorieen?q=zorg").get_data(as_text=True)
    assert "Sport &amp; zorg" in page and "sporttechnisch-competitie" not in page
    assert "1 categorie gevonden met ‘zorg’" in page
    assert "sporttechnisch-competitie" in client.get("/beheer/categorieen?q=COMPETITIE").get_data(as_text=True)
    assert "Geen categorieën gevonden." in client.get("/beheer/categorieen?q=%25").get_data(as_text=True)


@pytest.mark.parametrize("q", ["a\x00", "x" * 101])
def test_a_bad_search_is_a_dutch_400_and_the_form_still_works(login_as, network, q):
    response = login_as("beheerder").get("/beheer/categorieen", query_string={"q": q})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "f-q") in (
        "Een zoekopdracht kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten.",
        "Typ hooguit 100 tekens om te zoeken.")
    assert 'action="/beheer/categorieen"' in response.get_data(as_text=True)


def test_the_list_is_paginated_with_a_constant_number_of_queries(app, login_as, network, monkeypatch):
    from tests.support.db import count_queries

    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 3)
    client = login_as("beheerder")
    total = _count()
    last = -(-total // 3)
    with count_queries(app) as first:
        page = client.get("/beheer/categorieen").get_data(as_text=True)
    assert f"Pagina 1 van {last}" in page and page.count('class="link-button-dark"') == 3
    with count_queries(app) as other:
        assert f"Pagina {last} van {last}" in client.get(f"/beheer/categorieen?pagina={last}").get_data(as_text=True)
    assert len(first) == len(other)
    assert client.get("/beheer/categorieen?pagina=999").headers["Location"] == f"/beheer/categorieen?pagina={last}"
