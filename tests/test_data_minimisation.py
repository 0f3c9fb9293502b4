"""DESIGN §7: the coördinatiepunt, a gemeente's sport officer and an adviseur see aggregates only, never the
contents of a request.

Unmistakable strings are planted in requests of several loketten and of the fallback queue (title,
description, the club's contact person, an internal note, a public reply, a satisfaction comment, a
referral reason); the quality measurements are computed; then every GET route the coördinatiepunt can
open — found in the app's url_map from each view's @allow policy, so a page added later is covered
without touching this test — is fetched as the coördinatiepunt (and likewise as the roles gemeente and
adviseur), with every value its URL can take, and
no planted string may appear in any answer: HTML, JSON, CSV, or any cell of an XLSX workbook.
"""
import io
import itertools
import zipfile
from datetime import timedelta

import pytest
from werkzeug.routing import AnyConverter

from loket.access import ANY_USER, PUBLIC, policy_of
from loket.extensions import db as _db
from loket.services.network import api_tokens
from loket.models.base import utcnow
from loket.services.quality import criteria, runs
from loket.services.network import registrations
from loket.services.requests import actions, satisfaction, teamwork
from tests.factories import PASSWORD, ClubContactFactory, MembershipFactory, make_user, totp_code
from tests.support.mails import outbox_rows, rendered
from tests.support.quality import pass_audit
from tests.support.registrations import club_data, confirmation_token, contact_data
from tests.support.requests import file_request

TITLE, DESCRIPTION = "GEHEIM-TITEL-7f3a", "GEHEIM-OMSCHRIJVING-9b2c"
CONTACT_NAME, CONTACT_EMAIL = "Geheim Contactpersoon", "geheim@club.example"
NOTE, REPLY = "GEHEIM-NOTITIE-4d1e", "GEHEIM-ANTWOORD-5e8d"
SATISFACTION, REFERRAL_REASON = "GEHEIM-TEVREDENHEID-3a1c", "GEHEIM-VERWIJZING-6b0f"
SECRETS = (TITLE, DESCRIPTION, CONTACT_NAME, CONTACT_EMAIL, NOTE, REPLY, SATISFACTION, REFERRAL_REASON)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def planted(network):
    """Requests full of secrets at Utrecht, Eemland and (Zeist, Bunnik) the fallback queue; measurements
    computed by a real recompute; a final audit for Utrecht."""
    secret_contact = make_user("club", network.club_utrecht, name=CONTACT_NAME, email=CONTACT_EMAIL)
    filed = {}
    for club in (network.club_utrecht, network.club_amersfoort, network.club_zeist, network.club_bunnik):
        ClubContactFactory(club=club, name=CONTACT_NAME, email=CONTACT_EMAIL, user_id=secret_contact.id)
        if club is not network.club_utrecht:
            MembershipFactory(user=secret_contact, role="club", club=club)
        _db.session.commit()
        filed[club.name] = file_request(
            network, who=secret_contact, club=club, category="overig",
            title=f"{TITLE} {club.name}", description=f"{DESCRIPTION}\nBel {CONTACT_NAME} op {CONTACT_EMAIL}.")
    utrecht = filed[network.club_utrecht.name]
    actions.claim(utrecht, actor=network.ondersteuner)
    actions.add_message(utrecht, actor=network.ondersteuner, body=NOTE, internal=True, as_supporter=True)
    actions.add_message(utrecht, actor=network.ondersteuner, body=REPLY, internal=False, as_supporter=True)
    actions.change_status(utrecht, "opgelost", actor=network.ondersteuner)
    satisfaction.give_satisfaction(utrecht, secret_contact, 5, SATISFACTION)
    eemland = filed[network.club_amersfoort.name]
    access = teamwork.supporter_access(network.ondersteuner_eemland, eemland.id)
    teamwork.propose_referral(access, actor=network.ondersteuner_eemland, to_team_id=network.loket_utrecht.team.id,
                              reason=REFERRAL_REASON)
    assert sum(r.owner_team.kind == "fallback" for r in filed.values()) == 2
    run = runs.request_recompute(actor=network.coordinator)
    assert run.state == "done", run.error
    network.audit = pass_audit(network, network.loket_utrecht)
    network.future_set = criteria.publish_set(  # a version not yet in force: its correction page is reachable
        version="2099.1", valid_from=utcnow().date() + timedelta(days=60), actor=network.coordinator,
        criteria=criteria.specs_of(criteria.current_set()))
    network.filed = filed
    # An aanmelding from a gemeente without an operational loket: the coördinatiepunt decides it without
    # seeing who registered.
    registrations.register_club(club_data(gemeente="GM0355"),
                                contact_data(name=CONTACT_NAME, email="aanmelder@club.example"))
    network.registration = registrations.confirm_registration(confirmation_token("aanmelder@club.example"))
    # Doorzetten: the coördinatiepunt handed Zeist's request to Utrecht (waiting for an answer) and Bunnik's to
    # Eemland, which declined it; and a second aanmelding to Utrecht. Their pages show the hand-over state.
    zeist, bunnik = filed[network.club_zeist.name], filed[network.club_bunnik.name]
    teamwork.hand_over_from_fallback(zeist.id, actor=network.coordinator, to_team_id=network.loket_utrecht.team.id,
                                     reason="Buurgemeente")
    teamwork.hand_over_from_fallback(bunnik.id, actor=network.coordinator, to_team_id=network.loket_eemland.team.id,
                                     reason="Buurgemeente")
    teamwork.decline_referral(teamwork.supporter_access(network.ondersteuner_eemland, bunnik.id),
                              actor=network.ondersteuner_eemland, reason="Te ver weg")
    registrations.register_club(club_data(gemeente="GM0355", name="Zeister Geheimclub"),
                                contact_data(name=CONTACT_NAME, email="tweede-aanmelder@club.example"))
    network.handed_over = registrations.confirm_registration(confirmation_token("tweede-aanmelder@club.example"))
    registrations.hand_over(network.handed_over.id, actor=network.coordinator, loket_id=network.loket_utrecht.id,
                            reason="Buurgemeente")
    return network


