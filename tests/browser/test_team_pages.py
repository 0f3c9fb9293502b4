"""The team pages in the browser, at 1280 and 360 px: the team page (as its lead and, read-only, as a colleague)
and the page behind an invitation; and the journey of the demo lead `ondersteuner` inviting a colleague, who opens
the mailed link, sets a name and password and lands in the queue.

The live server's data is shared by every browser test: each width invites its own address, which adds one new
member to Sportloket Utrecht and changes nothing else."""
import re

from tests.support.browser import check_page, mailed_path

PASSWORD = "een team dat zichzelf regelt"
NEWCOMER = {"desktop": "nieuwe.collega.desktop@voorbeeld.example",
            "phone": "nieuwe.collega.telefoon@voorbeeld.example"}


def test_a_colleague_sees_the_team_without_the_buttons(open_page, width):
    page = open_page(width, as_user="collega")
    response = page.goto("/team/")
    assert response.status == 200 and re.search(r"/team/loket/[a-z0-9-]+$", page.url)
    assert page.get_by_role("heading", name=re.compile("^Team ")).is_visible()
    assert page.get_by_role("button", name=re.compile("Uit het team")).count() == 0
    check_page(page, "team-collega", width)


def test_the_lead_invites_a_colleague_who_sets_a_password_and_lands_in_the_queue(open_page, width):
    email = NEWCOMER[width]
    lead = open_page(width, as_user="ondersteuner")
    lead.goto("/team/")
    assert lead.get_by_role("heading", name="Een collega uitnodigen").is_visible()
    check_page(lead, "team-coordinator", width)

    lead.get_by_label("E-mailadres").fill("geen-adres")  # a mistake first: said beside the field
    lead.get_by_role("button", name="Uitnodiging versturen").click()
    lead.wait_for_load_state()
    assert lead.get_by_text("Vul een geldig e-mailadres in").first.is_visible()
    check_page(lead, "team-uitnodigen-fout", width)

    lead.get_by_label("E-mailadres").fill(email)
    lead.get_by_label("Naam (optioneel)").fill("Nieuwe Collega")
    lead.get_by_role("button", name="Uitnodiging versturen").click()
    lead.wait_for_load_state()
    assert lead.get_by_text(f"De uitnodiging is verstuurd naar {email}.").is_visible()
    invited = lead.locator(".team-invitations").get_by_role("cell", name=re.compile("^" + re.escape(email)))
    assert invited.is_visible()

    invitee = open_page(width)
    invitee.goto(mailed_path(open_page, "team_invitation", email))
    assert invitee.get_by_role("heading", name=re.compile("^Word lid van Sportloket")).is_visible()
    check_page(invitee, "team-uitnodiging", width)
    assert invitee.get_by_label("Je naam").input_value() == "Nieuwe Collega"
    invitee.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    invitee.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    invitee.get_by_role("button", name="Account maken en lid worden").click()
    invitee.wait_for_load_state()
    assert invitee.url.endswith("/wachtrij/")
    assert invitee.get_by_text("Je account is klaar").is_visible()

    lead.reload()
    assert lead.locator(".team-members").get_by_role("cell", name=email, exact=True).is_visible()
    assert invited.count() == 0  # accepted: no longer open
