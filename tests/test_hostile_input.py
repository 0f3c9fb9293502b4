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
from tests.support.db import ON_POSTGRES
from tests.support.lookups import category_id
from loket.services.requests import actions, teamwork
from tests.support.requests import file_request

ID_OVERFLOWS = (str(2**31), str(2**63), "99999999999999999999", "-1", "1e20", "%00", "0x10")
HOSTILE_TEXTS = ("a\x00b", "\x00", "a\x07b", "a\x1bb", "a\x85b", "a\x7fb")
# What the pages say when they refuse such input (beside the field, or the whole form).
DUTCH_REFUSALS = ("stuurteken", "horen niet bij een actief account", "Kies ", "geldig e-mailadres")


def row_counts() -> tuple:
    """The number of rows of every table, in one query (a refused input changes none of them). The audit log
    is left out: recording a refused login attempt or page is its job (tests/blueprints/test_beheer_privacy.py)."""
    tables = [table for table in _db.metadata.sorted_tables if table.name != "audit_log"]
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


def test_renaming_a_category_holds_its_name_to_the_rule(app, network, login_as):
    """Found by the walk on PostgreSQL: renaming a category with a NUL reached the database (a 500 there) and a
    bell character was stored. A tab and a line break stay allowed in the explanation."""
    beheer = login_as("beheerder")
    category = category_id("overig")
    before = row_counts()
    for name in ("Ov\x00erig", "Overig\x07", "\x1b[31mOverig"):
        response = beheer.post(f"/beheer/categorieen/{category}", data={"name": name, "description": ""})
        assert response.status_code == 400, (name, response.status_code)
        assert "stuurteken" in response.get_data(as_text=True)
    assert row_counts() == before
    response = beheer.post(f"/beheer/categorieen/{category}", data={"name": "Overig", "description": "Regel\r\n\tTwee"})
    assert response.status_code == 302


@pytest.mark.skipif(not ON_POSTGRES, reason="only PostgreSQL refuses a NUL in text itself")
def test_a_value_the_database_refuses_where_no_check_caught_it_is_a_dutch_400_and_nothing_stored(app, network):
    """The net below the services' checks (api/conflicts.py): a sport name with a NUL in an aanmelding reached
    PostgreSQL's lookup, which refuses it (a 500 before); the page and the API answer 400/422 in Dutch."""
    anonymous = app.test_client()
    before = row_counts()
    response = anonymous.post("/aanmelden", data={
        "club_name": "FC Nul", "club_kind": "vereniging", "club_gemeente": "GM0344", "club_sports": "a\x00b",
        "contact_name": "Nina Nul", "contact_email": "nina@nul.example", "contact_password": PASSWORD})
    assert response.status_code == 400
    assert "kan niet worden opgeslagen" in response.get_data(as_text=True)
    response = anonymous.post("/api/v1/registrations", json={
        "club": {"name": "FC Nul", "kind": "vereniging", "gemeente": "GM0344", "sports": ["a\x00b"]},
        "contact": {"name": "Nina Nul", "email": "nina@nul.example", "password": PASSWORD}}, csrf=False)
    assert response.status_code in (400, 422), response.status_code
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


def test_bytes_that_are_no_utf8_in_a_query_string_or_form_are_a_dutch_400(app, network, login_as):
    beheer = login_as("beheerder")
    for url in ("/netwerk/loketten?q=%FF", "/netwerk/loketten?q=%C3%28", "/netwerk/loketten?x=%ED%A0%80",
                "/api/v1/lokets?q=%FF"):
        response = beheer.get(url)
        assert response.status_code == 400, url
    before = row_counts()
    response = beheer.post("/beheer/categorieen", data=f"csrf_token={beheer.csrf_token()}&name=%FF%FE&scope=algemeen",
                           content_type="application/x-www-form-urlencoded", csrf=False)
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
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


# ---------------------------------------------------------------- every form of the app, with hostile values

import io  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from urllib.parse import parse_qsl, urlencode, urlsplit  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from werkzeug.exceptions import MethodNotAllowed, NotFound  # noqa: E402
from werkzeug.routing import AnyConverter  # noqa: E402

from types import SimpleNamespace  # noqa: E402

from loket.services.messaging import mail  # noqa: E402
from loket.services.network import (  # noqa: E402
    account_tokens, agreements, invitations, lifecycle, regions, registrations, user_admin)
from loket.services.quality import audits  # noqa: E402
from loket.services.requests import categories  # noqa: E402
from tests import factories  # noqa: E402
from tests.support import matrix  # noqa: E402
from tests.support.mails import outbox_rows, rendered  # noqa: E402
from tests.support.registrations import club_data, contact_data  # noqa: E402

