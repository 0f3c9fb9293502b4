"""Filing a request with the keyboard alone, with the focus visible at every stop."""
import uuid

FOCUS_STYLE = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {id: el.id, tag: el.tagName, text: (el.innerText || el.value || '').trim().slice(0, 40),
            visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                     || style.boxShadow !== 'none'};
}"""


def tab_to(page, target: str, *, limit: int = 60) -> list[dict]:
    """Press Tab until the element with id (or, for a button, the text) `target` has the focus; returns every
    stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STYLE)
        stops.append(stop)
        if target in (stop["id"], stop["text"]):
            return stops
    raise AssertionError(f"Tab never reached {target!r}; stops: {[s['id'] or s['text'] for s in stops]}")


def test_a_club_files_a_request_with_the_keyboard_alone(open_page):
    page = open_page(as_user="club")
    page.goto("/club/aanvragen/nieuw")
    stops = tab_to(page, "category")
    page.keyboard.type("Vrijwilligers")  # a closed select jumps to the option typed
    stops += tab_to(page, "title")
    title = f"Met het toetsenbord {uuid.uuid4().hex[:6]}"
    page.keyboard.type(title)
    stops += tab_to(page, "description")
    page.keyboard.type("Alles met Tab en Enter ingevuld.")
    stops += tab_to(page, "Aanvraag indienen")
    # Wait for the navigation the Enter starts: waiting for a load state could return while the form page was
    # still the one loaded, and the check below then raced the navigation.
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text().strip() != "Nieuwe aanvraag", page.content()[:500]
    assert page.get_by_text(title).first.is_visible()
    invisible = [s for s in stops if not s["visible"] and s["tag"] != "BODY"]
    assert invisible == [], f"focus not visible on {invisible}"
