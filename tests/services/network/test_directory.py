"""The public directory: finding any of the 342 gemeenten however it is typed, and each gemeente's and
loket's public page with public fields only, in a constant number of queries."""
import dataclasses

import pytest

from loket.extensions import db as _db
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import directory
from loket.services.seed.reference_data import seed_reference
from tests.factories import (
    BondFactory,
    GemeenteFactory,
    SportFactory,
    SupportOfferFactory,
)
from tests.support.db import count_queries


@pytest.fixture()
def reference(app, db):
    """The real 342 gemeenten and the bonden with their sports."""
    seed_reference(app.config["REFERENCE_DATA_DIR"])
    return db


def _names(hits):
    return [hit.name for hit in hits]


# ---------------------------------------------------------------- search over the real list

@pytest.mark.parametrize("typed, expected", [
    ("sudwest", "Súdwest-Fryslân"),
    ("SÚDWEST-fryslan", "Súdwest-Fryslân"),
    ("GM0344", "Utrecht"),
    ("gm0344", "Utrecht"),
    ("  Utrecht ", "Utrecht"),
    ("gemeente Utrecht", "Utrecht"),
    ("Den Haag", "'s-Gravenhage"),
    ("s-Gravenhage", "'s-Gravenhage"),
    ("den bosch", "'s-Hertogenbosch"),
    ("bergen (nh.)", "Bergen (NH.)"),
    ("Nuenen Gerwen en Nederwetten", "Nuenen, Gerwen en Nederwetten"),
])
def test_a_gemeente_is_found_however_it_is_typed(reference, typed, expected):
    hits = directory.find_gemeenten(typed)
    assert hits and hits[0].name == expected
    assert hits[0].exact == (typed.strip().lower() not in ("sudwest",))


def test_exact_matches_come_first_then_names_starting_with_it_then_words_then_the_rest(reference):
    hits = directory.find_gemeenten("utrecht")
    assert _names(hits) == ["Utrecht", "Utrechtse Heuvelrug"]
    assert [hit.exact for hit in hits] == [True, False]
    # Dalfsen starts with it, Berg en Dal has a word starting with it, Leudal and Roerdalen merely contain it.
    assert _names(directory.find_gemeenten("dal")) == ["Dalfsen", "Berg en Dal", "Leudal", "Roerdalen"]
    assert not any(hit.exact for hit in directory.find_gemeenten("dal"))


def test_a_code_being_typed_finds_the_gemeenten_with_that_code(reference):
    hits = directory.find_gemeenten("GM03")
    assert hits and all(hit.code.startswith("GM03") for hit in hits)
    assert directory.find_gemeenten("03") == []  # two digits alone would find half the country


def test_search_is_limited_and_alphabetical_within_a_rank(reference):
    hits = directory.find_gemeenten("a")
    assert len(hits) == directory.SEARCH_LIMIT
    starting = [hit.name for hit in hits if directory.fold(hit.name).startswith("a")]
    assert starting == sorted(starting, key=directory.fold)
    assert _names(hits)[:len(starting)] == starting


def test_nothing_typed_finds_nothing_and_nonsense_finds_nothing(reference):
    assert directory.find_gemeenten("") == []
    assert directory.find_gemeenten(None) == []
    assert directory.find_gemeenten(" - ") == []
    assert directory.find_gemeenten("xyzzy") == []


@pytest.mark.parametrize("typed, message", [
    ("a" * 101, directory.SEARCH_TOO_LONG),
    ("Utrecht\x00", directory.SEARCH_CONTROL),
    ("Utr\x1becht", directory.SEARCH_CONTROL),
])
def test_over_long_or_control_character_searches_are_refused_in_dutch(reference, typed, message):
    with pytest.raises(InvalidInput) as refused:
        directory.find_gemeenten(typed)
    assert refused.value.errors == {"q": message}


def test_every_gemeente_is_listed_alphabetically_and_named_for_the_autocomplete(reference):
    listed = directory.list_gemeenten()
    assert len(listed) == 342
    assert [directory.fold(hit.name) for hit in listed] == sorted(directory.fold(hit.name) for hit in listed)
    assert _names(listed)[:2] == ["Aa en Hunze", "Aalsmeer"]
    names = directory.gemeente_names()
    assert len(names) == 342 and names == _names(listed)
    assert "Súdwest-Fryslân" in names and "'s-Gravenhage" in names


def test_a_search_is_one_query_over_all_gemeenten(app, reference):
    with count_queries(app) as statements:
        directory.find_gemeenten("a")
    assert len(statements) == 1
    with count_queries(app) as statements:
        directory.gemeente_names()
    assert len(statements) == 1


# ---------------------------------------------------------------- the small network

def test_hits_name_the_loket_only_when_it_is_operational(network):
    hits = {hit.code: hit for hit in directory.list_gemeenten()}
    assert hits["GM0344"].loket == directory.LoketRef("utrecht", "Sportloket Utrecht")
    assert hits["GM0327"].loket == directory.LoketRef("eemland", "Sportloket Eemland")
    assert hits["GM0312"].loket is None  # Bunnik's loket is in oprichting
    assert hits["GM0355"].loket is None  # Zeist has none


