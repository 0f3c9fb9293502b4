"""The afspraken pages in the browser, at 1280 and 360 px: the coördinatiepunt's list and a bond's page, the page
as a bond's member sees it; and the journey of a new KNVB lead (invited by beheer, as the demo has no bond lead)
proposing the agreements, the coördinatiepunt refusing an empty rejection and then confirming, after which the
public loket page shows per sport where a question goes.

The live server's data is shared by every browser test: each width adds its own KNVB lead, and the proposal is
the form as it opens (what routes now), so confirming it changes no routing for the other tests."""
import re

import pytest

from tests.support.browser import check_page, enrol_when_asked, mailed_path

PASSWORD = "afspraken maken met de loketten"
LEADS = {"desktop": "bondslead.desktop@voorbeeld.example", "phone": "bondslead.telefoon@voorbeeld.example"}

PAGES = [
    ("afspraken-lijst", "coordinatie", "/afspraken/"),
    ("afspraken-lijst-zoeken", "beheer", "/afspraken/?q=kn&soort=bond&stand=none"),
    ("afspraken-bond-coordinatie", "coordinatie", "/afspraken/knvb"),
    ("afspraken-bond-lid", "bond", "/afspraken/knvb"),
]


@pytest.mark.parametrize("name, who, path", PAGES, ids=[p[0] for p in PAGES])
def test_afspraken_page_works_at_both_widths(open_page, width, name, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def test_the_member_finds_the_agreements_in_the_menu(open_page):
    page = open_page("desktop", as_user="bond")
    page.goto("/")
    page.get_by_role("link", name="Afspraken", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/afspraken/knvb")
    assert page.get_by_role("heading", name=re.compile("^Afspraken van ")).is_visible()


def _new_knvb_lead(open_page, width):
    """Beheer invites a KNVB lead; the invitee sets a password and is logged in (returns their page)."""
    email = LEADS[width]
    beheer = open_page(width, as_user="beheer")
    beheer.goto("/team/bond/knvb")
    beheer.get_by_label("E-mailadres").fill(email)
    beheer.get_by_label("Als coördinator van het team").check()
    beheer.get_by_role("button", name="Uitnodiging versturen").click()
    beheer.wait_for_load_state()
    assert beheer.get_by_text(f"De uitnodiging is verstuurd naar {email}.").is_visible()
    lead = open_page(width)
    lead.goto(mailed_path(open_page, "team_invitation", email))
    lead.get_by_label("Je naam").fill("Bente Bondscoördinator")
    lead.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    lead.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    lead.get_by_role("button", name="Account maken en lid worden").click()
    lead.wait_for_load_state()
    enrol_when_asked(lead)  # a team lead needs two-factor authentication before any other page
    return lead


def test_a_lead_proposes_and_the_coordinatiepunt_decides(open_page, width):
    lead = _new_knvb_lead(open_page, width)
    lead.goto("/afspraken/knvb")
    lead.get_by_role("link", name=re.compile("^(Afspraken voorstellen|Voorstel wijzigen)$")).click()
    lead.wait_for_load_state()
    assert lead.url.endswith("/afspraken/knvb/voorstel")
    group = lead.get_by_role("group", name="Sociaal veilige sport")
    assert group.get_by_label("Het loket", exact=True).is_checked()  # what routes now
    check_page(lead, "afspraken-voorstel", width)
    lead.get_by_role("button", name="Voorstel versturen").click()
    lead.wait_for_load_state()
    assert lead.url.endswith("/afspraken/knvb")
    assert lead.get_by_text("Je voorstel is verstuurd").is_visible()
    check_page(lead, "afspraken-voorstel-verstuurd", width)

    coordinatie = open_page(width, as_user="coordinatie")
    coordinatie.goto("/afspraken/")
    assert coordinatie.locator("tbody tr").first.get_attribute("id") == "bond-knvb"  # pending proposals first
    coordinatie.locator("#bond-knvb").get_by_role("link").click()
    coordinatie.wait_for_load_state()
    assert coordinatie.get_by_role("heading", name="Besluiten over het voorstel").is_visible()
    coordinatie.get_by_role("button", name="Voorstel afwijzen").click()  # without a reason: said beside the field
    coordinatie.wait_for_load_state()
    assert coordinatie.get_by_text("Schrijf op waarom je het voorstel afwijst").first.is_visible()
    check_page(coordinatie, "afspraken-afwijzen-fout", width)
    coordinatie.get_by_role("button", name="Afspraken bevestigen").click()
    coordinatie.wait_for_load_state()
    assert coordinatie.get_by_text("De afspraken zijn bevestigd").is_visible()
    history = coordinatie.locator("table", has_text="Afspraak voorgesteld").inner_text()
    assert "Bente Bondscoördinator" in history
    check_page(coordinatie, "afspraken-bevestigd", width)

    visitor = open_page(width)
    visitor.goto("/loketten/utrecht")
    section = visitor.locator("section", has=visitor.get_by_role("heading", name="Waar gaat je vraag heen?"))
    assert section.get_by_role("heading", name=re.compile(r"(^|, )voetbal(,|$)")).is_visible()
    assert "Sporttechnisch & competitie" in section.inner_text() and "Alle andere vragen" in section.inner_text()
    check_page(visitor, "loket-waar-gaat-je-vraag-heen", width)


def test_an_audit_shows_the_agreements_beside_k8(open_page, width):
    """The coördinatiepunt opens (or starts, the first time) a concept audit of Sportloket Utrecht: K8's panel
    holds the agreements of the bonden of its clubs' sports."""
    page = open_page(width, as_user="coordinatie")
    page.goto("/kwaliteit/audits")
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name="Sportloket Utrecht"))
    concept = row.get_by_role("link", name=re.compile("^Concept van"))
    if concept.count():
        concept.click()
    else:
        row.get_by_role("button", name=re.compile("^Nieuwe audit")).click()
    page.wait_for_load_state()
    assert re.search(r"/kwaliteit/audits/\d+$", page.url)
    k8 = page.locator("section", has=page.get_by_role("heading", name=re.compile("^K8 ")))
    assert k8.get_by_role("heading", name=re.compile("^Bewijs: afspraken met bonden")).is_visible()
    check_page(page, "audit-k8-afspraken", width)
