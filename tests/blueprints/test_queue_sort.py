"""Sorting the queue (issue #14 point 4): by deadline (the default), age, last activity or club, on the page and
over the API; an unknown order is the default, never an error."""
from tests.support.queue_order import three_requests_in_three_orders


def _titles(page: str) -> list[str]:
    import re
    return re.findall(r'href="/wachtrij/\d+">([abc])</a>', page)


def test_the_queue_orders_by_deadline_age_activity_or_club(network, login_as):
    three_requests_in_three_orders(network)
    supporter = login_as("ondersteuner")
    assert _titles(supporter.get("/wachtrij/").get_data(as_text=True)) == ["c", "b", "a"]
    assert _titles(supporter.get("/wachtrij/?volgorde=oudste").get_data(as_text=True)) == ["a", "b", "c"]
    assert _titles(supporter.get("/wachtrij/?volgorde=activiteit").get_data(as_text=True))[0] == "a"
    assert _titles(supporter.get("/wachtrij/?volgorde=club").get_data(as_text=True)) == ["b", "c", "a"]
    page = supporter.get("/wachtrij/?volgorde=onzin")
    assert page.status_code == 200 and _titles(page.get_data(as_text=True)) == ["c", "b", "a"]
    assert 'value="club" selected' in supporter.get("/wachtrij/?volgorde=club").get_data(as_text=True)
