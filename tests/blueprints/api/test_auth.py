"""Tokens: issued for email + password, stored as a digest only, and the only way into the API."""
import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import ApiToken, SupportRequest
from loket.models.base import utcnow
from tests.support.api import API, assert_problem
from tests.factories import PASSWORD


def _token_count():
    return _db.session.scalar(select(func.count()).select_from(ApiToken))


def test_token_is_issued_for_valid_credentials_and_only_its_digest_is_stored(api, network):
    response = api().post("/auth/token", json={"email": "Anna@UBoys.example", "password": PASSWORD})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    token = body["token"]
    assert token.startswith("lk_") and len(token) >= 43 and body["token_type"] == "Bearer"
    record = _db.session.scalar(select(ApiToken))
    assert record.user_id == network.club_contact.id
    assert record.digest == hashlib.sha256(token.encode()).hexdigest() != token
    assert timedelta(days=89) < record.expires_at - utcnow() <= timedelta(days=90)
    assert body["expires_at"].endswith("Z")
    assert api(token=token).get("/categories").status_code == 200


def test_each_issue_gives_a_new_token(api, network):
    first = api().post("/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD})
    second = api().post("/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD})
    assert first.get_json()["token"] != second.get_json()["token"]
    assert _token_count() == 2


def test_wrong_password_unknown_email_and_inactive_account_get_the_same_401(api, network):
    network.collega.active = False
    _db.session.commit()
    details = set()
    for email, password in ((network.ondersteuner.email, "wrong-password!"), ("nobody@example.nl", PASSWORD),
                            (network.collega.email, PASSWORD)):
        response = api().post("/auth/token", json={"email": email, "password": password})
        details.add(assert_problem(response, 401)["detail"])
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert len(details) == 1
    assert _token_count() == 0


def test_token_request_body_is_checked_strictly(api, network):
    client = api()
    assert_problem(client.post("/auth/token", json={"email": network.ondersteuner.email}), 422, field="password")
    assert_problem(client.post("/auth/token", json={"email": 12, "password": PASSWORD}), 422, field="email",
                   contains="tekst")
    assert_problem(client.post("/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD,
                                                    "scope": "alles"}), 422, field="scope")
    assert_problem(client.post("/auth/token", data="email=a&password=b",
                               headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_problem(client.post("/auth/token", data='{"email": ', headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.post("/auth/token", json=["email", "password"]), 400)
    assert _token_count() == 0


def test_missing_malformed_or_unknown_tokens_get_401(api, network):
    response = api().get("/requests")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="loket"'
    for header in ("Bearer lk_not-a-real-token", "Basic YW5uYTpwYXNzd29yZA==", "Bearer", "lk_x",
                   "Bearer " + "x" * 5000):
        response = api().get("/requests", headers={"Authorization": header})
        assert_problem(response, 401)
    assert 'error="invalid_token"' in api().get(
        "/requests", headers={"Authorization": "Bearer lk_nope"}).headers["WWW-Authenticate"]


def test_a_browser_session_does_not_authenticate_api_calls(app, network, login_as, openapi_document):
    browser = login_as("club_contact")
    assert browser.get("/club/aanvragen").status_code == 200  # the session works for the website
    response = browser.get(API + "/requests")
    assert_problem(response, 401)
    # Nor does it for writes, which skip CSRF precisely because the session cookie is ignored.
    category = "overig"
    response = browser.post(API + "/requests", json={"club": network.club_utrecht.id, "category": category,
                                                     "title": "Via de cookie", "description": "Mag niet"})
    assert_problem(response, 401)
    assert _db.session.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_the_bearer_token_decides_who_you_are_even_with_someone_elses_session(api, network, login_as):
    browser = login_as("ondersteuner")
    token = api("club_contact").token
    response = browser.get(API + "/requests", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200  # as the club contact: the club view
    response = browser.post(API + "/requests/1/claim", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 403)


def test_an_inactive_users_token_stops_working(api, network):
    client = api("ondersteuner")
    assert client.get("/requests").status_code == 200
    network.ondersteuner.active = False
    _db.session.commit()
    assert_problem(client.get("/requests"), 401)


def test_an_expired_token_stops_working(api, network):
    client = api("ondersteuner")
    record = _db.session.scalar(select(ApiToken))
    record.expires_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    assert_problem(client.get("/requests"), 401)


def test_the_caller_can_revoke_its_token(api, network):
    client = api("ondersteuner")
    other = api("ondersteuner")
    assert client.delete("/auth/token").status_code == 204
    assert_problem(client.get("/requests"), 401)
    assert_problem(client.delete("/auth/token"), 401)
    assert other.get("/requests").status_code == 200  # only the token in use is revoked
    revoked = _db.session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_not(None))).all()
    assert len(revoked) == 1


def test_use_of_a_token_is_recorded(api, network):
    client = api("ondersteuner")
    assert _db.session.scalar(select(ApiToken)).last_used_at is None
    client.get("/categories")
    assert _db.session.scalar(select(ApiToken)).last_used_at is not None