def _values(planted) -> dict[str, list]:
    """Every value a URL parameter can take on a coördinatiepunt page (extend when a page adds one)."""
    loketten = (planted.loket_utrecht, planted.loket_eemland, planted.loket_bunnik)
    return {
        "slug": [loket.slug for loket in loketten],
        "loket_id": [loket.id for loket in loketten],
        "audit_id": [planted.audit.id],
        "request_id": [request.id for request in planted.filed.values()],
        "club_id": [club.id for club in (planted.club_utrecht, planted.club_zeist)],
        "set_id": [planted.future_set.id],
        "token": ["geen-geldige-link"],  # pages behind a mailed link: a wrong one shows the refusal page
        "registration_id": [planted.registration.id],
        "code": [gemeente.code for gemeente in (planted.utrecht, planted.zeist, planted.bunnik)],
        "key": [bond.key for bond in (planted.knvb, planted.knltb)],
        "sjabloon_id": [1],  # a team's canned reply (supporters' pages only: none is open to these roles)
        # query parameters of the overview (test_the_overview_grouped_by_a_region_set_shows_no_contents_either)
        "indeling": ["provincie", planted.vsg.slug],
        "regio": ["Regio Utrecht", "Niet ingedeeld"],
    }


def _urls_open_to(app, planted, role="coordinatiepunt") -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route whose policy lets `role` in (by role, any logged-in user, or
    public), with every combination of parameter values."""
    values = _values(planted)
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        policy = policy_of(app.view_functions[rule.endpoint])
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if not policy & {role, ANY_USER, PUBLIC}:
            continue
        options = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                options[name] = sorted(converter.items)
            elif name in values:
                options[name] = values[name]
            else:
                pytest.fail(f"{rule.endpoint}: add the values of URL parameter '{name}' to _values()")
        for combination in itertools.product(*options.values()):
            urls.append((rule.endpoint, adapter.build(rule.endpoint, dict(zip(options, combination)))))
    return urls


def _texts(response) -> list[str]:
    """Everything a response says: headers, and its body — each XLSX cell and each file inside the zip."""
    texts = [f"{name}: {value}" for name, value in response.headers.items()]
    body = response.get_data()
    if response.mimetype == XLSX:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body))
        for sheet in workbook.worksheets:
            texts.append(sheet.title)
            texts.extend(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            texts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    else:
        texts.append(body.decode("utf-8", "replace"))
    return texts


def _leaks(response) -> list[str]:
    everything = "\n".join(_texts(response)).lower()
    return [secret for secret in SECRETS if secret.lower() in everything]


def test_the_planted_strings_are_findable_where_they_belong(app, login_as, planted):
    """The check can fail: Utrecht's supporters, who work these requests, do see every planted string."""
    supporter = login_as("ondersteuner")
    found = set()
    for club in (planted.club_utrecht, planted.club_amersfoort):  # Amersfoort's is referred to Utrecht
        response = supporter.get(f"/wachtrij/{planted.filed[club.name].id}")
        assert response.status_code == 200
        found |= set(_leaks(response))
    assert found == set(SECRETS)


