"""The search box in the browser (issue #14 point 1), at 1280 and 360 px: a supporter searches the queue by a word
whose stem is in a demo request ("fondsen" finds "fondsen"; "subsidies" finds "Subsidie"), the words are marked,
and a club searches its own list. Axe and the phone width through check_page."""
from tests.support.browser import check_page


def _search(open_page, width, who, path, words, button):
    page = open_page(width, as_user=who)
    page.goto(path)
    page.get_by_role("searchbox", name="Zoeken").fill(words)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert f"q={words}" in page.url
    return page


def test_a_supporter_finds_a_request_by_a_word_in_the_queue(open_page, width):
    page = _search(open_page, width, "ondersteuner", "/wachtrij/", "subsidies", "Filteren")
    assert page.get_by_role("link", name="Subsidie voor een G-voetbalteam").is_visible()
    assert page.locator("mark").first.is_visible()
    check_page(page, "wachtrij-zoeken", width)


def test_a_club_searches_its_own_requests(open_page, width):
    page = _search(open_page, width, "club", "/club/aanvragen", "vertrouwenscontactpersoon", "Zoeken")
    assert page.get_by_role("link", name="Vertrouwenscontactpersoon gezocht").is_visible()
    assert not page.get_by_role("link", name="Subsidie voor een G-voetbalteam").is_visible()
    check_page(page, "club-zoeken", width)


def test_an_unusable_search_is_explained_beside_the_box(open_page, width):
    page = open_page(width, as_user="ondersteuner")
    page.goto("/wachtrij/?q=" + "x" * 101)
    assert page.locator("#f-q-error").is_visible()
    check_page(page, "wachtrij-zoeken-fout", width)
