"""Quality pages over HTTP: the coördinatiepunt's audits (beheer reads along), a loket's "waar staan we" with its
self-assessment, the access matrix, CSRF, nothing stored on bad input, and no request contents or club contact
data on any of these pages."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Audit
from loket.services.quality import audits
from tests.factories import ClubContactFactory, LoketFactory, MeasurementFactory, MembershipFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.lookups import METRIC_CODES, finding as _finding
from tests.support.pages import error_of as _error_of
from tests.support.requests import file_request


# ---------------------------------------------------------------- helpers

def _measure(loket, code, value, passed, period=date(2026, 10, 1), details=None):
    MeasurementFactory(loket=loket, code=code, period=period, value=value, passed=passed, details=details or {})
    _db.session.commit()


def _audit(audit_id) -> Audit:
    _db.session.expire_all()
    return _db.session.get(Audit, audit_id)


def _count() -> int:
    return count_rows(Audit)


def _snapshot(audit_id):
    audit = _audit(audit_id)
    return (audit.state, audit.verdict, audit.notes, audit.audit_date,
            sorted((f.criterion_id, f.result, f.evidence) for f in audit.findings))


def _form(audit, *, results=None, evidence=None, verdict="", notes="", audit_date="", finalize=False):
    """The audit page's form as a browser posts it: every criterion's radio and textarea."""
    results, evidence = results or {}, evidence or {}
    data = {"verdict": verdict, "notes": notes, "audit_date": audit_date}
    for finding in audit.findings:
        code = finding.criterion.code
        data[f"result_{finding.criterion_id}"] = results.get(code, finding.result)
        data[f"evidence_{finding.criterion_id}"] = evidence.get(code, finding.evidence or "")
    data["finalize" if finalize else "save"] = "x"
    return data


@pytest.fixture()
def world(network, lead):
    """Utrecht: a final positive audit (Sep), a concept audit, a final and a concept self-assessment;
    Eemland: a final audit. Returns their ids."""
    def finished(kind, actor, loket, verdict, audit_date):
        audit = audits.start_audit(loket.id, actor=actor, kind=kind)
        findings = {_finding(audit, c).criterion_id: ("pass", f"Bewijs {c} {loket.name}") for c in ("K8", "K9")}
        audits.save_findings(audit, actor=actor, findings=findings, notes=None, verdict=verdict,
                             audit_date=audit_date, finalize=True)
        return audit.id

    ids = {
        "final": finished("audit", network.coordinator, network.loket_utrecht, "positief", date(2026, 9, 15)),
        "sa_final": finished("self_assessment", lead, network.loket_utrecht, None, date(2026, 8, 1)),
        "other": finished("audit", network.coordinator, network.loket_eemland, "negatief", date(2026, 9, 1)),
    }
    ids["concept"] = audits.start_audit(network.loket_utrecht.id, actor=network.coordinator, kind="audit").id
    ids["sa_concept"] = audits.start_audit(network.loket_utrecht.id, actor=lead, kind="self_assessment").id
    return ids


def _client(app, network, lead, who):
    client = app.test_client()
    if who != "anonymous":
        client.login(lead if who == "lead" else getattr(network, who))
    return client


# ---------------------------------------------------------------- access matrix

WHO = ("coordinator", "beheerder", "ondersteuner", "lead", "ondersteuner_eemland", "bondsspecialist",
       "club_contact", "anonymous")
NATIONAL = {"coordinator": 200, "beheerder": 200}
OWN_LOKET = {"ondersteuner": 200, "lead": 200}


def _expect(allowed: dict, who: str, *, denied=403) -> int:
    if who == "anonymous":
        return 302
    return allowed.get(who, denied)


GET_MATRIX = [
    ("/kwaliteit/audits", NATIONAL),
    ("/kwaliteit/loketten/{utrecht}", NATIONAL),
    ("/kwaliteit/audits/{final}", NATIONAL),
    ("/kwaliteit/audits/{concept}", NATIONAL),
    ("/kwaliteit/audits/{sa_final}", NATIONAL),
    ("/kwaliteit/audits/{sa_concept}", {"coordinator": 404, "beheerder": 404}),  # the loket's own draft
    ("/kwaliteit/ons-loket", {**OWN_LOKET, "ondersteuner_eemland": 200}),
    ("/kwaliteit/ons-loket/{utrecht}", {**OWN_LOKET, "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{final}", {**OWN_LOKET, "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{sa_final}", {**OWN_LOKET, "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{sa_concept}", {**OWN_LOKET, "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{concept}", {"ondersteuner": 404, "lead": 404, "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{other}", {"ondersteuner": 404, "lead": 404, "ondersteuner_eemland": 200}),
]


@pytest.mark.parametrize("path, allowed", GET_MATRIX)
def test_who_may_read_which_quality_page(app, network, lead, world, path, allowed):
    url = path.format(utrecht=network.loket_utrecht.id, **world)
    for who in WHO:
        response = _client(app, network, lead, who).get(url)
        assert response.status_code == _expect(allowed, who), (who, url)
        if who == "anonymous":
            assert "/inloggen" in response.headers["Location"]


def test_routes_declare_the_design_matrix(app):
    """DESIGN §7: audits — the coördinatiepunt writes, beheer reads, a clubondersteuner reads its own loket's."""
    from loket.access import policy_of
    expected = {
        "kwaliteit.audits_index": {"coordinatiepunt", "beheer"},
        "kwaliteit.criteria_index": {"coordinatiepunt", "beheer"},
        "kwaliteit.new_criteria_set": {"coordinatiepunt"},
        "kwaliteit.publish_criteria_set": {"coordinatiepunt"},
        "kwaliteit.correct_criteria_set": {"coordinatiepunt"},
        "kwaliteit.save_criteria_correction": {"coordinatiepunt"},
        "kwaliteit.loket_audits": {"coordinatiepunt", "beheer"},
        "kwaliteit.audit": {"coordinatiepunt", "beheer"},
        "kwaliteit.start_audit": {"coordinatiepunt"},
        "kwaliteit.save_audit": {"coordinatiepunt"},
        "kwaliteit.ons_loket": {"clubondersteuner"},
        "kwaliteit.start_self_assessment": {"clubondersteuner"},
        "kwaliteit.own_audit": {"clubondersteuner"},
        "kwaliteit.public_details": {"clubondersteuner"},
        "kwaliteit.save_public_details": {"clubondersteuner"},
        "kwaliteit.save_own_audit": {"clubondersteuner"},
    }
    declared = {endpoint: set(policy_of(view)) for endpoint, view in app.view_functions.items()
                if endpoint.startswith("kwaliteit.")}
    assert declared == expected


