"""Hostile input never answers 500 (issue #13 point 5): every text that enters is checked by one rule
(loket/input_guard.py with services/text.py), every id is checked to the database's range (services/ids.py), and
nothing is stored when input is refused.

The first tests are the bullets of the issue, one walk each; then a property-based walk (hypothesis) over every
HTML form the app renders for the roles that may use it. The API's own walk is tests/blueprints/api/test_schemathesis.py.
"""
import json

import pytest
from sqlalchemy import select, text

from loket.extensions import db as _db
from loket.services.network import api_tokens
from tests.factories import PASSWORD
from tests.support.lookups import category_id
from tests.support.requests import file_request

ID_OVERFLOWS = (str(2**31), str(2**63), "99999999999999999999", "-1", "1e20", "%00", "0x10")
HOSTILE_TEXTS = ("a\x00b", "\x00", "a\x07b", "a\x1bb", "a\x85b", "a\x7fb")
# What the pages say when they refuse such input (beside the field, or the whole form).
DUTCH_REFUSALS = ("stuurteken", "horen niet bij een actief account", "Kies ", "geldig e-mailadres")


def row_counts() -> tuple:
    """The number of rows of every table, in one query (a refused input changes none of them)."""
    tables = _db.metadata.sorted_tables
    counts = ", ".join(f'(SELECT count(*) FROM "{table.name}")' for table in tables)
    return tuple(_db.session.execute(text(f"SELECT {counts}")).one())


@pytest.fixture()
def filed(network):
    """A request of VV Utrechtse Boys at Sportloket Utrecht."""
    return file_request(network, category="overig", title="Hulp bij subsidie", description="Welke fondsen?")


def test_a_nul_character_in_any_form_field_is_refused_in_dutch_also_when_logging_in(app, network, login_as, filed):
    anonymous = app.test_client()
    club, supporter = login_as("club_contact"), login_as("ondersteuner")
    posts = [
        (anonymous, "/inloggen", {"email": "anna@uboys.example\x00", "password": PASSWORD}),
        (anonymous, "/inloggen", {"email": "anna@uboys.example", "password": "x\x00"}),
        (club, "/club/aanvragen/nieuw", {"club": network.club_utrecht.id, "category": category_id("overig"),
                                         "sport": "", "title": "Titel\x00", "description": "Tekst"}),
        (club, f"/club/aanvragen/{filed.id}/reactie", {"body": "Hallo\x00daar"}),
        (supporter, f"/wachtrij/{filed.id}/bericht", {"body": "Notitie\x01", "internal": "y"}),
        (supporter, f"/wachtrij/{filed.id}/doorverwijzen", {"team": "1\x00", "reason": "Reden"}),
    ]
    before = row_counts()
    for client, url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, data, response.status_code)
        assert any(words in response.get_data(as_text=True) for words in DUTCH_REFUSALS), url
    # Asking for a reset link answers the same whatever the address (no enumeration): the neutral 200, no mail.
    assert anonymous.post("/wachtwoord-vergeten", data={"email": "anna\x00@uboys.example"}).status_code == 200
    assert row_counts() == before


def test_ids_beyond_the_database_range_in_forms_and_query_strings_are_clean_answers(app, network, login_as, filed):
    club, supporter = login_as("club_contact"), login_as("ondersteuner")
    supporter.post(f"/wachtrij/{filed.id}/oppakken")
    good = {"club": network.club_utrecht.id, "category": category_id("overig"), "sport": "", "title": "Titel",
            "description": "Tekst"}
    before = row_counts()
    for value in ID_OVERFLOWS:
        for field in ("club", "category", "sport"):
            response = club.post("/club/aanvragen/nieuw", data={**good, field: value})
            assert 400 <= response.status_code < 500, (field, value, response.status_code)
        for field in ("category", "sport"):
            response = supporter.post("/wachtrij/nieuw", data={
                "club": network.club_utrecht.id, "channel": "telefoon", "contact": "nieuw",
                "contact_name": "Piet", "contact_email": "", "contact_phone": "0612345678",
                "title": "Titel", "description": "Tekst", "category": category_id("overig"), "sport": "",
                field: value})
            assert 400 <= response.status_code < 500, (field, value, response.status_code)
        for url, field in ((f"/wachtrij/{filed.id}/toewijzen", "assignee"), (f"/wachtrij/{filed.id}/doorverwijzen", "team"),
                           (f"/wachtrij/{filed.id}/inschakelen", "team")):
            response = supporter.post(url, data={field: value, "reason": "Reden"})
            assert 400 <= response.status_code < 500, (url, value, response.status_code)
        for url in (f"/wachtrij/?categorie={value}", f"/wachtrij/?behandelaar={value}", f"/aanbod/?categorie={value}",
                    f"/wachtrij/nieuw?club={value}", f"/werkgebied/clubs?sport={value}", f"/wachtrij/?pagina={value}"):
            response = supporter.get(url)
            assert response.status_code < 500, (url, response.status_code)
    assert row_counts() == before


def test_a_page_number_of_any_size_shows_the_first_or_the_last_page(network, login_as):
    """Decision: a page number is read generously — too low or unreadable is page 1, too high (1e20, 20 digits)
    redirects to the last page; never an error."""
    supporter = login_as("ondersteuner")
    for value in ("1e20", "99999999999999999999", "-1", "0", "nan", "inf", "-inf", "1" * 400, "%00", "2.5"):
        response = supporter.get(f"/wachtrij/?pagina={value}")
        assert response.status_code in (200, 302, 400), (value, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].endswith("/wachtrij/"), (value, response.headers["Location"])