HOSTILE_VALUES = (
    "a\x00b", "\x00", "x\x1b[31m", "\x07", "\x85", "%00", "\x7f", "\ufffd",
    str(2**31), str(2**63), "-1", "0", "1e20", "99999999999999999999", "nan", "", " ", "x" * 10_000,
    "<script>alert(1)</script>", "../../etc/passwd", "' OR 1=1 --", "0x10", "1.5", "٣", "𝟙",
)
# (A lone surrogate cannot travel in a form or a URL: UTF-8 has no bytes for it. The API's JSON can: see above.)
# Forms that end the walker's own session: the walk would continue logged out.
SESSION_ENDERS = frozenset({"auth.logout", "account.sign_out_everywhere"})
# Links followed from the start pages: a few urls per endpoint (the start pages are all visited).
URLS_PER_ENDPOINT = 3


class _Page(HTMLParser):
    """The links and the POST forms of a page (each form: action and {field name: a value a browser sends})."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            value = attrs.get("value") or ""
            if attrs.get("type") in ("checkbox", "radio") and attrs["name"] in self._form["fields"]:
                return
            self._form["fields"][attrs["name"]] = value
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._form is not None and self._select:
            fields = self._form["fields"]
            if not fields.get(self._select) and attrs.get("value"):
                fields[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _endpoint(app, url, method="GET"):
    try:
        return app.url_map.bind("localhost").match(urlsplit(url).path, method=method)[0]
    except (NotFound, MethodNotAllowed):
        return None


def _walk(app, client, starts, answers=()):
    """The site as this client sees it: (GET urls with their query parameter names, POST forms). Every start page
    is opened, and every (url, data) of `answers` is posted to read the page it answers with; the links found
    are followed, a few urls per endpoint."""
    seen, per_endpoint, forms, queries = set(), {}, {}, {}
    queue = [(url, True) for url in starts] + [(answer, True) for answer in answers]
    while queue:
        url, is_start = queue.pop(0)
        data = None
        if isinstance(url, tuple):
            url, data = url
        endpoint = _endpoint(app, url, "GET" if data is None else "POST")
        if (url in seen and data is None) or endpoint is None or endpoint == "static":
            continue
        if not is_start and per_endpoint.get(endpoint, 0) >= URLS_PER_ENDPOINT:
            continue
        seen.add(url)
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        response = client.get(url) if data is None else client.post(url, data=data)
        assert response.status_code < 500, (url, response.status_code)
        if response.headers.get("Location", "").startswith("/"):
            queue.append((response.headers["Location"], False))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = _Page()
        page.feed(response.get_data(as_text=True))
        queue.extend((link, False) for link in page.links if link not in seen)
        path = urlsplit(url).path
        queries.setdefault(path, set()).update(name for name, _ in parse_qsl(urlsplit(url).query))
        for form in page.forms:
            action = form["action"] or path
            if form["method"] == "get":  # also sent as a browser would, with what it holds (a club chosen, …)
                queries.setdefault(urlsplit(action).path, set()).update(form["fields"])
                queue.append((f"{urlsplit(action).path}?{urlencode(form['fields'])}", False))
                continue
            post_endpoint = _endpoint(app, action, "POST")
            if post_endpoint and post_endpoint not in SESSION_ENDERS:
                fields = {name: value for name, value in form["fields"].items() if name != "csrf_token"}
                forms.setdefault((post_endpoint, len(fields) > 0), (action, fields))
    return queries, list(forms.values())


def _state_for_every_form(app, world) -> list[str]:
    """Beside the matrix's world, what the remaining forms need before a page shows them (an inactive offer,
    a failed mail, an open audit, …) and a lead of bond P (who proposes agreements); returns the pages that only
    a value in their query string opens."""
    n = world
    n.actors["bond_lead"] = factories.make_user("bondsspecialist", n.knvb, name="Bert Bondslead", team_lead=True)
    factories.SupportOfferFactory(organisation=n.loket_utrecht, active=False)
    factories.OutboxMessageFactory(status="failed", to=n.club_contact.email, context={"request_id": n.req_x.id},
                                   last_error="SendGrid 400")
    factories.ClubContactFactory(club=n.club_utrecht, name="Tweede Contact", email="tweede@uboys.example")
    _db.session.commit()
    categories.set_category_active(categories.create_category("Uitgezette categorie", "generiek").id, False)
    former = factories.make_user("clubondersteuner", n.loket_utrecht, name="Oud Lid")
    user_admin.deactivate_user(former, actor=n.beheerder)
    lifecycle.set_exploring(factories.GemeenteFactory(name="Verkenstad"), True, actor=n.coordinator)
    registrations.hand_over(n.reg_cp.id, actor=n.coordinator, loket_id=n.loket_utrecht.id, reason="Dichtbij")
    handed = file_request(n, club="club_zeist", who="zeist_contact", category="overig")
    teamwork.hand_over_from_fallback(handed.id, actor=n.coordinator, to_team_id=n.loket_utrecht.team.id,
                                     reason="Dichtbij")
    teamwork.invite_team(teamwork.supporter_access(n.ondersteuner, n.req_x.id), actor=n.ondersteuner,
                         team_id=n.knvb.team.id, reason="Meedenken")
    # A mention of X's supporter: "Alles als gezien markeren" on their start page.
    teamwork.post_message(teamwork.supporter_access(n.lead_x, n.req_x.id), actor=n.lead_x,
                          body=f"@{n.ondersteuner.name}, kijk je mee?", internal=True)
    closed = file_request(n, category="overig", title="Al opgelost")
    actions.claim(closed, actor=n.ondersteuner)
    actions.change_status(closed, "opgelost", actor=n.ondersteuner)
    audits.start_audit(n.loket_eemland.id, actor=n.coordinator, kind="audit")
    n.actors["lead_y"] = factories.make_user("clubondersteuner", n.loket_eemland, name="Lea Lead", team_lead=True)
    audits.start_audit(n.loket_eemland.id, actor=n.actors["lead_y"], kind="self_assessment")
    spare = regions.import_region_set("Zonder adviseurs", b"regio;gemeentecode\nNoord;GM0344\n", actor=n.beheerder)
    agreements.propose("knltb", [("overig", "loket")], actor=factories.make_user("bondsspecialist", n.knltb, team_lead=True))
    invitations.invite(n.beheerder, "loket", "utrecht", email=n.ondersteuner_eemland.email)  # joins with her account
    _db.session.commit()
    return [f"/beheer/privacy?{urlencode({'email': n.club_contact.email})}", f"/beheer/gebruikers/{former.id}",
            f"/beheer/regio-indelingen/{spare.slug}", f"/coordinatie/opvang/{handed.id}/doorzetten"]


def _start_pages(app, world) -> list[str]:
    """Every HTML page of the URL map, once for each object of the matrix's world that its URL can name (the
    actor's own and another team's), and the pages behind the links that mails carry (fresh tokens)."""
    adapter, pages = app.url_map.bind("localhost"), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint.startswith(("api.", "static")):
            continue
        names = matrix.object_names(rule)
        fitting = [values for values in world.targets.values() if set(names) <= set(values)] if names else [{}]
        for values in fitting:
            choices = {name: sorted(converter.items)[0] for name, converter in rule._converters.items()
                       if isinstance(converter, AnyConverter) and name not in values}
            given = {**matrix.FIXED_VALUES, **values, **choices}
            pages.append(adapter.build(rule.endpoint, {name: given[name] for name in rule.arguments}))
    n = world
    for purpose, endpoint, user in (("reset_password", "auth.reset_password", n.club_contact),
                                    ("set_password", "auth.choose_password", n.adviseur),
                                    ("change_email", "account.confirm_email_change", n.ondersteuner)):
        token = account_tokens.issue(user, purpose, new_email="nieuw@loket.example" if "email" in purpose else None)
        pages.append(adapter.build(endpoint, {"token": token}))
    _db.session.commit()
    registrations.register_club(club_data(gemeente="GM0344", name="FC Nog Niet Bevestigd"),
                                contact_data(email="onbevestigd@club.example"))
    _db.session.commit()
    for row in outbox_rows():  # the links the mails carry
        pages += [urlsplit(link).path for link in mail.links_in(rendered(row).text)
                  if link.startswith(app.config["BASE_URL"])]
    return list(dict.fromkeys(pages))


@pytest.fixture()
def walked(app, network, monkeypatch):
    """Per walker — every actor of the authorization matrix, nobody, and someone halfway through a login with
    two-factor authentication — its client and what it reaches from every page of the URL map, in the matrix's
    world (an object of every kind, of one's own team and another's). The walkers log in (and post hostile
    logins) more often than the login limit allows one address: the limits are tested elsewhere."""
    for limit in ("LOGIN_RATE_LIMIT", "PASSWORD_RESET_RATE_LIMIT", "REGISTRATION_RATE_LIMIT"):
        monkeypatch.setitem(app.config, limit, "10000 per minute")
    world = matrix.build_world(network)
    extra_starts = _state_for_every_form(app, world)
    starts = _start_pages(app, world) + extra_starts
    walks, reached = {}, set()
    for who in (*matrix.SIGNED_IN, "bond_lead", "lead_y", "anonymous", "halfway"):
        client = app.test_client()
        if who in world.actors:
            client.login(world.actors[who])
            if who == "club_a":  # two-factor authentication on by choice, so it can be turned off
                client.enrol_two_factor()
        elif who == "halfway":  # the password given, the code not yet (the coördinatiepunt has 2FA on by now)
            client.post("/inloggen", data={"email": world.coordinator.email, "password": PASSWORD})
        # A page that is the answer to a form: the check of an uploaded region set, with its confirm button.
        answers = [("/beheer/regio-indelingen/controleren",
                    {"name": "Gecontroleerd", "file": (io.BytesIO(b"regio;gemeentecode\nZuid;GM0344\n"), "r.csv")})
                   ] if who == "beheer" else []
        queries, found = _walk(app, client, ["/inloggen/code"] if who == "halfway" else starts, answers)
        forms = [(action, fields) for action, fields in found if _endpoint(app, action, "POST") not in reached]
        reached |= {_endpoint(app, action, "POST") for action, _ in found}
        walks[who] = (client, queries, forms)
    return SimpleNamespace(walks=walks, actors=world.actors)


def _post_is_clean(client, who, action, fields, name, value, actors):
    before = row_counts()
    response = client.post(action, data={**fields, name: value})
    assert response.status_code < 500, (who, action, name, value[:40], response.status_code)
    if 400 <= response.status_code < 500:
        assert row_counts() == before, (who, action, name, value[:40], response.status_code)
    if who in actors and "/inloggen" in response.headers.get("Location", ""):  # the session ended: log in again
        try:
            client.login(actors[who])
        except AssertionError:  # the form deactivated or changed the account: this walker goes on logged out
            pass


DETERMINISTIC_VALUES = (str(2**31), "1e20", "x\x1b[31m", str(2**63), "-1")


def test_hostile_values_in_every_form_and_query_string_never_answer_an_error(app, walked):
    """Every form the walkers reach (each POST endpoint once, as a role that may use it), every field: a hostile
    value (the worst ones in turn), then a property-based walk (hypothesis) of any value in any field or any query
    parameter a page reads. Never a 5xx; a refused form stores nothing."""
    reached, turn = set(), 0
    for who, (client, _queries, forms) in walked.walks.items():
        for action, fields in forms:
            reached.add(_endpoint(app, action, "POST"))
            for name in fields:
                # A NUL in every field (PostgreSQL answers one with an error: a field no service checks would
                # be a 500 there), and another hostile value in turn.
                for value in ("a\x00b", DETERMINISTIC_VALUES[turn % len(DETERMINISTIC_VALUES)]):
                    _post_is_clean(client, who, action, fields, name, value, walked.actors)
                turn += 1
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods
             and not rule.endpoint.startswith(("api.", "inbound."))}
    # Every form of the app is on a page some walker reaches; the session enders are posted by the matrix.
    missing = sorted(posts - reached - SESSION_ENDERS)
    assert not missing, f"{len(missing)} of {len(posts)} forms on no page the walkers reach: {', '.join(missing)}"

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def any_value_anywhere(data):
        who = data.draw(st.sampled_from(sorted(walked.walks)))
        client, queries, forms = walked.walks[who]
        value = data.draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=30) | st.integers().map(str))
        if forms and data.draw(st.booleans()):
            action, fields = data.draw(st.sampled_from(forms))
            if fields:
                _post_is_clean(client, who, action, fields, data.draw(st.sampled_from(sorted(fields))), value,
                               walked.actors)
                return
        path = data.draw(st.sampled_from(sorted(queries)))
        name = data.draw(st.sampled_from(sorted(queries[path] | {"pagina"})))
        response = client.get(path, query_string={name: value})
        assert response.status_code < 500, (who, path, name, value[:40], response.status_code)

    any_value_anywhere()


def test_the_cli_refuses_control_characters_in_dutch_by_the_same_rule(app, runner, network):
    before = row_counts()
    for args in (["nina\x00@example.nl", "--name", "Nina"], ["nina@example.nl", "--name", "Nina\x1b[31m"],
                 ["nina@example.nl", "--name", "Nina", "--loket", "utrecht\x00"]):
        loket = [] if "--loket" in args else ["--loket", "utrecht"]
        result = runner.invoke(args=["users", "create", *args, "--password", "een lange zin als wachtwoord",
                                     "--role", "clubondersteuner", *loket])
        assert result.exit_code != 0 and "Traceback" not in result.output, (args, result.output)
        assert "niet aangemaakt" in result.output, (args, result.output)
    assert row_counts() == before