def test_a_coordinator_who_also_works_at_a_loket_reads_only_that_lokets_audits_as_the_loket(app, network, world):
    both = make_user("coordinatiepunt", name="Dubbele Rol")
    MembershipFactory(user=both, role="clubondersteuner", loket=network.loket_eemland)
    _db.session.commit()
    client = app.test_client()
    client.login(both)
    assert client.get(f"/kwaliteit/audits/{world['final']}").status_code == 200  # as the coördinatiepunt
    assert client.get(f"/kwaliteit/ons-loket/audits/{world['final']}").status_code == 404  # not as the loket
    assert client.get(f"/kwaliteit/ons-loket/audits/{world['other']}").status_code == 200


POST_MATRIX = [  # (path, who may get past @allow and the service to a redirect)
    ("/kwaliteit/loketten/{bunnik}/audit", {"coordinator": 302}),
    ("/kwaliteit/audits/{concept}", {"coordinator": 302}),
    ("/kwaliteit/ons-loket/{utrecht}/zelfevaluatie", {"lead": 409, "ondersteuner": 403,
                                                      "ondersteuner_eemland": 404}),
    ("/kwaliteit/ons-loket/audits/{sa_concept}", {"lead": 302, "ondersteuner": 403, "ondersteuner_eemland": 404}),
]