def test_a_gemeente_page_holds_the_loket_public_details_its_active_offers_and_the_bonds(network):
    loket = network.loket_utrecht
    loket.phone, loket.address, loket.opening_hours = "030 123 45 67", "Stadsplateau 1, Utrecht", "ma–vr 9–17"
    loket.url, loket.sla_first_response_days = "https://sportloket.example", 3
    SupportOfferFactory(organisation=loket, title="Vrijwilligersspreekuur", contact="Piet, 06 12345678",
                        slugs=("vrijwilligers-kader", "bestuur-organisatie"))
    SupportOfferFactory(organisation=loket, title="Oud aanbod", active=False)
    SupportOfferFactory(organisation=network.loket_eemland, title="Aanbod van Eemland")
    SupportOfferFactory(organisation=network.knvb, title="Aanbod van de bond")
    _db.session.commit()

    page = directory.gemeente_page("GM0344")

    assert (page.code, page.name, page.province) == ("GM0344", "Utrecht", "Utrecht")
    assert page.loket == directory.PublicLoket(
        slug="utrecht", name="Sportloket Utrecht", email=loket.email, phone="030 123 45 67",
        address="Stadsplateau 1, Utrecht", opening_hours="ma–vr 9–17", url="https://sportloket.example")
    assert page.loket_in_oprichting is None
    assert page.offers == [directory.PublicOffer(
        title="Vrijwilligersspreekuur", description="Beschrijving",
        categories=("Bestuur & organisatie", "Vrijwilligers & kader"))]
    assert {(pair.sport, pair.bond_name, pair.aangesloten) for pair in page.sports} == {
        ("voetbal", "KNVB", True), ("tennis", "KNLTB", False)}


def test_only_public_fields_leave_the_directory():
    assert [f.name for f in dataclasses.fields(directory.PublicLoket)] == [
        "slug", "name", "email", "phone", "address", "opening_hours", "url"]
    assert [f.name for f in dataclasses.fields(directory.PublicOffer)] == ["title", "description", "categories"]


@pytest.mark.parametrize("url, shown", [
    ("https://sportloket.example/clubs", "https://sportloket.example/clubs"),
    ("http://sportloket.example", "http://sportloket.example"),
    ("javascript:alert(1)", None),
    ("JavaScript://%0aalert(1)", None),
    ("https://", None),
    ("www.sportloket.example", None),
    (None, None),
])
def test_a_website_is_shown_only_as_a_web_address(network, url, shown):
    network.loket_utrecht.url = url
    _db.session.commit()
    assert directory.gemeente_page("GM0344").loket.url == shown


def test_a_gemeente_whose_loket_is_in_oprichting_has_no_loket_but_names_it(network):
    page = directory.gemeente_page("GM0312")
    assert page.loket is None and page.offers == []
    assert page.loket_in_oprichting == directory.LoketRef("bunnik", "Sportloket Bunnik")
    assert page.sports  # sport-specific questions go to an aangesloten bond with or without a loket


def test_a_gemeente_without_loket(network):
    page = directory.gemeente_page("gm0355")
    assert page.code == "GM0355" and page.name == "Zeist"
    assert page.loket is None and page.loket_in_oprichting is None and page.offers == []


@pytest.mark.parametrize("code", ["GM9999", "", None, "GM034", "GM03444", "Utrecht", "GM\x00344", "GM0344" * 1000,
                                  "GM0344\x00"])
def test_an_unknown_code_is_not_found_in_dutch(app, network, code):
    with count_queries(app) as statements, pytest.raises(NotFound) as missing:
        directory.gemeente_page(code)
    assert missing.value.message == directory.GEMEENTE_NOT_FOUND
    assert len(statements) <= 1  # malformed codes never reach the database


def test_a_loket_page_lists_its_gemeenten_offers_and_state(network):
    SupportOfferFactory(organisation=network.loket_eemland, title="Bestuursavond")
    _db.session.commit()
    eemland = directory.loket_page("eemland")
    assert eemland.operational and eemland.loket.name == "Sportloket Eemland"
    assert eemland.gemeenten == [directory.GemeenteRef("GM0307", "Amersfoort", "Utrecht"),
                                 directory.GemeenteRef("GM0327", "Leusden", "Utrecht")]
    assert [offer.title for offer in eemland.offers] == ["Bestuursavond"]
    bunnik = directory.loket_page("BUNNIK")
    assert not bunnik.operational and bunnik.loket.slug == "bunnik"


@pytest.mark.parametrize("slug", ["onbekend", "", None, "utrecht\x00", "u" * 81, "../utrecht", "Utr echt"])
def test_an_unknown_slug_is_not_found_in_dutch(network, slug):
    with pytest.raises(NotFound) as missing:
        directory.loket_page(slug)
    assert missing.value.message == directory.LOKET_NOT_FOUND


def test_pages_take_a_constant_number_of_queries(app, network):
    def counts():
        directory.gemeente_page("GM0344")  # warm: nothing cached in the session counts
        _db.session.expire_all()
        with count_queries(app) as gemeente:
            directory.gemeente_page("GM0344")
        _db.session.expire_all()
        with count_queries(app) as loket:
            directory.loket_page("utrecht")
        _db.session.expire_all()
        return len(gemeente), len(loket)

    SupportOfferFactory(organisation=network.loket_utrecht)
    _db.session.commit()
    few = counts()
    for n in range(8):
        SupportOfferFactory(organisation=network.loket_utrecht, slugs=("overig", "sport-en-zorg"))
        BondFactory(sports=[SportFactory(), SportFactory()])
    network.loket_utrecht.gemeenten.extend(GemeenteFactory.create_batch(4))
    _db.session.commit()
    many = counts()
    assert few == many == (4, 5)
