"""A visitor without an account finds their loket, at 1280 and 360 px: from the start page through the search
box to the gemeente's page; a gemeente without loket; a search with several hits and one with none; a loket
in oprichting. Each page passes check_page."""
from tests.support.browser import check_page


def _search_from_start_page(page, typed: str) -> None:
    page.goto("/")
    page.get_by_label("In welke gemeente zit je club?").fill(typed)
    page.get_by_role("button", name="Vind je loket").click()
    page.wait_for_load_state()


def test_a_visitor_finds_the_loket_of_their_gemeente(open_page, width):
    page = open_page(width)
    page.goto("/")
    check_page(page, "publiek-start", width)
    _search_from_start_page(page, "utrecht")
    assert page.url.endswith("/gemeenten/GM0344")
    assert page.get_by_role("heading", level=1).inner_text() == "Gemeente Utrecht"
    assert page.get_by_role("heading", name="Je loket: Sportloket Utrecht").is_visible()
    assert page.get_by_role("link", name="sportloket@utrecht.demo.loket.nl").is_visible()
    assert page.get_by_text("Vrijwilligersspreekuur").is_visible()
    page.get_by_text("Welke bond hoort bij welke sport?").click()  # the sport → bond list unfolds
    assert page.get_by_role("cell", name="Koninklijke Nederlandse Voetbalbond (KNVB)").first.is_visible()
    check_page(page, "publiek-gemeente", width)
    page.get_by_role("link", name="Meer over Sportloket Utrecht").click()
    page.wait_for_load_state()
    assert page.url.endswith("/loketten/utrecht")
    check_page(page, "publiek-loket", width)


def test_a_gemeente_without_loket_says_where_the_request_goes(open_page, width):
    page = open_page(width)
    _search_from_start_page(page, "Súdwest")
    assert page.url.endswith("/gemeenten/GM1900")
    assert page.get_by_role("heading", name="Súdwest-Fryslân heeft nog geen loket dat vragen aanneemt").is_visible()
    assert page.get_by_text("landelijk coördinatiepunt").first.is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()
    check_page(page, "publiek-gemeente-zonder-loket", width)


def test_several_hits_a_miss_and_a_loket_in_oprichting(open_page, width):
    page = open_page(width)
    page.goto("/vind-je-loket")
    check_page(page, "vind-je-loket", width)
    page.get_by_label("Gemeente", exact=True).fill("bergen")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="gevonden bij ‘bergen’").is_visible()
    check_page(page, "vind-je-loket-treffers", width)
    page.get_by_role("link", name="Bergen (NH.)").click()
    page.wait_for_load_state()
    assert page.url.endswith("/gemeenten/GM0373")

    page.goto("/vind-je-loket?q=Atlantis")
    assert page.get_by_role("heading", name="Geen gemeente gevonden").is_visible()
    check_page(page, "vind-je-loket-niets", width)

    page.goto("/gemeenten/GM0402")  # Hilversum: Sportloket Gooi is in oprichting
    page.get_by_role("link", name="Sportloket Gooi").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Dit loket is nog in oprichting").is_visible()
    check_page(page, "publiek-loket-in-oprichting", width)