# Besides the coördinatiepunt (below), the roles that see aggregates only (DESIGN §7): the network user holding
# each, and pages the walk must reach.
AGGREGATE_ONLY = {
    "gemeente": ("gemeente_utrecht", ("/mijn-gebied/", "/mijn-gebied/gemeente/GM0344", "/mijn-gebied/vraag", "/")),
    "adviseur": ("adviseur", ("/mijn-gebied/", "/mijn-gebied/gemeente/GM0344", "/mijn-gebied/gemeente/GM0355",
                              "/mijn-gebied/gemeente/GM0312", "/mijn-gebied/vraag", "/")),
}


@pytest.mark.parametrize("role", ["gemeente", "adviseur"])
def test_no_page_of_a_gemeente_officer_or_adviseur_shows_request_contents(app, login_as, planted, role):
    """The same walk as the coördinatiepunt's: every GET route the role may open, every value of its URL."""
    who, reached = AGGREGATE_ONLY[role]
    browser = login_as(who)
    token = api_tokens.issue_token(getattr(planted, who).email, PASSWORD).token
    api = app.test_client()
    checked = {}
    for endpoint, url in _urls_open_to(app, planted, role):
        if endpoint.startswith("api."):
            response = api.get(url, headers={"Authorization": f"Bearer {token}"})
        else:
            response = browser.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if role in policy_of(app.view_functions[endpoint]):
            assert response.status_code in (200, 404), (url, response.status_code)  # 404: outside their area
        assert _leaks(response) == [], f"{url} shows {_leaks(response)}"
        checked[url] = response.status_code
    for url in reached:
        assert checked.get(url) == 200, (url, checked.get(url))


def test_no_coordinatiepunt_page_shows_request_contents(app, login_as, planted):
    browser = login_as("coordinator")
    token = api_tokens.issue_token(planted.coordinator.email, PASSWORD, totp_code(planted.coordinator)).token
    api = app.test_client()
    checked = {}
    for endpoint, url in _urls_open_to(app, planted):
        if endpoint.startswith("api."):
            response = api.get(url, headers={"Authorization": f"Bearer {token}"})
        else:
            response = browser.get(url)
        policy = policy_of(app.view_functions[endpoint])
        assert response.status_code < 500, (url, response.status_code)
        if "coordinatiepunt" in policy:
            assert response.status_code == 200, (url, response.status_code)
        assert _leaks(response) == [], f"{url} shows {_leaks(response)}"
        checked[url] = response.mimetype
    # The enumeration really reached the pages this is about, in every format.
    for url in ("/coordinatie/opvang", "/overzicht/", "/overzicht/loketten/utrecht", "/overzicht/vraag/categorie",
                "/overzicht/vraag/provincie", "/overzicht/loketten/eemland/metingen.csv", "/api/v1/overview",
                f"/kwaliteit/loketten/{planted.loket_utrecht.id}"):
        assert url in checked, url
    assert checked["/overzicht/loketten.xlsx"] == XLSX and checked["/overzicht/vraag/provincie.csv"] == "text/csv"
    assert len(checked) >= 30


