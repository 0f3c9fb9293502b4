"""Every main page of every role, at 1280 and at 360 px: one h1, lang="nl", no WCAG 2.1 A/AA violations
(axe-core), nothing that scrolls sideways on a phone. Each page is saved as a screenshot for review."""
import re

import pytest

from tests.support.browser import check_page

# (name, demo user or None, page to open, and a link on it to follow: a regex its href must match)
PAGES = [
    ("start", None, "/", None),
    ("inloggen", None, "/inloggen", None),
    ("club-home", "club", "/", None),
    ("club-aanvragen", "club", "/club/aanvragen", None),
    ("club-nieuwe-aanvraag", "club", "/club/aanvragen/nieuw", None),
    ("club-aanvraag", "club", "/club/aanvragen", r"/club/aanvragen/\d+$"),
    ("club-profiel", "club", "/", r"/clubs/\d+/profiel$"),
    ("aanbod-club", "club", "/aanbod/", None),
    ("ondersteuner-home", "ondersteuner", "/", None),
    ("wachtrij", "ondersteuner", "/wachtrij/", None),
    ("wachtrij-aanvraag", "ondersteuner", "/wachtrij/", r"/wachtrij/\d+$"),
    ("aanbod", "ondersteuner", "/aanbod/", None),
    ("aanbod-team", "ondersteuner", "/aanbod/team", None),
    ("ons-loket", "ondersteuner", "/kwaliteit/ons-loket", None),
    ("loket-gegevens", "ondersteuner", "/kwaliteit/ons-loket", r"/kwaliteit/ons-loket/\d+/gegevens$"),
    ("account", "ondersteuner", "/account/", None),
    ("bond-home", "bond", "/", None),
    ("bond-wachtrij", "bond", "/wachtrij/", None),
    ("coordinatie-home", "coordinatie", "/", None),
    ("opvang", "coordinatie", "/coordinatie/opvang", None),
    ("overzicht", "coordinatie", "/overzicht/", None),
    ("overzicht-loket", "coordinatie", "/overzicht/", r"/overzicht/loketten/[a-z0-9-]+$"),
    ("vraag-per-categorie", "coordinatie", "/overzicht/vraag/categorie", None),
    ("audits", "coordinatie", "/kwaliteit/audits", None),
    ("criteria", "coordinatie", "/kwaliteit/criteria", None),
    ("criteria-nieuw", "coordinatie", "/kwaliteit/criteria/nieuw", None),
    ("beheer-home", "beheer", "/", None),
    ("categorieen", "beheer", "/beheer/categorieen", None),
    ("uitgaand", "beheer", "/beheer/uitgaand", None),
]


def follow_link(page, pattern: str) -> None:
    """Open the first link on the page whose address matches `pattern` (as a person clicks it)."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    matching = [h for h in hrefs if re.search(pattern, h.split("?")[0])]
    assert matching, f"no link matching {pattern} on {page.url}"
    link = page.locator(f'a[href="{matching[0]}"]').first
    if not link.is_visible():  # on a phone the menu is folded: open it as a person would
        page.get_by_text("Menu", exact=True).click()
    link.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("name, who, path, link", PAGES, ids=[p[0] for p in PAGES])
def test_main_page_works_for_everyone(open_page, width, name, who, path, link):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    if link:
        follow_link(page, link)
    check_page(page, name, width)


def test_the_menu_folds_behind_one_button_on_a_phone_and_opens_with_the_keyboard(open_page):
    phone = open_page("phone", as_user="ondersteuner")
    phone.goto("/")
    queue_link = phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wachtrij")
    assert not queue_link.is_visible()
    assert phone.locator(".site-header").bounding_box()["height"] < 100  # one row, not three
    for _ in range(10):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert phone.evaluate("document.activeElement.innerText.trim()") == "Menu"
    phone.keyboard.press("Enter")
    assert queue_link.is_visible()

    desktop = open_page("desktop", as_user="ondersteuner")
    desktop.goto("/")
    assert desktop.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wachtrij").is_visible()
    assert not desktop.get_by_text("Menu", exact=True).is_visible()


@pytest.mark.parametrize("who, path", [("club", "/club/aanvragen"), ("ondersteuner", "/wachtrij/")])
def test_request_lists_become_stacked_rows_on_a_phone(open_page, who, path):
    """No sideways scrolling inside a box either: each request is one block, its cells named."""
    page = open_page("phone", as_user=who)
    page.goto(path)
    table = page.locator("table.stacked")
    assert table.count() == 1
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", table.element_handle())
    assert page.evaluate("el => el.getBoundingClientRect().width <= window.innerWidth", table.element_handle())
    assert page.locator("table.stacked thead").is_hidden()
    label = page.evaluate("getComputedStyle(document.querySelector('td[data-label=Status]'), '::before').content")
    assert label == '"Status: "'