def test_a_nul_character_or_bytes_that_are_no_utf8_in_a_path_name_no_page(app, network, login_as):
    beheer = login_as("beheerder")
    for url in ("/netwerk/loketten/utrecht%00", "/netwerk/loketten/%00/bewerken", "/beheer/bonden/knvb%00",
                "/netwerk/gemeenten/GM0344%00", "/netwerk/loketten/%C0%80", "/netwerk/loketten/utr%FFecht",
                "/netwerk/loketten/utrecht%1b", "/api/v1/lokets/utrecht%00"):
        assert beheer.get(url).status_code == 404, url
    for raw in ("/netwerk/loketten/utr\xffecht", "/api/v1/lokets/\xc0\x80"):  # bytes as a WSGI server passes them
        assert beheer.get("/", environ_overrides={"PATH_INFO": raw}).status_code == 404, raw
    before = row_counts()
    for url in ("/beheer/bonden/knvb%00", "/netwerk/loketten/utr%00echt/bewerken", "/beheer/bonden/%FF/sporten"):
        assert beheer.post(url, data={"name": "KNVB", "reason": "x"}).status_code == 404, url
    assert row_counts() == before


def test_bytes_that_are_no_utf8_or_a_control_character_in_a_parameter_name_are_a_dutch_400(app, network, login_as):
    beheer = login_as("beheerder")
    for url in ("/netwerk/loketten?q=%FF", "/netwerk/loketten?q=%C3%28", "/netwerk/loketten?q%00=x",
                "/api/v1/lokets?q=%FF"):
        response = beheer.get(url)
        assert response.status_code == 400, url
    before = row_counts()
    response = beheer.post("/beheer/categorieen", data=f"csrf_token={beheer.csrf_token()}&name=%FF%FE&scope=algemeen",
                           content_type="application/x-www-form-urlencoded", csrf=False)
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
    response = beheer.post("/beheer/categorieen", data={"na\x00me": "Nieuw"})
    assert response.status_code == 400 and "stuurteken" in response.get_data(as_text=True)
    assert row_counts() == before


@pytest.fixture()
def token(network):
    return api_tokens.issue_token(network.ondersteuner.email, PASSWORD).token


def _api(app, token, method, path, body: str):
    return app.test_client().open(f"/api/v1{path}", method=method, data=body, content_type="application/json",
                                  headers={"Authorization": f"Bearer {token}"})


def test_api_json_too_deep_with_a_lone_surrogate_or_not_utf8_is_a_dutch_400(app, network, token, filed):
    before = row_counts()
    bodies = [
        ('{"body": "hallo \\ud800", "internal": true}', "surrogaat"),
        ('{"body": "ok", "internal": true, "\\udfff": 1}', "surrogaat"),
        ("[" * 100_000 + "]" * 100_000, "te diep"),
        ('{"body": ' + "[" * 40 + "]" * 40 + "}", "te diep"),
        (b'{"body": "\xff\xfe", "internal": true}', "geen geldig JSON"),
    ]
    for body, words in bodies:
        response = _api(app, token, "POST", f"/requests/{filed.id}/messages", body)
        assert response.status_code == 400, (body[:60], response.status_code)
        assert response.mimetype == "application/problem+json"
        assert words in response.json["detail"], (body[:60], response.json)
    anonymous = app.test_client()  # the token and registration limits read the body before any view
    for path in ("/auth/token", "/registrations", "/auth/password-reset"):
        for body, _words in bodies:
            response = anonymous.post(f"/api/v1{path}", data=body, content_type="application/json", csrf=False)
            assert response.status_code == 400, (path, body[:60], response.status_code)
    assert row_counts() == before


def test_control_characters_in_api_text_are_refused_per_field_and_not_stored(app, network, token, filed):
    club_token = api_tokens.issue_token(network.club_contact.email, PASSWORD).token
    before = row_counts()
    for body in ("hallo \x00", "hallo \x07 bel", "\x9b", "\x1b[31m rood"):
        response = _api(app, token, "POST", f"/requests/{filed.id}/messages", json.dumps({"body": body, "internal": True}))
        assert response.status_code == 422, (body, response.status_code)
        assert "stuurtekens" in response.json["errors"]["body"]
    good = {"club": network.club_utrecht.id, "category": "overig", "title": "Titel", "description": "Tekst"}
    for field, value in (("title", "Titel\x07"), ("description", "Tekst\x1b[31m"), ("title", "Titel\x85"),
                         ("category", "overig\x00")):
        response = _api(app, club_token, "POST", "/requests", json.dumps({**good, field: value}))
        assert response.status_code == 422, (field, value, response.status_code)
    assert row_counts() == before
    # A line break and a tab stay allowed in a longer text.
    response = _api(app, token, "POST", f"/requests/{filed.id}/messages",
                    json.dumps({"body": "Regel 1\n\tRegel 2\r\n", "internal": True}))
    assert response.status_code == 201, response.json
    assert _api(app, club_token, "POST", "/requests", json.dumps(good)).status_code == 201