@pytest.mark.parametrize("path, allowed", POST_MATRIX)
def test_who_may_write(app, network, lead, world, path, allowed):
    url = path.format(utrecht=network.loket_utrecht.id, bunnik=network.loket_bunnik.id, **world)
    concept = _audit(world["concept"] if "audits/{concept}" in path else world["sa_concept"])
    data = _form(concept, notes="Geschreven")
    for who in WHO:
        if who in allowed and allowed[who] == 302:
            continue  # the one writer goes last, so every refusal is checked against an untouched database
        before = (_count(), _snapshot(world["concept"]), _snapshot(world["sa_concept"]))
        response = _client(app, network, lead, who).post(url, data=data)
        assert response.status_code == _expect(allowed, who), (who, url)
        assert (_count(), _snapshot(world["concept"]), _snapshot(world["sa_concept"])) == before, who
    writer = next((who for who, code in allowed.items() if code == 302), None)
    if writer:
        assert _client(app, network, lead, writer).post(url, data=data).status_code == 302


# ---------------------------------------------------------------- the coördinatiepunt's audit journey

def test_coordinator_starts_fills_in_and_finalizes_an_audit(app, login_as, network):
    _measure(network.loket_utrecht, "K2", 0.85, False, period=date(2026, 10, 1))
    _measure(network.loket_utrecht, "K2", 0.95, True, period=date(2026, 9, 1))
    _measure(network.loket_utrecht, "K5", None, None)
    client = login_as("coordinator")
    index = client.get("/kwaliteit/audits").get_data(as_text=True)
    assert "Sportloket Utrecht" in index and "Nog geen audit" in index
    start_form = index.split(f'action="/kwaliteit/loketten/{network.loket_utrecht.id}/audit"')[1]
    assert 'name="csrf_token"' in start_form.split("</form>")[0]
    assert 'href="/kwaliteit/audits"' in index  # the nav link

    response = client.post(f"/kwaliteit/loketten/{network.loket_utrecht.id}/audit")
    assert response.status_code == 302
    audit = _db.session.scalar(select(Audit))
    assert response.headers["Location"].endswith(f"/kwaliteit/audits/{audit.id}")
    page = client.get(f"/kwaliteit/audits/{audit.id}").get_data(as_text=True)
    form = page.split('<form method="post" action="/kwaliteit/audits/')[1].split("</form>")[0]
    assert 'name="csrf_token"' in form and 'name="finalize"' in form
    k2 = page.split('id="criterium-' + str(_finding(audit, "K2").criterion_id))[1].split("</section>")[0]
    assert "85 %" in k2 and "Voldoet niet" in k2 and "okt 2026" in k2 and "minstens 90 %" in k2
    k5 = page.split('id="criterium-' + str(_finding(audit, "K5").criterion_id))[1].split("</section>")[0]
    assert "Niet meetbaar" in k5
    k6 = page.split('id="criterium-' + str(_finding(audit, "K6").criterion_id))[1].split("</section>")[0]
    assert "Nog niet gemeten" in k6

    response = client.post(f"/kwaliteit/audits/{audit.id}", data=_form(
        audit, results={"K8": "pass", "K9": "fail", "K2": "fail"},
        evidence={"K8": "Convenant met KNVB", "K9": "Catalogus leeg"}, notes="Bezoek 20 november",
        audit_date="2026-11-20"))
    assert response.status_code == 302
    audit = _audit(audit.id)
    assert (audit.state, _finding(audit, "K9").result, _finding(audit, "K8").evidence, audit.notes,
            audit.audit_date) == ("concept", "fail", "Convenant met KNVB", "Bezoek 20 november", date(2026, 11, 20))

    response = client.post(f"/kwaliteit/audits/{audit.id}", data=_form(audit, verdict="negatief", finalize=True))
    assert response.status_code == 302
    audit = _audit(audit.id)
    assert (audit.state, audit.verdict) == ("definitief", "negatief")
    page = client.get(f"/kwaliteit/audits/{audit.id}").get_data(as_text=True)
    assert "Definitief" in page and "Catalogus leeg" in page and 'name="save"' not in page
    index = client.get("/kwaliteit/audits").get_data(as_text=True)
    assert "20 nov 2026" in index and "Negatief" in index


