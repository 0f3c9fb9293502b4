"""Errors under /api/ are problem+json with a Dutch detail, whatever raised them; HTML stays HTML."""
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Loket, Team
from loket.services.network import loketten as loketten_service
from tests.support.api import API, assert_problem


def test_unknown_api_path_is_a_problem_not_an_html_page(api, network):
    response = api("beheerder").get("/does-not-exist")
    assert_problem(response, 404)
    response = api().get("/requests/abc")
    assert_problem(response, 404)


def test_website_errors_stay_html(client, network):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_wrong_method_is_405_with_allow_header(api, network):
    response = api("beheerder").call("PUT", "/lokets")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_body_over_the_limit_is_413_and_nothing_is_stored(app, api, network, monkeypatch):
    monkeypatch.setitem(app.config, "API_MAX_CONTENT_LENGTH", 1024)
    before = _db.session.scalar(select(func.count()).select_from(Loket))
    response = api("beheerder").post("/lokets", json={"name": "x" * 2000, "slug": "groot", "gemeenten": ["GM0355"]})
    assert_problem(response, 413)
    assert _db.session.scalar(select(func.count()).select_from(Loket)) == before


def test_the_default_body_limit_applies_without_configuration(api, network):
    response = api("beheerder").post("/lokets", json={"name": "x" * 300_000, "slug": "groot", "gemeenten": []})
    assert_problem(response, 413)


def test_an_unexpected_failure_is_a_500_problem_and_nothing_is_half_stored(app, api, network, monkeypatch):
    def broken_ensure_team(kind, organisation=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr(loketten_service, "ensure_team", broken_ensure_team)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    loketten = _db.session.scalar(select(func.count()).select_from(Loket))
    teams = _db.session.scalar(select(func.count()).select_from(Team))
    response = api("beheerder").post("/lokets", json={"name": "Sportloket Zeist", "slug": "zeist",
                                                      "gemeenten": ["GM0355"], "status": "operationeel"})
    problem = assert_problem(response, 500)
    assert "database" not in problem["detail"]  # no internals leak
    assert _db.session.scalar(select(func.count()).select_from(Loket)) == loketten
    assert _db.session.scalar(select(func.count()).select_from(Team)) == teams
    assert network.zeist.loket_id is None


def test_problem_details_follow_rfc_9457(api, network):
    problem = api().get("/requests").get_json()
    assert set(problem) == {"type", "title", "status", "detail"}
    assert problem["type"] == "about:blank" and problem["title"] == "Unauthorized" and problem["status"] == 401


def test_api_answers_without_a_route_never_touch_the_session(api, network, login_as):
    browser = login_as("ondersteuner")
    response = browser.get(API + "/requests")
    assert "Set-Cookie" not in response.headers


def test_numbers_beyond_the_id_range_are_refused_not_a_database_error(api, network):
    huge = 2**31
    assert_problem(api("ondersteuner").get(f"/requests/{huge}"), 404)
    assert_problem(api("ondersteuner").post(f"/referrals/{10**20}/accept"), 404)
    assert_problem(api("club_contact").post("/requests", json={
        "club": huge, "category": "overig", "title": "x", "description": "y"}), 422, field="club")
    filed = api("club_contact").post("/requests", json={
        "club": network.club_utrecht.id, "category": "overig", "title": "x", "description": "y"}).get_json()
    loket = api("ondersteuner")
    assert_problem(loket.post(f"/requests/{filed['id']}/referrals", json={
        "to": {"type": "bond", "id": huge}, "reason": "x"}), 422, field="to.id")
    assert_problem(loket.post(f"/requests/{filed['id']}/status", json={"status": "opgelost", "version": huge}),
                   422, field="version")
    assert_problem(loket.delete(f"/requests/{filed['id']}/collaborators/bond/{huge}"), 404)
    assert_problem(loket.get(f"/requests?page={10**7}"), 422, field="page")


def test_text_with_nul_characters_is_refused_not_a_database_error(api, network):
    response = api("club_contact").post("/requests", json={
        "club": network.club_utrecht.id, "category": "overig", "title": "a\x00b", "description": "y"})
    assert_problem(response, 422, field="title", contains="NUL")
    assert_problem(api("ondersteuner").get("/requests?category=a%00b"), 422, field="category")
    assert_problem(api("beheerder").patch("/bonds/a%00b", json={"aangesloten": True}), 404)
