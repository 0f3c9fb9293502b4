"""Categories as data: beheer adds, renames and (de)activates them; requests keep theirs."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Category, SupportRequest
from loket.services.errors import InvalidInput, NotFound
from loket.services.requests import categories as categories_service
from loket.services.requests.categories import (
    create_category,
    rename_category,
    set_category_active,
    slugify,
)
from loket.services.seed.categories import SEED_CATEGORIES, seed_categories
from tests.support.db import count_rows
from tests.support.requests import file_request


def _count():
    return count_rows(Category)


SEEDED_OVERIG = next(description for _, slug, _, _, description in SEED_CATEGORIES if slug == "overig")


def _by_slug(slug):
    return _db.session.scalar(select(Category).where(Category.slug == slug))


def test_create_category_derives_slug_and_goes_last_before_overig(network):
    category = create_category("  Vitaliteit &  Gezondheid ", "generiek")
    _db.session.expire_all()
    stored = _db.session.get(Category, category.id)
    assert (stored.name, stored.slug, stored.scope, stored.active) == (
        "Vitaliteit & Gezondheid", "vitaliteit-gezondheid", "generiek", True)
    assert [c.slug for c in categories_service.available_categories()][-2:] == ["vitaliteit-gezondheid", "overig"]


def test_create_category_with_explicit_slug(network):
    category = create_category("Scheidsrechters", "sportspecifiek", slug="arbitrage")
    assert category.slug == "arbitrage" and category.is_sport_specific


def test_derived_slug_that_is_taken_gets_a_suffix(network):
    # "Sport en zorg" is a different name from the seed "Sport & zorg" but derives its slug.
    assert create_category("Sport en zorg", "generiek").slug == "sport-en-zorg-2"
    assert create_category("Sport en zorg!", "generiek").slug == "sport-en-zorg-3"


def test_slugify_strips_accents_and_punctuation():
    assert slugify("Financiën, subsidies & fondsen") == "financien-subsidies-fondsen"
    assert slugify("!!!") == ""


@pytest.mark.parametrize("name, scope, slug, field, message", [
    ("", "generiek", None, "name", "Geef de categorie een naam."),
    ("   ", "generiek", None, "name", "Geef de categorie een naam."),
    ("x" * 121, "generiek", None, "name", "De naam mag maximaal 120 tekens lang zijn (nu 121)."),
    ("sport & ZORG", "generiek", None, "name", "Er bestaat al een categorie met de naam ‘Sport & zorg’."),
    ("Nieuw", "landelijk", None, "scope", "Kies of de categorie generiek of sportspecifiek is."),
    ("Nieuw", "generiek", "Met Spaties", "slug", "Een slug bestaat uit kleine letters"),
    ("Nieuw", "generiek", "overig", "slug", "De slug ‘overig’ is al in gebruik; kies een andere."),
    ("???", "generiek", None, "name", "Gebruik in de naam minstens één letter of cijfer."),
])
def test_create_category_refuses_bad_input_and_stores_nothing(network, name, scope, slug, field, message):
    before = _count()
    with pytest.raises(InvalidInput) as caught:
        create_category(name, scope, slug=slug)
    assert caught.value.errors[field].startswith(message)
    assert _count() == before


def test_rename_keeps_slug_so_the_seed_does_not_add_it_again(network):
    category = _by_slug("overig")
    rename_category(category.id, "Iets anders")
    _db.session.expire_all()
    assert _by_slug("overig").name == "Iets anders"
    assert seed_categories() == 0


def test_rename_refuses_duplicate_and_empty_names(network):
    category = _by_slug("overig")
    with pytest.raises(InvalidInput) as caught:
        rename_category(category.id, "SPORT & ZORG")
    assert caught.value.errors == {"name": "Er bestaat al een categorie met de naam ‘Sport & zorg’."}
    with pytest.raises(InvalidInput):
        rename_category(category.id, "")
    _db.session.expire_all()
    assert _by_slug("overig").name == "Overig"
    # Renaming to its own name in another case is not a duplicate of itself.
    assert rename_category(category.id, "OVERIG").name == "OVERIG"


def test_beheer_rewrites_or_clears_the_explanation_and_the_seed_keeps_its_choice(network):
    category = _by_slug("sport-en-zorg")
    assert category.description  # seeded
    rename_category(category.id, category.name, description="  Samen met de  fysio. ")
    assert _by_slug("sport-en-zorg").description == "Samen met de fysio."
    rename_category(category.id, category.name, description="")
    seed_categories()
    _db.session.commit()
    _db.session.expire_all()
    assert _by_slug("sport-en-zorg").description == ""  # cleared on purpose: the seed does not refill it
    rename_category(category.id, "Sport en zorg")  # without a description: it stays as it is
    assert _by_slug("sport-en-zorg").description == ""


@pytest.mark.parametrize("description, message", [
    ("x" * 301, "De uitleg mag maximaal 300 tekens"), ("met\x00nul", "De uitleg kan geen stuurtekens"),
])
def test_a_bad_explanation_is_refused_and_nothing_changes(network, description, message):
    category = _by_slug("overig")
    with pytest.raises(InvalidInput) as caught:
        rename_category(category.id, "Anders", description=description)
    assert caught.value.errors["description"].startswith(message)
    _db.session.rollback()
    assert (_by_slug("overig").name, _by_slug("overig").description) == ("Overig", SEEDED_OVERIG)


def test_unknown_category_is_not_found(network):
    with pytest.raises(NotFound):
        rename_category(9999, "Naam")
    with pytest.raises(NotFound):
        set_category_active("abc", False)


def _file(network, category, title="Vraag"):
    return file_request(network, category=category.slug, title=title, description="Beschrijving")


def test_deactivated_category_cannot_be_chosen_but_old_requests_keep_it(network):
    category = _by_slug("sport-en-zorg")
    old = _file(network, category)
    set_category_active(category.id, False)
    _db.session.expire_all()
    assert category not in categories_service.available_categories()
    with pytest.raises(InvalidInput) as caught:
        _file(network, category, title="Nieuwe vraag")
    assert caught.value.errors["category"] == "Kies een van de categorieën uit de lijst."
    assert _db.session.get(SupportRequest, old.id).category.name == "Sport & zorg"
    assert _db.session.scalar(select(func.count()).select_from(SupportRequest)) == 1

    set_category_active(category.id, True)
    assert _file(network, category, title="Weer mogelijk").category_id == category.id


def test_last_active_category_cannot_be_deactivated(network):
    categories = categories_service.search_categories(per_page=100).items
    for category in categories[1:]:
        set_category_active(category.id, False)
    with pytest.raises(InvalidInput) as caught:
        set_category_active(categories[0].id, False)
    assert "minstens één actieve categorie" in caught.value.errors["active"]
    _db.session.expire_all()
    assert _db.session.get(Category, categories[0].id).active
