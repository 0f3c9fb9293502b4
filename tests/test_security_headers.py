"""Every answer carries the security headers; what a signed-in person sees is never cached (issue #13)."""
import pytest

from loket.security_headers import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD


def _security(response):
    return {name: response.headers.get(name) for name in (
        "X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy")}


EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Content-Security-Policy": CONTENT_SECURITY_POLICY, "Referrer-Policy": "same-origin"}


@pytest.mark.parametrize("path", ["/", "/vind-je-loket", "/login", "/static/css/loket.css", "/bestaat-niet",
                                  "/api/v1/openapi.json"])
def test_every_answer_carries_the_security_headers(client, network, path):
    response = client.get(path)
    assert _security(response) == EXPECTED
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # not in testing: no HTTPS here


def test_a_signed_in_persons_pages_are_not_cached_and_public_ones_may_be(login_as, client, network):
    request_page = login_as("ondersteuner").get("/wachtrij/")
    assert request_page.status_code == 200
    assert request_page.headers["Cache-Control"] == "no-store" and "Cookie" in request_page.headers["Vary"]
    assert _security(request_page) == EXPECTED
    assert "no-store" not in client.get("/vind-je-loket").headers.get("Cache-Control", "")
    assert "no-store" not in login_as("ondersteuner").get("/static/css/loket.css").headers.get("Cache-Control", "")


def test_an_api_answer_for_a_token_is_not_cached(client, network):
    token = client.post("/api/v1/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD})
    answer = client.get("/api/v1/requests", headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_view_keeps_its_stricter_referrer_policy(client, network):
    response = client.get("/wachtwoord-herstellen/bestaat-niet")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_production_sends_hsts(app, client, network, monkeypatch):
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 63072000)
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=63072000"