def test_a_final_audit_cannot_be_changed_over_http(app, login_as, network, world):
    client = login_as("coordinator")
    before = _snapshot(world["final"])
    response = client.post(f"/kwaliteit/audits/{world['final']}",
                           data=_form(_audit(world["final"]), results={"K8": "fail"}, verdict="negatief"))
    assert response.status_code == 409
    assert "Deze audit is definitief en kan niet meer worden gewijzigd." in response.get_data(as_text=True)
    assert _snapshot(world["final"]) == before


def test_a_second_concept_is_refused_with_a_message(app, login_as, network, world):
    response = login_as("coordinator").post(f"/kwaliteit/loketten/{network.loket_utrecht.id}/audit")
    assert response.status_code == 409
    assert "Voor dit loket staat al een audit in concept open." in response.get_data(as_text=True)
    assert _count() == 5


def test_the_audit_starts_from_the_lokets_self_assessment(app, login_as, network, lead):
    lead_client = login_as(lead)
    assert lead_client.post(f"/kwaliteit/ons-loket/{network.loket_utrecht.id}/zelfevaluatie").status_code == 302
    sa = _db.session.scalar(select(Audit))
    response = lead_client.post(f"/kwaliteit/ons-loket/audits/{sa.id}", data=_form(
        sa, results={"K8": "pass", "K9": "pass"}, evidence={"K8": "Convenant KNVB maart 2026"}, finalize=True))
    assert response.status_code == 302
    coordinator = login_as("coordinator")
    loket_page = coordinator.get(f"/kwaliteit/loketten/{network.loket_utrecht.id}").get_data(as_text=True)
    assert "Zelfevaluatie" in loket_page
    response = coordinator.post(f"/kwaliteit/loketten/{network.loket_utrecht.id}/audit")
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Convenant KNVB maart 2026" in page
    k8 = _finding(_db.session.scalar(select(Audit).where(Audit.kind == "audit")), "K8").criterion_id
    assert re.search(rf'<input checked id="result_{k8}-0" name="result_{k8}" type="radio" value="pass">', page)


