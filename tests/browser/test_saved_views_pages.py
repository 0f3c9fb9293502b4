"""Saved queue views in the browser (issue #14 point 4), at 1280 and 360 px: a supporter filters the queue, saves
it under a name, finds the shortcut with its count, opens the management page and removes the view again. Axe and
the phone width through check_page."""
from tests.support.browser import check_page


def test_a_supporter_saves_a_view_opens_it_and_removes_it(open_page, width):
    name = f"Alles van ons ({width})"
    page = open_page(width, as_user="ondersteuner")
    page.goto("/wachtrij/?status=alle&volgorde=oudste")
    page.get_by_text("Deze filters bewaren als weergave").click()
    page.get_by_label("Naam van de weergave").fill(name)
    check_page(page, "wachtrij-weergave-bewaren", width)
    page.get_by_role("button", name="Weergave bewaren").click()
    page.wait_for_load_state()
    assert "status=alle" in page.url and "volgorde=oudste" in page.url
    shortcut = page.get_by_role("navigation", name="Opgeslagen weergaven").get_by_role("link", name=name)
    assert shortcut.get_attribute("aria-current") == "page"
    page.goto("/wachtrij/")
    assert page.get_by_role("link", name=name).get_attribute("aria-current") is None
    page.get_by_role("link", name="Weergaven beheren").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Opgeslagen weergaven", level=1).is_visible()
    check_page(page, "weergaven", width)
    page.get_by_role("button", name=f"Weergave {name} verwijderen").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Weergave ‘{name}’ verwijderd.").is_visible()
    assert page.get_by_role("link", name=name).count() == 0
