"""Beheer's AVG pages and the audit log over HTTP: counts without contents, the export as a download, an erasure
with its confirmation, and the audit log filled by refused pages and staff reading requests (issue #13, point 10)."""
import json

import pytest
from sqlalchemy import select

from loket.extensions import db
from loket.models import AuditEntry, SupportRequest
from tests.support.db import count_rows, reloaded
from tests.support.requests import file_request

SECRET_TITLE = "Ruzie in het bestuur van de jeugdafdeling"
PAGES = [("get", "/beheer/privacy"), ("get", "/beheer/auditlog"), ("post", "/beheer/privacy/export"),
         ("post", "/beheer/privacy/wissen")]


@pytest.fixture()
def request_of_anna(network):
    return file_request(network, title=SECRET_TITLE, description="Wie kan ons helpen bemiddelen?")


def _actions():
    return [(e.action, e.subject_kind, e.subject_id) for e in db.session.scalars(select(AuditEntry)
                                                                                  .order_by(AuditEntry.id))]


def test_beheer_sees_what_is_held_about_a_person_without_the_contents(login_as, network, request_of_anna):
    page = login_as("beheerder").get("/beheer/privacy?email=anna@uboys.example")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Wat Loket bewaart over anna@uboys.example" in text
    assert "Aanvragen die de persoon indiende</th><td>1</td>" in text
    assert SECRET_TITLE not in text
    assert page.headers["Cache-Control"] == "no-store"


def test_the_export_is_a_json_download_and_is_audited(login_as, network, request_of_anna):
    client = login_as("beheerder")
    response = client.post("/beheer/privacy/export", data={"email": "anna@uboys.example"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"persoonsgegevens-anna")
    document = json.loads(response.get_data(as_text=True))
    assert [r["title"] for r in document["requests"]] == [SECRET_TITLE]
    assert ("export", "user", network.club_contact.id) in _actions()


def test_an_erasure_needs_the_confirmation_and_then_shows_in_the_audit_log(login_as, network, request_of_anna):
    client = login_as("beheerder")
    wrong = client.post("/beheer/privacy/wissen", data={"email": "anna@uboys.example", "confirmation": "anna@",
                                                        "reason": "Verzoek van 3 maart"})
    assert wrong.status_code == 400
    assert "Typ ter bevestiging precies hetzelfde e-mailadres nog eens." in wrong.get_data(as_text=True)
    assert reloaded(request_of_anna).title == SECRET_TITLE
    done = client.post("/beheer/privacy/wissen", data={"email": "anna@uboys.example",
                                                       "confirmation": "anna@uboys.example",
                                                       "reason": "Verzoek van 3 maart"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/beheer/auditlog?actie=erasure")
    assert reloaded(request_of_anna).title != SECRET_TITLE and count_rows(SupportRequest) == 1
    log = client.get("/beheer/auditlog?actie=erasure").get_data(as_text=True)
    assert "Persoon gewist (AVG)" in log and "Verzoek van 3 maart" in log and SECRET_TITLE not in log


@pytest.mark.parametrize("who", ["coordinator", "ondersteuner", "club_contact", "gemeente_utrecht"])
def test_only_beheer_uses_the_avg_pages_and_each_refusal_is_audited(login_as, network, request_of_anna, who):
    client = login_as(who)
    for method, path in PAGES:
        response = getattr(client, method)(path, data={"email": "anna@uboys.example",
                                                       "confirmation": "anna@uboys.example", "reason": "x"}
                                           if method == "post" else None)
        assert response.status_code == 403, (who, path)
    assert reloaded(request_of_anna).title == SECRET_TITLE
    user = getattr(network, who)
    denials = [e for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "permission_denied"))]
    assert len(denials) == len(PAGES) and {e.actor_id for e in denials} == {user.id}
    assert {e.label for e in denials} == {"beheer.privacy", "beheer.audit_log", "beheer.export_person",
                                          "beheer.erase_person"}


def test_staff_opening_a_request_is_audited_and_a_club_reading_its_own_is_not(login_as, network, request_of_anna):
    assert login_as("ondersteuner").get(f"/wachtrij/{request_of_anna.id}").status_code == 200
    assert login_as("club_contact").get(f"/club/aanvragen/{request_of_anna.id}").status_code == 200
    assert [a for a in _actions() if a[0] != "login"] == [("request_read", "request", request_of_anna.id)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "request_read"))
    assert entry.actor_id == network.ondersteuner.id and entry.label == "queue.detail"
    log = login_as("beheerder").get(f"/beheer/auditlog?onderwerp=request&id={request_of_anna.id}")
    assert "Aanvraag ingezien" in log.get_data(as_text=True) and SECRET_TITLE not in log.get_data(as_text=True)


@pytest.mark.parametrize("query, message", [
    ("van=31-02-2026", "Vul een datum in als 31-03-2026."),
    ("tot=morgen", "Vul een datum in als 31-03-2026."),
    ("id=99999999999", "Vul een nummer in."),
    ("actie=hacken", "Kies een soort gebeurtenis uit de lijst."),
])
def test_a_bad_audit_search_is_a_dutch_400(login_as, network, query, message):
    response = login_as("beheerder").get(f"/beheer/auditlog?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_bad_address_on_the_person_page_is_a_dutch_400(login_as, network):
    response = login_as("beheerder").get("/beheer/privacy?email=geen-adres")
    assert response.status_code == 400
    assert "Vul het e-mailadres van de persoon in." in response.get_data(as_text=True)


def test_logins_failed_logins_and_logouts_are_audited_with_the_client_address(app, client, network):
    from tests.factories import PASSWORD

    client.post("/inloggen", data={"email": "anna@uboys.example", "password": "verkeerd-wachtwoord"},
                environ_base={"REMOTE_ADDR": "192.0.2.7"})
    client.post("/inloggen", data={"email": "onbekend@example.nl", "password": "verkeerd-wachtwoord"})
    client.login(network.club_contact)
    client.logout()
    api = app.test_client()
    assert api.post("/api/v1/auth/token", json={"email": "anna@uboys.example", "password": PASSWORD}
                    ).status_code == 201
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    anna = network.club_contact.id
    assert [(e.action, e.subject_kind, e.subject_id, e.label) for e in entries] == [
        ("login_failed", "user", anna, "anna@uboys.example"),
        ("login_failed", "email", None, "onbekend@example.nl"),
        ("login", "user", anna, "web"),
        ("logout", "user", anna, ""),
        ("login", "user", anna, "API-sleutel"),
    ]
    assert entries[0].client_address == "192.0.2.7" and entries[0].actor_id is None
    assert entries[2].actor_id == anna


def test_a_wrong_second_step_code_is_audited(client, network):
    from tests.factories import PASSWORD

    answer = client.post("/inloggen", data={"email": network.coordinator.email, "password": PASSWORD})
    assert answer.status_code == 302
    client.post(answer.headers["Location"], data={"code": "000000"})
    failed = [e for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))]
    assert [(e.subject_id, e.label) for e in failed] == [(network.coordinator.id, "tweede stap: verkeerde code")]
