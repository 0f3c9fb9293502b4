"""Beheer's pages for bonden, users, categories and the outbox, at 1280 and 360 px (tests.support.browser.check_page),
a bad search shown beside the search box, as a person sees it, and a new account made by beheer."""
import re

import pytest

from tests.support.browser import check_page, mailed_path

# (name, page to open, and a link on it to follow: a regex its href must match)
PAGES = [
    ("beheer-index", "/beheer/", None),
    ("beheer-bonden", "/beheer/bonden", None),
    ("beheer-bonden-gezocht", "/beheer/bonden?q=bal&aangesloten=nee", None),
    ("beheer-bond-nieuw", "/beheer/bonden/nieuw", None),
    ("beheer-bond", "/beheer/bonden?q=knvb", r"^/beheer/bonden/knvb$"),
    ("beheer-gebruikers", "/beheer/gebruikers", None),
    ("beheer-gebruikers-rol", "/beheer/gebruikers?rol=clubondersteuner", None),
    ("beheer-gebruiker-nieuw", "/beheer/gebruikers/nieuw", None),
    ("beheer-gebruiker", "/beheer/gebruikers?rol=clubondersteuner", r"^/beheer/gebruikers/\d+$"),
    ("beheer-eigen-account", "/beheer/gebruikers?rol=beheer", r"^/beheer/gebruikers/\d+$"),
    ("beheer-categorieen-gezocht", "/beheer/categorieen?q=sport", None),
    ("beheer-uitgaand-gezocht", "/beheer/uitgaand?q=example&status=failed", None),
]


def _follow(page, pattern: str) -> None:
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    matching = [h for h in hrefs if re.search(pattern, h.split("?")[0])]
    assert matching, f"no link matching {pattern} on {page.url}"
    page.locator(f'main a[href="{matching[0]}"]').first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("name, path, link", PAGES, ids=[p[0] for p in PAGES])
def test_beheer_page_works_at_both_widths(open_page, width, name, path, link):
    page = open_page(width, as_user="beheer")
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    if link:
        _follow(page, link)
    check_page(page, name, width)


def test_a_bad_search_is_shown_beside_the_search_box(open_page, width):
    page = open_page(width, as_user="beheer")
    response = page.goto("/beheer/gebruikers?q=" + "x" * 101)
    assert response.status == 400
    assert page.locator("#f-q-error").inner_text() == "Typ hooguit 100 tekens om te zoeken."
    assert page.locator("#f-q").get_attribute("aria-invalid") == "true"
    check_page(page, "beheer-gebruikers-fout", width)


def test_beheer_makes_an_account_and_the_person_chooses_a_password(open_page, width):
    """The whole way in a browser: beheer fills in the form, the person opens the mailed link and chooses a
    password (each width makes its own account)."""
    email = f"nieuw.{width}@coordinatie.example"
    page = open_page(width, as_user="beheer")
    page.goto("/beheer/gebruikers/nieuw")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Naam", exact=True).fill(f"Noor {width}")
    page.get_by_label("Rol").select_option("coordinatiepunt")
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Noor {width}"

    person = open_page(width)
    person.goto(mailed_path(open_page, "account_welcome", email))
    check_page(person, "wachtwoord-kiezen", width)
    person.get_by_label("Nieuw wachtwoord", exact=True).fill("Clubkadercoach-met-koffie-2026")
    person.get_by_label("Nieuw wachtwoord nog een keer").fill("Clubkadercoach-met-koffie-2026")
    person.get_by_role("button", name="Wachtwoord opslaan").click()
    person.wait_for_load_state()
    assert person.locator('nav[aria-label="Hoofdmenu"] a[href="/coordinatie/opvang"]').count() == 1  # logged in