@pytest.mark.parametrize("changes, field, message", [
    ({"verdict": "", "finalize": True}, "verdict",
     "Kies een oordeel (positief of negatief) voordat je de audit definitief maakt."),
    ({"results": {"K9": "not_assessed"}, "verdict": "positief", "finalize": True}, "result_{K9}",
     "K9: beoordeel dit criterium (voldoet of voldoet niet) voordat je de audit definitief maakt."),
    ({"results": {"K2": "zeker"}}, "result_{K2}", "K2: kies ‘voldoet’, ‘voldoet niet’ of ‘niet beoordeeld’."),
    ({"evidence": {"K8": "x" * 5001}}, "evidence_{K8}",
     "K8: de onderbouwing mag maximaal 5000 tekens lang zijn (nu 5001)."),
    ({"verdict": "prima"}, "verdict", "Kies als oordeel ‘positief’ of ‘negatief’."),
    ({"audit_date": "2999-01-01"}, "audit_date", "De datum van de audit mag niet in de toekomst liggen."),
    ({"audit_date": "gisteren"}, "audit_date", "Vul een geldige datum in, bijvoorbeeld 31-03-2026."),
])
def test_bad_input_shows_a_dutch_message_and_stores_nothing(app, login_as, network, world, changes, field, message):
    concept = _audit(world["concept"])
    ids = {code: _finding(concept, code).criterion_id for code in ("K2", "K8", "K9")}
    data = _form(concept, results={"K8": "pass", "K9": "pass", **changes.pop("results", {})},
                 evidence={"K9": "Geldig maar niet opgeslagen", **changes.pop("evidence", {})},
                 notes="Ook niet opgeslagen", **changes)
    before = _snapshot(world["concept"])
    response = login_as("coordinator").post(f"/kwaliteit/audits/{world['concept']}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    field_id = field.format(**ids)
    if field_id == "verdict":
        assert message in page
    else:
        assert _error_of(page, field_id) == message
    assert "Ook niet opgeslagen" in page  # the form keeps what was typed
    assert _snapshot(world["concept"]) == before


def test_beheer_reads_audits_but_cannot_start_or_edit(app, login_as, network, world):
    client = login_as("beheerder")
    index = client.get("/kwaliteit/audits").get_data(as_text=True)
    assert "Sportloket Utrecht" in index and "Nieuwe audit" not in index and "verder bewerken" not in index
    assert 'href="/kwaliteit/audits"' in index
    page = client.get(f"/kwaliteit/audits/{world['concept']}").get_data(as_text=True)
    assert "<form method=\"post\" action=\"/kwaliteit/audits" not in page and 'name="finalize"' not in page
    page = client.get(f"/kwaliteit/audits/{world['final']}").get_data(as_text=True)
    assert "Bewijs K8 Sportloket Utrecht" in page and "Positief" in page


# ---------------------------------------------------------------- the loket: waar staan we

def test_ondersteuner_sees_where_their_loket_stands(app, login_as, network, world):
    for code in METRIC_CODES:
        _measure(network.loket_utrecht, code, 1, code not in ("K1", "K6"), period=date(2026, 10, 1))
    _measure(network.loket_utrecht, "K6", 1, False, period=date(2026, 11, 1))
    client = login_as("ondersteuner")
    page = client.get("/kwaliteit/ons-loket").get_data(as_text=True)
    assert "Waar staan we: Sportloket Utrecht" in page and 'href="/kwaliteit/ons-loket"' in page
    assert "voldoet nog niet" in page
    k6_row = page.split("K6 Continuïteit")[1].split("</tr>")[0]
    assert "nov 2026" in k6_row and "Voldoet niet" in k6_row
    k8_row = page.split("K8 Afspraken met bonden")[1].split("</tr>")[0]
    assert "Bewijs K8 Sportloket Utrecht" in k8_row and "Voldoet" in k8_row and "15 sep 2026" in k8_row
    improvements = page.split("Wat kunnen we verbeteren")[1].split("</section>")[0]
    assert "Laat de contactgegevens en openingstijden nakijken en leg de datum vast." in improvements
    assert "Zorg voor een tweede actieve clubondersteuner." in improvements
    assert "K2" not in improvements and "K8" not in improvements
    own = page.split("Audits en zelfevaluaties", 1)[1]
    for audit_id in (world["final"], world["sa_final"], world["sa_concept"]):
        assert f'/kwaliteit/ons-loket/audits/{audit_id}"' in own
    assert f'/kwaliteit/ons-loket/audits/{world["concept"]}"' not in own
    assert "Zelfevaluatie starten" not in page and "verder bewerken" not in page  # not the team lead


def test_a_loket_that_voldoet_is_told_so(app, login_as, network, world):
    for code in METRIC_CODES:
        _measure(network.loket_utrecht, code, 1, True)
    page = login_as("ondersteuner").get("/kwaliteit/ons-loket").get_data(as_text=True)
    assert "Jullie loket voldoet aan de landelijke kwaliteitscriteria" in page
    assert "Wat kunnen we verbeteren" not in page


def test_team_lead_starts_saves_and_finalizes_a_self_assessment(app, login_as, network, lead):
    client = login_as(lead)
    page = client.get("/kwaliteit/ons-loket").get_data(as_text=True)
    assert "Zelfevaluatie starten" in page
    start_form = page.split(f'action="/kwaliteit/ons-loket/{network.loket_utrecht.id}/zelfevaluatie"')[1]
    assert 'name="csrf_token"' in start_form.split("</form>")[0]
    response = client.post(f"/kwaliteit/ons-loket/{network.loket_utrecht.id}/zelfevaluatie")
    assert response.status_code == 302
    sa = _db.session.scalar(select(Audit))
    assert (sa.kind, sa.author_id) == ("self_assessment", lead.id)
    assert response.headers["Location"].endswith(f"/kwaliteit/ons-loket/audits/{sa.id}")
    page = client.get(f"/kwaliteit/ons-loket/audits/{sa.id}").get_data(as_text=True)
    assert 'name="finalize"' in page
    assert "Zelfevaluatie verder bewerken" in client.get("/kwaliteit/ons-loket").get_data(as_text=True)

    response = client.post(f"/kwaliteit/ons-loket/audits/{sa.id}", data=_form(sa, finalize=True))
    assert response.status_code == 400  # K8 and K9 not yet judged
    assert "zelfevaluatie definitief maakt" in response.get_data(as_text=True)
    assert _audit(sa.id).state == "concept"
    response = client.post(f"/kwaliteit/ons-loket/audits/{sa.id}", data=_form(
        sa, results={"K8": "fail", "K9": "pass"}, evidence={"K8": "Nog geen afspraken"}, finalize=True))
    assert response.status_code == 302
    sa = _audit(sa.id)
    assert (sa.state, _finding(sa, "K8").result, sa.verdict) == ("definitief", "fail", None)
    page = client.get(f"/kwaliteit/ons-loket/audits/{sa.id}").get_data(as_text=True)
    assert "Nog geen afspraken" in page and 'name="finalize"' not in page


def test_a_colleague_who_is_not_team_lead_reads_but_cannot_write_the_self_assessment(app, login_as, network, world):
    client = login_as("ondersteuner")
    page = client.get(f"/kwaliteit/ons-loket/audits/{world['sa_concept']}").get_data(as_text=True)
    assert 'name="save"' not in page and "Concept" in page
    response = client.post(f"/kwaliteit/ons-loket/{network.loket_utrecht.id}/zelfevaluatie")
    assert response.status_code == 403
    assert audits.SELF_FORBIDDEN in response.get_data(as_text=True)
    before = _snapshot(world["sa_concept"])
    response = client.post(f"/kwaliteit/ons-loket/audits/{world['sa_concept']}",
                           data=_form(_audit(world["sa_concept"]), results={"K8": "fail"}))
    assert response.status_code == 403
    assert _snapshot(world["sa_concept"]) == before and _count() == 5


def test_a_member_of_two_lokets_switches_between_them(app, network, world):
    both = make_user("clubondersteuner", network.loket_utrecht, name="Twee Petten")
    MembershipFactory(user=both, role="clubondersteuner", loket=network.loket_eemland)
    _db.session.commit()
    client = app.test_client()
    client.login(both)
    page = client.get(f"/kwaliteit/ons-loket/{network.loket_eemland.id}").get_data(as_text=True)
    assert "Waar staan we: Sportloket Eemland" in page and 'aria-current="page">Sportloket Eemland' in page
    assert client.get(f"/kwaliteit/ons-loket/audits/{world['other']}").status_code == 200
    assert client.get(f"/kwaliteit/ons-loket/{network.loket_bunnik.id}").status_code == 404


# ---------------------------------------------------------------- CSRF

@pytest.mark.parametrize("who, path, finalize", [
    ("coordinator", "/kwaliteit/loketten/{bunnik}/audit", False),
    ("coordinator", "/kwaliteit/audits/{concept}", False),
    ("coordinator", "/kwaliteit/audits/{concept}", True),
    ("lead", "/kwaliteit/ons-loket/{eemland_free}/zelfevaluatie", False),
    ("lead", "/kwaliteit/ons-loket/audits/{sa_concept}", False),
    ("lead", "/kwaliteit/ons-loket/audits/{sa_concept}", True),
])
def test_every_form_is_refused_without_a_csrf_token(app, network, lead, world, who, path, finalize):
    # The lead's loket has an open concept; to prove a start is refused for lack of CSRF alone, the lead
    # gets a second loket without one.
    MembershipFactory(user=lead, role="clubondersteuner", loket=network.loket_eemland, is_team_lead=True)
    _db.session.commit()
    url = path.format(bunnik=network.loket_bunnik.id, eemland_free=network.loket_eemland.id, **world)
    concept = _audit(world["concept"] if "{concept}" in path else world["sa_concept"])
    data = _form(concept, results={"K8": "pass", "K9": "pass"}, verdict="positief", notes="Zonder token",
                 finalize=finalize)
    before = (_count(), _snapshot(world["concept"]), _snapshot(world["sa_concept"]))
    client = _client(app, network, lead, who)
    response = client.post(url, data=data, csrf=False)
    assert response.status_code == 400
    assert (_count(), _snapshot(world["concept"]), _snapshot(world["sa_concept"])) == before
    assert client.post(url, data=data).status_code == 302  # the same post with a token goes through


# ---------------------------------------------------------------- data minimisation

SECRETS = ("GEHEIM-TITEL-7Q4", "GEHEIM-OMSCHRIJVING-9X2", "Geheime Contactpersoon Zxqv", "zxqv@geheim.example",
           "0612-GEHEIM")


def test_no_request_contents_or_club_contact_data_on_any_quality_page(app, network, lead, world):
    ClubContactFactory(club=network.club_utrecht, name=SECRETS[2], email=SECRETS[3], phone=SECRETS[4])
    _db.session.commit()
    file_request(network, category="overig", title=SECRETS[0], description=SECRETS[1])
    # Even if a metric's drill-down details ever held such data, the pages do not show details.
    _measure(network.loket_utrecht, "K7", 0.05, False, details={"title": SECRETS[0], "contact": SECRETS[2]})
    ids = {"utrecht": network.loket_utrecht.id, **world}
    pages = {
        "coordinator": ["/kwaliteit/audits", "/kwaliteit/loketten/{utrecht}", "/kwaliteit/audits/{final}",
                        "/kwaliteit/audits/{concept}", "/kwaliteit/audits/{sa_final}"],
        "beheerder": ["/kwaliteit/audits", "/kwaliteit/loketten/{utrecht}", "/kwaliteit/audits/{concept}"],
        "ondersteuner": ["/kwaliteit/ons-loket", "/kwaliteit/ons-loket/audits/{final}",
                         "/kwaliteit/ons-loket/audits/{sa_concept}"],
        "lead": ["/kwaliteit/ons-loket", "/kwaliteit/ons-loket/audits/{sa_concept}"],
    }
    checked = 0
    for who, paths in pages.items():
        client = _client(app, network, lead, who)
        for path in paths:
            response = client.get(path.format(**ids))
            assert response.status_code == 200, path
            page = response.get_data(as_text=True)
            for secret in SECRETS:
                assert secret not in page, (who, path, secret)
            checked += 1
    assert checked == 13
    # The planted data exists where it belongs: the queue shows the request to the loket.
    queue = _client(app, network, lead, "ondersteuner").get("/wachtrij/").get_data(as_text=True)
    assert SECRETS[0] in queue


# ---------------------------------------------------------------- query counts

def _audited_loket(network, loket=None):
    loket = loket or LoketFactory()
    audit = audits.start_audit(loket.id, actor=network.coordinator, kind="audit")
    findings = {_finding(audit, c).criterion_id: ("pass", "ok") for c in ("K8", "K9")}
    audits.save_findings(audit, actor=network.coordinator, findings=findings, notes=None, verdict="positief",
                         finalize=True)
    audits.start_audit(loket.id, actor=network.coordinator, kind="audit")
    for code in METRIC_CODES:
        _measure(loket, code, 1, True)
    return loket


@pytest.mark.parametrize("path, who", [("/kwaliteit/audits", "coordinator"),
                                       ("/kwaliteit/loketten/{loket}", "coordinator"),
                                       ("/kwaliteit/ons-loket", "ondersteuner")])
def test_quality_pages_use_a_constant_number_of_queries(app, login_as, network, path, who):
    client = login_as(who)
    loket = _audited_loket(network, network.loket_utrecht)
    url = path.format(loket=loket.id)
    with count_queries(app) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        _audited_loket(network)
    for _ in range(3):  # more audits of the same loket, by several authors
        audits.save_findings(audits.open_concept(loket.id, "audit"), actor=network.coordinator, notes=None,
                             verdict="negatief",
                             findings={f.criterion_id: ("pass", "ok") for f in
                                       audits.open_concept(loket.id, "audit").findings
                                       if f.criterion.kind == "assessment"}, finalize=True)
        other = make_user("coordinatiepunt")
        _db.session.commit()
        audits.start_audit(loket.id, actor=other, kind="audit")
    with count_queries(app) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(many)
