"""Bulk work in the browser (issue #14 point 5), at 1280 and 360 px: a club files two requests; the supporter finds
them by a word, ticks both, assigns them to a colleague in one action, and sees the colleague's name on each. Axe
and the phone width through check_page."""
import uuid

from tests.support.browser import assign_in_bulk, file_request


def test_a_supporter_assigns_two_requests_to_a_colleague_in_one_action(open_page, width):
    word = f"bulk{uuid.uuid4().hex[:8]}"
    club = open_page(width, as_user="club")
    references = [file_request(club, category="Vrijwilligers & kader", title=f"Vraag {word} {number}")
                  for number in (1, 2)]
    page = open_page(width, as_user="ondersteuner")
    page.goto(f"/wachtrij/?q={word}")
    boxes = page.locator('input[name="ids"]')
    assert boxes.count() == 2
    assign_in_bulk(page, references, "Cas Collega", screenshot="wachtrij-bulk", width=width)
    assert f"q={word}" in page.url
    assert page.get_by_text(f"2 aanvragen toegewezen: {', '.join(references)}.").is_visible()
    assert page.locator("td[data-label='Behandelaar']", has_text="Cas Collega").count() == 2
