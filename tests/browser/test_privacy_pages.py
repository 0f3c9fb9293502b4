"""Beheer's AVG page and the audit log in the browser, at 1280 and 360 px: looking a person up, an erasure refused
for a wrong confirmation (the error summary), and filtering the audit log. Nothing is erased: the live server's
demo data is shared by every browser test."""
import pytest

from loket.services.seed.demo_data import DEMO_DOMAIN
from tests.support.browser import check_page

CLUB = f"club@{DEMO_DOMAIN}"


@pytest.mark.parametrize("name, path", [("avg-zoeken", "/beheer/privacy"),
                                        ("avg-persoon", f"/beheer/privacy?email={CLUB}"),
                                        ("auditlog", "/beheer/auditlog")])
def test_avg_page_works_at_both_widths(open_page, width, name, path):
    page = open_page(width, as_user="beheer")
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def test_beheer_looks_a_person_up_and_a_wrong_confirmation_is_explained(open_page, width):
    page = open_page(width, as_user="beheer")
    page.goto("/")
    if not page.get_by_role("link", name="AVG en auditlog").is_visible():
        page.goto("/beheer/")
    page.get_by_role("link", name="AVG en auditlog").first.click()
    page.get_by_label("E-mailadres van de persoon").fill(CLUB)
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Wat Loket bewaart over {CLUB}").is_visible()
    page.get_by_label("Typ het e-mailadres nog eens ter bevestiging").fill("iemand-anders@example.nl")
    page.get_by_label("Reden").fill("Proef in de browser")
    page.get_by_role("button", name="Wis deze persoon").click()
    page.wait_for_load_state()
    assert page.get_by_text("Typ ter bevestiging precies hetzelfde e-mailadres nog eens.").first.is_visible()
    check_page(page, "avg-wissen-fout", width)


def test_the_audit_log_filters_by_kind(open_page, width):
    page = open_page(width, as_user="beheer")
    page.goto("/beheer/auditlog")
    page.get_by_label("Soort").select_option(label="Ingelogd")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert "actie=login" in page.url
    check_page(page, "auditlog-ingelogd", width)