def test_the_fallback_queue_lists_the_requests_without_their_contents(login_as, planted):
    response = login_as("coordinator").get("/coordinatie/opvang")
    html = response.get_data(as_text=True)
    for request in planted.filed.values():
        assert (request.reference in html) == (request.owner_team.kind == "fallback")
    assert _leaks(response) == []


def test_handing_over_shows_the_coordinatiepunt_no_contents(login_as, planted):
    """The whole journey of doorzetten, as the coördinatiepunt clicks it: the queue, the form, the POST and its
    redirect, the queue after; for a fallback request and for an aanmelding. And every mail it was sent."""
    browser = login_as("coordinator")
    bunnik = planted.filed[planted.club_bunnik.name]  # declined by Eemland: back in the queue
    journey = [browser.get("/coordinatie/opvang"), browser.get(f"/coordinatie/opvang/{bunnik.id}/doorzetten")]
    journey.append(browser.post(f"/coordinatie/opvang/{bunnik.id}/doorzetten",
                                data={"team": planted.loket_utrecht.team.id, "reason": "Buurgemeente"}))
    assert journey[-1].status_code == 302
    journey += [browser.get(journey[-1].headers["Location"]), browser.get(f"/coordinatie/opvang/{bunnik.id}/doorzetten")]
    registration = planted.registration.id
    journey += [browser.get("/coordinatie/aanmeldingen"),
                browser.get(f"/coordinatie/aanmeldingen/{registration}/doorzetten")]
    journey.append(browser.post(f"/coordinatie/aanmeldingen/{registration}/doorzetten",
                                data={"loket": planted.loket_eemland.id, "reason": "Buurgemeente"}))
    assert journey[-1].status_code == 302
    journey += [browser.get(journey[-1].headers["Location"]),
                browser.get(f"/coordinatie/aanmeldingen/{registration}/doorzetten")]
    for response in journey:
        assert response.status_code < 400, (response.request.path, response.status_code)
        assert _leaks(response) == [], f"{response.request.method} {response.request.path} shows {_leaks(response)}"
    assert "Doorgezet naar Sportloket Utrecht, wacht op antwoord." in journey[3].get_data(as_text=True)
    assert "Doorgezet naar Sportloket Eemland" in journey[-2].get_data(as_text=True)
    to_coordinatiepunt = [row for row in outbox_rows()
                          if row.kind == "email" and row.payload["to"] == planted.coordinator.email]
    assert {"referral_decided", "new_in_fallback", "registration_pending"} <= {row.name for row in to_coordinatiepunt}
    for mail in map(rendered, to_coordinatiepunt):
        everything = f"{mail.subject}\n{mail.text}\n{mail.html}".lower()
        assert [secret for secret in SECRETS if secret.lower() in everything] == [], mail.subject


def test_the_recompute_answer_shows_no_contents_either(app, login_as, planted):
    response = login_as("coordinator").post("/overzicht/herberekenen", follow_redirects=True)
    assert response.status_code == 200 and _leaks(response) == []
    token = api_tokens.issue_token(planted.beheerder.email, PASSWORD, totp_code(planted.beheerder)).token
    response = app.test_client().post("/api/v1/quality/recompute", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 202 and _leaks(response) == []


GROUPED_PAGES = ("/overzicht/", "/overzicht/realisatie", "/overzicht/vraag/provincie", "/overzicht/loketten.csv",
                 "/overzicht/loketten.xlsx", "/overzicht/vraag/provincie.csv", "/overzicht/vraag/provincie.xlsx")


def test_the_overview_grouped_by_a_region_set_shows_no_contents_either(login_as, planted):
    browser = login_as("coordinator")
    values = _values(planted)
    for path, indeling, regio in itertools.product(GROUPED_PAGES, values["indeling"], values["regio"]):
        response = browser.get(path, query_string={"indeling": indeling, "regio": regio})
        assert response.status_code == 200, (path, indeling, response.status_code)
        assert _leaks(response) == [], f"{path}?indeling={indeling} shows {_leaks(response)}"
