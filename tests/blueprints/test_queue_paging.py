"""Paging the lists: numbered pages, and a page out of range (or unreadable) redirects to the last or first
page, keeping the other filters."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from loket.services import pagination
from loket.services.requests import queues
from tests.support.requests import file_many


@pytest.fixture()
def five_requests(app, network, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    monkeypatch.setattr(queues, "CLUB_PAGE_SIZE", 2)
    file_many(network, 5, club=network.club_utrecht)


def _redirect_args(response):
    assert response.status_code == 302
    parts = urlsplit(response.headers["Location"])
    return parts.path, {key: values[0] for key, values in parse_qs(parts.query).items()}


@pytest.mark.parametrize("raw, page", [("99", "3"), ("1e20", "3"), ("99999999999999999999999", "3"),
                                       ("-3", None), ("0", None), ("abc", None), ("2.0", "2")])
def test_queue_page_out_of_range_redirects_keeping_filters(login_as, network, five_requests, raw, page):
    client = login_as("ondersteuner")
    path, args = _redirect_args(client.get(f"/wachtrij/?weergave=team&status=alle&pagina={raw}"))
    assert path.rstrip("/") == "/wachtrij"
    assert args.get("pagina") == page
    assert args["status"] == "alle" and args["weergave"] == "team"


def test_queue_page_in_range_is_shown_with_numbered_pages(login_as, network, five_requests):
    client = login_as("ondersteuner")
    response = client.get("/wachtrij/?status=alle&pagina=2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Geen aanvragen met deze filters" not in page
    assert 'aria-current="page">2<' in page
    for number in (1, 3):
        assert f"pagina={number}" in page and f">{number}</a>" in page
    assert client.get("/wachtrij/?pagina=1").status_code == 200


def test_empty_queue_with_a_page_goes_to_the_first(login_as, network):
    _, args = _redirect_args(login_as("ondersteuner").get("/wachtrij/?pagina=4&status=alle"))
    assert "pagina" not in args and args["status"] == "alle"


@pytest.mark.parametrize("raw, page", [("99", "3"), ("1e20", "3"), ("-3", None)])
def test_club_list_page_out_of_range_redirects(login_as, network, five_requests, raw, page):
    path, args = _redirect_args(login_as("club_contact").get(f"/club/aanvragen?pagina={raw}"))
    assert path == "/club/aanvragen" and args.get("pagina") == page


def test_club_list_has_numbered_pages(login_as, network, five_requests):
    page = login_as("club_contact").get("/club/aanvragen?pagina=3").get_data(as_text=True)
    assert 'aria-current="page">3<' in page and ">1</a>" in page and ">2</a>" in page


@pytest.mark.parametrize("raw, number", [(None, 1), ("", 1), ("2", 2), (" 7 ", 7), ("-3", 1), ("abc", 1),
                                         ("1e20", pagination.MAX_PAGE), ("inf", pagination.MAX_PAGE), ("nan", 1)])
def test_page_number_reads_any_text(raw, number):
    assert pagination.page_number(raw) == number


@pytest.mark.parametrize("who, path", [("coordinator", "/coordinatie/opvang"), ("ondersteuner", "/aanbod/"),
                                       ("beheerder", "/beheer/uitgaand")])
@pytest.mark.parametrize("raw", ["99", "99999999999999999999999", "1e20", "abc"])
def test_every_other_paged_list_sends_a_page_that_does_not_exist_to_one_that_does(login_as, network, who, path,
                                                                                  raw):
    client = login_as(who)
    target, args = _redirect_args(client.get(f"{path}?pagina={raw}"))
    assert target == path and args.get("pagina") is None  # these short lists have one page
    assert client.get(target).status_code == 200


def test_a_long_list_shows_the_first_the_last_and_two_pages_either_side(app, login_as, network, monkeypatch):
    """Page 6 of 11: 1 … 4 5 [6] 7 8 … 11 — the numbers in between are left out, with a mark where they are."""
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 1)
    file_many(network, 11, club=network.club_utrecht)
    page = login_as("ondersteuner").get("/wachtrij/?status=alle&pagina=6").get_data(as_text=True)
    pager = page[page.index('class="pager"'):page.index("</nav>", page.index('class="pager"'))]
    shown = [int(linked or current)
             for linked, current in re.findall(r'aria-label="Pagina (\d+)"|aria-current="page">(\d+)<', pager)]
    assert shown == [1, 4, 5, 6, 7, 8, 11]
    assert pager.count("…") == 2


@pytest.mark.parametrize("sort", list(queues.QUEUE_SORTS))
@pytest.mark.parametrize("table", [False, True])
def test_every_page_holds_that_part_of_the_whole_ordered_queue(db, network, sort, table):
    """A later page picks its ids over narrow rows first, then reads those rows (queues._page_query): page by page
    the same requests in the same order as the whole list, for every order, in the page's and the API's loading."""
    file_many(network, 7)
    filters = queues.QueueFilter(status="alle", sort=sort)
    whole = [request.id for request in db.session.scalars(queues.queue_query(network.ondersteuner, filters))]
    assert len(whole) == 7
    pages = [[request.id for request in queues.queue_page(network.ondersteuner, filters, page=page, per_page=3,
                                                          table=table).pagination.items] for page in (1, 2, 3)]
    assert pages == [whole[:3], whole[3:6], whole[6:]]
