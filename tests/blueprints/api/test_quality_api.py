"""GET /api/v1/overview and POST /api/v1/quality/recompute: coördinatiepunt and beheer only, aggregates only,
documented in the OpenAPI document (every response is checked against it by the ApiClient)."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import QualityRun
from loket.services.network import api_tokens
from loket.services.quality import voldoet
from tests.factories import PASSWORD, totp_code
from tests.support.api import ApiClient, assert_problem
from tests.support.db import count_queries
from tests.support.quality import (
    LAST_MONTH,
    THIS_MONTH,
    extend_network,
    grow_lone,
    measure_month,
    pass_audit,
)

ENDPOINTS = (("GET", "/overview"), ("POST", "/quality/recompute"))


@pytest.fixture()
def quality(network):
    extend_network(network)
    measure_month(network.loket_utrecht, LAST_MONTH, 6)
    measure_month(network.loket_utrecht, THIS_MONTH, 8)
    pass_audit(network, network.loket_utrecht, audit_date=LAST_MONTH)
    measure_month(network.loket_eemland, LAST_MONTH, 5)
    measure_month(network.loket_eemland, THIS_MONTH, 3)
    return network


def _runs():
    return _db.session.scalar(select(func.count()).select_from(QualityRun))


def test_overview_has_the_targets_and_every_loket(api, quality):
    response = api("coordinator").get("/overview")
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("gemeenten_total", "gemeenten_covered", "loketten_total", "loketten_operationeel",
                                 "loketten_aangehaakt", "loketten_voldoen", "bonden_total", "bonden_aangesloten")} == {
        "gemeenten_total": 7, "gemeenten_covered": 5, "loketten_total": 4, "loketten_operationeel": 3,
        "loketten_aangehaakt": 3, "loketten_voldoen": 1, "bonden_total": 2, "bonden_aangesloten": 1}
    assert body["targets"] == {"gemeenten_covered": 342, "loketten_voldoen": 100, "bonden_aangesloten": 2}
    assert body["criteria_set"] == "2026.1" and [c["code"] for c in body["criteria"]][-3:] == ["K8", "K9", "K10"]
    loketten = {item["slug"]: item for item in body["loketten"]}
    assert list(loketten) == ["arnhem", "bunnik", "eemland", "utrecht"]
    assert loketten["utrecht"]["voldoet"] is True and loketten["utrecht"]["trend"] == "beter"
    assert loketten["eemland"]["criteria"] == {"K1": True, "K2": True, "K3": True, "K4": False, "K5": False,
                                             "K6": False, "K7": False, "K8": None, "K9": None, "K10": False}
    assert loketten["bunnik"]["criteria"]["K1"] is None and loketten["bunnik"]["trend"] is None
    assert loketten["eemland"]["provinces"] == ["Gelderland", "Utrecht"] and loketten["eemland"]["gemeenten"] == 3
    assert body["latest_run"] is None


def test_overview_verdicts_are_voldoet_evaluate(api, quality):
    body = api("beheerder").get("/overview").get_json()
    ids = {loket.slug: loket.id for loket in (quality.loket_utrecht, quality.loket_eemland,
                                              quality.loket_bunnik, quality.loket_arnhem)}
    verdicts = voldoet.evaluate(list(ids.values()))
    for item in body["loketten"]:
        assert item["voldoet"] == verdicts[ids[item["slug"]]].voldoet
        assert item["criteria"] == verdicts[ids[item["slug"]]].criteria


def test_recompute_answers_202_with_the_run(api, quality):
    response = api("coordinator").post("/quality/recompute")
    assert response.status_code == 202
    run = response.get_json()
    stored = _db.session.get(QualityRun, run["id"])
    assert stored.requested_by_id == quality.coordinator.id
    # The answer says what the request committed (the run, queued); its job runs after the answer is built
    # (inline in tests, so it is done by the time the test reads it).
    assert run["state"] == "queued" and stored.state == "done"
    assert (stored.criteria_done, stored.criteria_total) == (8, 8)
    assert run["period"] == THIS_MONTH.isoformat()
    latest = api("beheerder").get("/overview").get_json()["latest_run"]
    assert latest["id"] == run["id"] and latest["state"] == "done"


def test_recompute_needs_no_body_and_ignores_one(api, quality):
    assert api("beheerder").post("/quality/recompute", json={"anything": 1}).status_code == 202
    assert _runs() == 1


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "bondsspecialist"])
def test_other_roles_get_403(api, quality, who):
    client = api(who)
    for method, path in ENDPOINTS:
        assert_problem(client.call(method, path), 403)
    assert _runs() == 0


def test_without_a_token_it_is_401_even_with_a_browser_session(api, login_as, quality):
    for method, path in ENDPOINTS:
        assert_problem(api().call(method, path), 401)
    browser = login_as("coordinator")  # a session cookie never authenticates the API
    assert browser.get("/api/v1/overview").status_code == 401
    assert browser.post("/api/v1/quality/recompute").status_code == 401
    assert _runs() == 0


def test_both_operations_are_documented_for_coordinatiepunt_and_beheer(openapi_document):
    paths = openapi_document["paths"]
    for method, path in ENDPOINTS:
        operation = paths[f"/api/v1{path}"][method.lower()]
        assert operation["x-roles"] == ["beheer", "coordinatiepunt"]
        assert operation["tags"] == ["kwaliteit"]
    assert "202" in paths["/api/v1/quality/recompute"]["post"]["responses"]
    assert set(openapi_document["components"]["schemas"]["Overview"]["required"]) >= {
        "gemeenten_total", "gemeenten_covered", "loketten_total", "loketten_aangehaakt", "loketten_voldoen",
        "bonden_total", "bonden_aangesloten", "criteria_set", "loketten"}


def test_overview_uses_a_constant_number_of_queries(app, lone, openapi_document):
    """One loket, then nine (and a finished run): the same number of queries."""
    token = api_tokens.issue_token(lone.coordinator.email, PASSWORD, totp_code(lone.coordinator)).token
    client = ApiClient(app, app.test_client(), openapi_document, token)
    client.get("/overview")  # warm up: the token's last_used_at is written on first use only
    with count_queries(app) as few:
        assert len(client.get("/overview").get_json()["loketten"]) == 1
    grow_lone(lone, 8)
    assert client.post("/quality/recompute").status_code == 202
    with count_queries(app) as many:
        response = client.get("/overview")
    assert len(response.get_json()["loketten"]) == 9 and response.get_json()["latest_run"]["state"] == "done"
    assert len(many) == len(few), "\n".join(many)
