"""The afspraken pages: the coördinatiepunt's list of every bond with the state of its agreements, one bond's
page (what routes now, a pending proposal beside it, the history), the lead's proposal form, confirming and
rejecting; who may see and do what; bad input; the mails; a constant number of queries."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import BondAgreement, NetworkChange, OutboxMessage
from loket.services.network import agreements
from tests.factories import BondFactory, SportFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.mails import outbox_rows, rendered
from tests.support.teams import knvb_lead

SAFE, MONEY, TECH = "sociaal-veilige-sport", "financien-subsidies-fondsen", "sporttechnisch-competitie"
URL = "/afspraken/"


def _rows(page):
    return re.findall(r'<tr id="bond-([a-z0-9-]+)">', page)


def _radios(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", page):
        if "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found[name] = re.search(r'value="([^"]*)"', tag).group(1)
    return found


def _stored():
    return count_rows(BondAgreement), count_rows(NetworkChange, NetworkChange.field.like("agreement%"))


# ---------------------------------------------------------------- the whole journey

def test_the_lead_proposes_on_the_page_and_the_coordinatiepunt_confirms(app, login_as, network):
    lead = knvb_lead(network)
    client = login_as(lead)
    form = client.get("/afspraken/knvb/voorstel")
    assert form.status_code == 200
    choices = _radios(form.get_data(as_text=True))
    assert choices[f"categorie-{SAFE}"] == "loket" and choices[f"categorie-{TECH}"] == "bond"  # what routes now
    choices.update({f"categorie-{SAFE}": "bond", f"categorie-{MONEY}": "samen"})
    sent = client.post("/afspraken/knvb/voorstel", data=choices)
    assert sent.status_code == 302 and sent.headers["Location"] == "/afspraken/knvb"
    state = agreements.agreements_of(network.knvb)
    assert state.state == "proposed" and state.proposed[SAFE] == "bond" and state.proposed[MONEY] == "samen"
    [asked] = outbox_rows("agreement_proposed")
    assert asked.payload["to"] == network.coordinator.email
    assert "/afspraken/knvb" in rendered(asked).text and "Bart Bondslead" in rendered(asked).text

    # The coördinatiepunt sees the proposal beside what routes now, and what changes.
    coordinator = login_as("coordinator")
    page = coordinator.get("/afspraken/knvb").get_data(as_text=True)
    assert "2 categorieën veranderen" in page and page.count("wijzigt") == 2
    assert "Afspraken bevestigen" in page and "Bart Bondslead" in page
    listed = coordinator.get(URL).get_data(as_text=True)
    assert _rows(listed)[0] == "knvb" and "Voorstel wacht op bevestiging" in listed
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)
    confirmed = coordinator.post("/afspraken/knvb/bevestigen", data={"stamp": stamp})
    assert confirmed.status_code == 302
    assert agreements.agreements_of(network.knvb).state == "confirmed"
    [told] = outbox_rows("agreement_confirmed")
    assert told.payload["to"] == lead.email  # the lead, not the plain member
    after = coordinator.get("/afspraken/knvb").get_data(as_text=True)
    history = after.split("Geschiedenis")[-1]
    assert "Afspraak (bevestigd)" in history and "Sociaal veilige sport: de bond" in history
    assert "Afspraak voorgesteld" in history and "Carla Coördinatie" in history
    assert "Afspraken bevestigen" not in after


def test_the_coordinatiepunt_rejects_with_a_reason_and_the_lead_reads_it(login_as, network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    coordinator = login_as("coordinator")
    refused = coordinator.post("/afspraken/knvb/afwijzen", data={"reason": "  "})
    assert refused.status_code == 400 and "Schrijf op waarom je het voorstel afwijst" in refused.get_data(as_text=True)
    assert agreements.agreements_of(network.knvb).state == "proposed"
    done = coordinator.post("/afspraken/knvb/afwijzen", data={"reason": "Eerst overleggen met de loketten."})
    assert done.status_code == 302
    state = agreements.agreements_of(network.knvb)
    assert state.state == "none" and state.proposed is None
    [mail] = outbox_rows("agreement_rejected")
    assert mail.payload["to"] == lead.email and "Eerst overleggen met de loketten." in rendered(mail).text
    history = login_as(lead).get("/afspraken/knvb").get_data(as_text=True).split("Geschiedenis")[-1]
    assert "Voorstel afgewezen" in history and "Eerst overleggen met de loketten." in history


def test_a_decision_on_a_proposal_replaced_meanwhile_is_a_conflict(login_as, network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    coordinator = login_as("coordinator")
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"',
                      coordinator.get("/afspraken/knvb").get_data(as_text=True)).group(1)
    agreements.propose("knvb", [(SAFE, "samen")], actor=lead)  # the lead changes it while the page is open
    for action, data in (("bevestigen", {"stamp": stamp}), ("afwijzen", {"stamp": stamp, "reason": "Nee."})):
        response = coordinator.post(f"/afspraken/knvb/{action}", data=data)
        assert response.status_code == 409, action
        assert "intussen gewijzigd" in response.get_data(as_text=True)
    assert agreements.agreements_of(network.knvb).proposed == {SAFE: "samen"}


def test_confirming_without_a_proposal_is_a_dutch_409(login_as, network):
    response = login_as("coordinator").post("/afspraken/knvb/bevestigen", data={})
    assert response.status_code == 409 and "geen voorstel" in response.get_data(as_text=True)


# ---------------------------------------------------------------- who may see and do what

@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("beheerder", 200), ("bondsspecialist", 200),  # a KNVB member, not lead
    ("ondersteuner", 403), ("club_contact", 403), ("gemeente_utrecht", 403), ("adviseur", 403),
    ("initiatiefmedewerker", 403),
])
def test_who_opens_a_bonds_page(login_as, network, who, status):
    assert login_as(who).get("/afspraken/knvb").status_code == status


def test_another_bonds_specialist_is_refused_and_an_unknown_bond_is_404(login_as, network):
    other = make_user("bondsspecialist", network.knltb, team_lead=True)
    _db.session.commit()
    client = login_as(other)
    assert client.get("/afspraken/knvb").status_code == 403
    assert client.get("/afspraken/knltb").status_code == 200  # their own
    assert client.get("/afspraken/knvb/voorstel").status_code == 403
    assert login_as("coordinator").get("/afspraken/bestaat-niet").status_code == 404
    assert login_as("coordinator").get("/afspraken/a%00b").status_code == 404


@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("beheerder", 200), ("bondsspecialist", 403), ("ondersteuner", 403),
    ("club_contact", 403), ("gemeente_utrecht", 403), ("adviseur", 403),
])
def test_who_opens_the_list(login_as, network, who, status):
    assert login_as(who).get(URL).status_code == status


def test_beheer_reads_along_without_the_buttons(login_as, network):
    agreements.propose("knvb", [(SAFE, "bond")], actor=knvb_lead(network))
    page = login_as("beheerder").get("/afspraken/knvb").get_data(as_text=True)
    assert "Voorstel wacht op bevestiging" in page
    assert "Afspraken bevestigen" not in page and "Voorstel afwijzen" not in page
    assert "Afspraken voorstellen" not in page


@pytest.mark.parametrize("who", ["bondsspecialist", "ondersteuner", "club_contact", "coordinator", "beheerder",
                                 "gemeente_utrecht", "adviseur"])
def test_only_the_lead_proposes(login_as, network, who):
    client = login_as(who)
    assert client.get("/afspraken/knvb/voorstel").status_code == 403
    assert client.post("/afspraken/knvb/voorstel", data={f"categorie-{SAFE}": "bond"}).status_code == 403
    assert _stored() == (0, 0)


def test_a_member_sees_the_agreements_but_not_the_proposal_button(login_as, network):
    page = login_as("bondsspecialist").get("/afspraken/knvb").get_data(as_text=True)
    assert "Wat nu geldt" in page and "Afspraken voorstellen" not in page
    assert login_as(knvb_lead(network)).get("/afspraken/knvb").get_data(as_text=True).count(
        'href="/afspraken/knvb/voorstel"') == 1


@pytest.mark.parametrize("who", ["bondsspecialist", "ondersteuner", "club_contact", "beheerder",
                                 "gemeente_utrecht", "adviseur"])
def test_only_the_coordinatiepunt_confirms_or_rejects(login_as, network, who):
    agreements.propose("knvb", [(SAFE, "bond")], actor=knvb_lead(network))
    client = login_as(who)
    assert client.post("/afspraken/knvb/bevestigen", data={}).status_code == 403
    assert client.post("/afspraken/knvb/afwijzen", data={"reason": "Nee"}).status_code == 403
    assert agreements.agreements_of(network.knvb).state == "proposed"


def test_the_lead_confirms_nothing(login_as, network):
    lead = knvb_lead(network)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    assert login_as(lead).post("/afspraken/knvb/bevestigen", data={}).status_code == 403


def test_every_form_needs_its_csrf_token(login_as, network):
    lead = knvb_lead(network)
    assert login_as(lead).post("/afspraken/knvb/voorstel", data={f"categorie-{SAFE}": "bond"},
                               csrf=False).status_code == 400
    assert _stored() == (0, 0)
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    coordinator = login_as("coordinator")
    assert coordinator.post("/afspraken/knvb/bevestigen", data={}, csrf=False).status_code == 400
    assert coordinator.post("/afspraken/knvb/afwijzen", data={"reason": "Nee"}, csrf=False).status_code == 400
    assert agreements.agreements_of(network.knvb).state == "proposed"


def test_the_own_bond_link_leads_a_bondsspecialist_to_their_bond(login_as, network):
    response = login_as("bondsspecialist").get("/afspraken/mijn-bond")
    assert response.status_code == 302 and response.headers["Location"] == "/afspraken/knvb"
    assert login_as("ondersteuner").get("/afspraken/mijn-bond").status_code == 403


def test_the_menu_links_the_pages(login_as, network):
    assert 'href="/afspraken/"' in login_as("coordinator").get("/").get_data(as_text=True)
    assert 'href="/afspraken/mijn-bond"' in login_as("bondsspecialist").get("/").get_data(as_text=True)
    assert "/afspraken" not in login_as("ondersteuner").get("/").get_data(as_text=True)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("data, message", [
    ({"categorie-bestaat-niet": "bond"}, "De categorie ‘bestaat-niet’ bestaat niet"),
    ({f"categorie-{SAFE}": "iedereen"}, "Kies bij ‘Sociaal veilige sport’ wie de vraag behandelt"),
    ({f"categorie-{SAFE}": "bond\x00"}, "Kies bij ‘Sociaal veilige sport’ wie de vraag behandelt"),
    ({}, "Het voorstel is leeg"),
])
def test_bad_proposals_are_refused_in_dutch_and_store_nothing(login_as, network, data, message):
    response = login_as(knvb_lead(network)).post("/afspraken/knvb/voorstel", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _stored() == (0, 0) and count_rows(OutboxMessage) == 0


def test_a_generic_category_cannot_go_to_a_bond_not_aangesloten(login_as, network):
    lead = make_user("bondsspecialist", network.knltb, team_lead=True)
    _db.session.commit()
    client = login_as(lead)
    page = client.get("/afspraken/knltb/voorstel").get_data(as_text=True)
    assert "nog niet aangesloten" in page
    response = client.post("/afspraken/knltb/voorstel", data={f"categorie-{SAFE}": "samen", f"categorie-{TECH}": "bond"})
    assert response.status_code == 400
    assert "KNLTB is nog niet aangesloten bij het netwerk" in response.get_data(as_text=True)
    assert _stored() == (0, 0)


def test_an_unknown_bond_is_404_for_every_form(login_as, network):
    assert login_as(knvb_lead(network)).post("/afspraken/onbekend/voorstel", data={}).status_code == 404
    coordinator = login_as("coordinator")
    assert coordinator.post("/afspraken/onbekend/bevestigen", data={}).status_code == 404
    assert coordinator.post("/afspraken/onbekend/afwijzen", data={"reason": "x"}).status_code == 404


@pytest.mark.parametrize("reason, message", [
    ("x" * 2001, "maximaal 2000 tekens"),
    ("nee\x00", "stuurtekens"),
])
def test_a_bad_reason_is_refused(login_as, network, reason, message):
    agreements.propose("knvb", [(SAFE, "bond")], actor=knvb_lead(network))
    response = login_as("coordinator").post("/afspraken/knvb/afwijzen", data={"reason": reason})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert agreements.agreements_of(network.knvb).state == "proposed"


# ---------------------------------------------------------------- the list

def test_the_list_searches_filters_and_puts_pending_proposals_first(app, login_as, network, monkeypatch):
    fitness = SportFactory(name="fitness")
    BondFactory(key="aa-branche", name="AA Fitnessbranche", kind="brancheorganisatie", sports=[fitness],
                aangesloten=True)
    _db.session.commit()
    client = login_as("coordinator")
    assert _rows(client.get(URL).get_data(as_text=True)) == ["aa-branche", "knltb", "knvb"]
    agreements.propose("knvb", [(SAFE, "bond")], actor=knvb_lead(network))
    page = client.get(URL).get_data(as_text=True)
    assert _rows(page) == ["knvb", "aa-branche", "knltb"]
    assert re.search(r"Voorstel wacht op bevestiging</a>: <strong>1</strong>", page)
    assert _rows(client.get(URL + "?q=tennis").get_data(as_text=True)) == ["knltb"]
    assert _rows(client.get(URL + "?soort=brancheorganisatie").get_data(as_text=True)) == ["aa-branche"]
    assert _rows(client.get(URL + "?stand=none").get_data(as_text=True)) == ["aa-branche", "knltb"]
    assert _rows(client.get(URL + "?soort=kapot&stand=kapot").get_data(as_text=True)) == ["knvb", "aa-branche", "knltb"]
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    second = client.get(URL + "?pagina=2").get_data(as_text=True)
    assert _rows(second) == ["knltb"] and "Pagina 2 van 2" in second
    assert client.get(URL + "?pagina=9").headers["Location"] == URL + "?pagina=2"


@pytest.mark.parametrize("q", ["a\x00b", "x" * 101])
def test_a_bad_search_is_a_dutch_400(login_as, network, q):
    response = login_as("coordinator").get(URL, query_string={"q": q})
    assert response.status_code == 400 and 'id="f-q-error"' in response.get_data(as_text=True)


def test_the_list_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("coordinator")
    with count_queries(app) as few:
        assert client.get(URL).status_code == 200
    for i in range(12):
        bond = BondFactory(key=f"extra{i:02d}", name=f"Extra bond {i:02d}", aangesloten=True,
                           sports=[SportFactory(name=f"extra sport {i:02d}")])
        lead = make_user("bondsspecialist", bond, team_lead=True)
        _db.session.commit()
        agreements.propose(bond.key, [(SAFE, "bond")], actor=lead)
        if i % 2:
            agreements.confirm(bond.key, actor=network.coordinator)
    with count_queries(app) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_a_bonds_page_uses_a_constant_number_of_queries(app, login_as, network):
    lead = knvb_lead(network)
    client = login_as("coordinator")
    agreements.propose("knvb", [(SAFE, "bond")], actor=lead)
    with count_queries(app) as few:
        assert client.get("/afspraken/knvb").status_code == 200
    for handler in ("samen", "loket", "bond"):
        agreements.confirm("knvb", actor=network.coordinator)
        agreements.propose("knvb", [(SAFE, handler), (MONEY, handler)], actor=lead)
    with count_queries(app) as many:
        assert client.get("/afspraken/knvb").status_code == 200
    assert len(many) == len(few), "\n".join(many)


# ---------------------------------------------------------------- the public pages: per sport, where a question goes

def _confirm_knvb(network):
    agreements.propose("knvb", [(SAFE, "bond"), (MONEY, "samen")], actor=knvb_lead(network))
    agreements.confirm("knvb", actor=network.coordinator)


def _section(page: str) -> str:
    return page.split('<section aria-labelledby="questions-title"', 1)[1].split("</section>", 1)[0]


def test_the_loket_page_shows_per_sport_where_a_question_goes(client, network):
    assert "Waar gaat je vraag heen?" not in client.get("/loketten/utrecht").get_data(as_text=True)  # no agreements
    _confirm_knvb(network)
    response = client.get("/loketten/utrecht")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    section = _section(response.get_data(as_text=True))
    assert "<h3>voetbal</h3>" in section and "tennis" not in section  # KNLTB: no agreements, not aangesloten
    assert re.search(r"<dt>Naar KNVB</dt>\s*<dd>Sociaal veilige sport, Sporttechnisch &amp; competitie</dd>", section)
    assert re.search(r"<dt>Naar het loket, samen met KNVB</dt>\s*<dd>Financiën, subsidies &amp; fondsen</dd>", section)
    assert re.search(r"<dt>Naar het loket</dt>\s*<dd>Alle andere vragen</dd>", section)
    assert "Voor de andere sporten gaan vragen over sporttechnisch &amp; competitie naar de" in section


def test_without_an_operational_loket_the_section_names_the_coordinatiepunt(client, network):
    _confirm_knvb(network)
    section = _section(client.get("/loketten/bunnik").get_data(as_text=True))  # in oprichting
    assert "Naar KNVB (tot er een loket is; daarna samen met het loket)" in section
    assert "<dt>Naar het landelijk coördinatiepunt</dt>" in section
    gemeente = _section(client.get(f"/gemeenten/{network.zeist.code}").get_data(as_text=True))  # no loket
    assert "<dt>Naar het landelijk coördinatiepunt</dt>" in gemeente


def test_vind_je_loket_leads_to_a_gemeente_page_with_the_section(client, network):
    _confirm_knvb(network)
    found = client.get("/vind-je-loket?q=Utrecht")
    assert found.status_code == 302
    page = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "<dt>Naar KNVB</dt>" in _section(page)


def test_a_public_page_with_the_section_uses_a_constant_number_of_queries(app, client, network):
    _confirm_knvb(network)
    with count_queries(app) as few:
        assert client.get("/loketten/utrecht").status_code == 200
    for i in range(6):
        bond = BondFactory(key=f"extra{i:02d}", name=f"Extra bond {i:02d}", aangesloten=True,
                           sports=[SportFactory(name=f"extra sport {i:02d}")])
        lead = make_user("bondsspecialist", bond, team_lead=True)
        _db.session.commit()
        agreements.propose(bond.key, [(SAFE, "bond")], actor=lead)
        agreements.confirm(bond.key, actor=network.coordinator)
    with count_queries(app) as many:
        page = client.get("/loketten/utrecht").get_data(as_text=True)
    assert "<h3>extra sport 05</h3>" in page
    assert len(many) == len(few), "\n".join(many)


# ---------------------------------------------------------------- audits: the agreements as evidence for K8

def _k8(page: str) -> str:
    return page.split('id="k8-afspraken"', 1)[1].split("</section>", 1)[0]


def test_an_audit_shows_the_agreements_for_the_lokets_clubs_beside_k8(login_as, network, lead):
    from loket.services.quality import audits
    from tests.support.quality import pass_audit

    concept = audits.start_audit(network.loket_utrecht.id, actor=network.coordinator, kind="audit")
    coordinator = login_as("coordinator")
    empty = _k8(coordinator.get(f"/kwaliteit/audits/{concept.id}").get_data(as_text=True))
    assert "nog geen bevestigde afspraken" in empty and "Afspraken met bonden" not in empty

    _confirm_knvb(network)
    page = coordinator.get(f"/kwaliteit/audits/{concept.id}").get_data(as_text=True)
    k8_panel = page.split("K8 Afspraken met bonden", 1)[1].split("</section>", 1)[0]
    assert 'id="k8-afspraken"' in k8_panel  # beside K8, inside its panel
    evidence = _k8(page)
    assert "<strong>KNVB</strong> (voetbal)" in evidence
    assert re.search(r"<dt>Behandelt de bond</dt><dd>Sociaal veilige sport</dd>", evidence)
    assert re.search(r"<dt>Samen met het loket</dt><dd>Financiën, subsidies &amp; fondsen</dd>", evidence)
    assert "door Carla Coördinatie" in evidence

    final = pass_audit(network, network.loket_utrecht)
    for client in (coordinator, login_as("beheerder")):
        shown = client.get(f"/kwaliteit/audits/{final.id}")
        assert shown.status_code == 200
        assert 'href="#k8-afspraken"' in shown.get_data(as_text=True)
        assert "<strong>KNVB</strong>" in _k8(shown.get_data(as_text=True))
    own = login_as("ondersteuner").get(f"/kwaliteit/ons-loket/audits/{final.id}").get_data(as_text=True)
    assert "<strong>KNVB</strong>" in _k8(own)


def test_another_lokets_audit_shows_only_its_own_clubs_bonden(login_as, network):
    from loket.services.quality import audits

    _confirm_knvb(network)
    bunnik = audits.start_audit(network.loket_bunnik.id, actor=network.coordinator, kind="audit")  # tennis only
    evidence = _k8(login_as("coordinator").get(f"/kwaliteit/audits/{bunnik.id}").get_data(as_text=True))
    assert "KNVB" not in evidence and "nog geen bevestigde afspraken" in evidence
