"""The public directory over the API: no token, public fields only, documented in the OpenAPI document."""
import json

import pytest

from loket.access import PUBLIC
from loket.extensions import db as _db
from tests.factories import GemeenteFactory, SupportOfferFactory
from tests.support.api import assert_problem
from tests.support.db import count_queries


def test_without_q_every_gemeente_is_listed_with_its_operational_loket(api):
    response = api().get("/public/gemeenten")
    assert response.status_code == 200
    assert response.get_json()["items"] == [
        {"code": "GM0307", "name": "Amersfoort", "province": "Utrecht",
         "loket": {"slug": "eemland", "name": "Sportloket Eemland"}},
        {"code": "GM0312", "name": "Bunnik", "province": "Utrecht", "loket": None},  # in oprichting
        {"code": "GM0327", "name": "Leusden", "province": "Utrecht",
         "loket": {"slug": "eemland", "name": "Sportloket Eemland"}},
        {"code": "GM0344", "name": "Utrecht", "province": "Utrecht",
         "loket": {"slug": "utrecht", "name": "Sportloket Utrecht"}},
        {"code": "GM0355", "name": "Zeist", "province": "Utrecht", "loket": None},
    ]


@pytest.mark.parametrize("q, codes", [
    ("utr", ["GM0344", "GM0339"]),
    ("UTRECHT", ["GM0344", "GM0339"]),
    ("gm0307", ["GM0307"]),
    ("eu", ["GM0327", "GM0339"]),
    ("Atlantis", []),
    ("", None),  # empty counts as not given: everything
])
def test_q_finds_gemeenten_best_first(api, q, codes):
    GemeenteFactory(code="GM0339", name="Utrechtse Heuvelrug")
    _db.session.commit()
    response = api().get("/public/gemeenten", query_string={"q": q})
    assert response.status_code == 200
    found = [item["code"] for item in response.get_json()["items"]]
    if codes is None:
        assert len(found) == 6
    else:
        assert found == codes


@pytest.mark.parametrize("q", ["a" * 101, "Utrecht\x00", "Utr\x1becht"])
def test_a_q_that_cannot_be_a_gemeente_is_a_422_on_the_field(api, q):
    assert_problem(api().get("/public/gemeenten", query_string={"q": q}), 422, field="q")


def test_a_gemeente_with_its_loket_public_details_offers_and_the_bonds(api, network):
    loket = network.loket_utrecht
    loket.phone, loket.address, loket.opening_hours = "030 123 45 67", "Stadsplateau 1", "ma–vr 9–17"
    loket.url = "https://www.sportloket-utrecht.example"
    SupportOfferFactory(organisation=loket, title="Vrijwilligersspreekuur", description="Elke woensdag.",
                        slugs=("vrijwilligers-kader",), contact="GEHEIM-CONTACT")
    SupportOfferFactory(organisation=loket, title="Verlopen", active=False)
    _db.session.commit()

    response = api().get("/public/gemeenten/GM0344")

    assert response.status_code == 200
    body = response.get_json()
    assert body["loket"] == {
        "slug": "utrecht", "name": "Sportloket Utrecht", "email": "info@utrecht.example", "phone": "030 123 45 67",
        "address": "Stadsplateau 1", "opening_hours": "ma–vr 9–17", "url": "https://www.sportloket-utrecht.example",
        "offers": [{"title": "Vrijwilligersspreekuur", "description": "Elke woensdag.",
                    "categories": ["Vrijwilligers & kader"]}],
    }
    assert (body["code"], body["name"], body["province"]) == ("GM0344", "Utrecht", "Utrecht")
    assert body["sports"] == [
        {"sport": "tennis", "bond": {"key": "knltb", "abbreviation": "KNLTB", "name": "KNLTB", "aangesloten": False}},
        {"sport": "voetbal", "bond": {"key": "knvb", "abbreviation": "KNVB", "name": "KNVB", "aangesloten": True}},
    ]


@pytest.mark.parametrize("code", ["GM0355", "GM0312"])  # no loket; a loket in oprichting
def test_without_an_operational_loket_the_loket_is_null_and_the_bonds_are_still_there(api, code):
    body = api().get(f"/public/gemeenten/{code}").get_json()
    assert body["loket"] is None
    assert {pair["sport"] for pair in body["sports"]} == {"voetbal", "tennis"}


def test_a_lower_case_code_is_the_same_gemeente(api):
    assert api().get("/public/gemeenten/gm0344").get_json()["code"] == "GM0344"


@pytest.mark.parametrize("code", ["GM9999", "Utrecht", "9" * 3000, "%E2%80%AE"])
def test_an_unknown_code_is_a_404_problem_in_dutch(api, code):
    assert_problem(api().get(f"/public/gemeenten/{code}"), 404, contains="Deze gemeente kennen we niet")


def test_a_code_with_a_nul_character_is_a_404_problem(api):
    assert_problem(api().get("/public/gemeenten/GM0344%00"), 404)


def test_no_token_is_needed_and_a_wrong_one_does_not_matter(api):
    assert api(token="lk_made-up").get("/public/gemeenten/GM0344").status_code == 200
    assert api("club_contact").get("/public/gemeenten").status_code == 200


def test_nothing_but_public_data_is_answered(api, network):
    network.loket_utrecht.sla_first_response_days, network.loket_utrecht.sla_resolution_days = 4321, 8765
    _db.session.commit()
    text = json.dumps([api().get(path).get_json() for path in
                       ("/public/gemeenten", "/public/gemeenten?q=u", "/public/gemeenten/GM0344")])
    for secret in ("4321", "8765", "sla", "team", "VV Utrechtse Boys", "Anna de Vries", "aangehaakt", "status"):
        assert secret not in text, secret


def test_the_operations_are_public_in_the_openapi_document(openapi_document):
    paths = openapi_document["paths"]
    for path in ("/api/v1/public/gemeenten", "/api/v1/public/gemeenten/{code}"):
        operation = paths[path]["get"]
        assert operation["security"] == [] and operation["x-roles"] == [PUBLIC]
        assert "404" in operation["responses"] or "{" not in path
    detail = paths["/api/v1/public/gemeenten/{code}"]["get"]
    assert "sports" in detail["description"] and "null" in detail["description"]
    query = paths["/api/v1/public/gemeenten"]["get"]["parameters"]
    assert [p["name"] for p in query] == ["q"] and query[0]["schema"]["maxLength"] == 100


def test_a_gemeente_takes_a_constant_number_of_queries(app, api, network):
    client = api()

    def queries():
        with count_queries(app) as statements:
            assert client.get("/public/gemeenten/GM0344").status_code == 200
        return len(statements)

    SupportOfferFactory(organisation=network.loket_utrecht)
    _db.session.commit()
    few = queries()
    for _ in range(6):
        SupportOfferFactory(organisation=network.loket_utrecht, slugs=("overig", "sport-en-zorg"))
    _db.session.commit()
    assert queries() == few == 4
