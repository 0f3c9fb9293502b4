"""Searching requests (issue #14 point 1): the same tests on SQLite (FTS5) and PostgreSQL (full-text, dutch).

Words are planted in a request's title, its description, a public reply, an internal note, in another team's
request and in another club's; each role searches, and finds exactly what it may read."""
import pytest

from loket.extensions import db
from loket.services.errors import InvalidInput
from loket.services.requests import actions, queues, request_search
from loket.services.requests.queues import QueueFilter
from loket.services.requests.request_search import Search
from tests.support.requests import file_request


def _queue(user, words, **filters):
    query = queues.queue_query(user, QueueFilter(search=Search.of(words), status="alle", **filters))
    return [request.title for request in db.session.scalars(query)]


def _club(user, words):
    return [request.title for request in queues.club_requests(user, search=Search.of(words)).items]


@pytest.fixture()
def planted(network):
    """Club A's request at loket X with words in every place, one of club B at loket Y with the same word."""
    n = network
    kantine = file_request(n, category="overig", title="Hulp in de kantine",
                           description="We zoeken een vrijwilliger voor de bar op zaterdag.")
    actions.add_message(kantine, actor=n.ondersteuner, body="De gemeente heeft een subsidieregeling voor bardiensten.",
                        internal=False, as_supporter=True)
    actions.add_message(kantine, actor=n.ondersteuner, body="Penningmeester lijkt overbelast, voorzichtig zijn.",
                        internal=True, as_supporter=True)
    other = file_request(n, club="club_amersfoort", who="other_club_contact", category="overig",
                         title="Vrijwilligers gezocht", description="Wie helpt bij het toernooi?")
    return kantine, other


def test_a_word_finds_its_stem_in_the_title_description_and_replies(network, planted):
    assert _queue(network.ondersteuner, "vrijwilligers") == ["Hulp in de kantine"]  # "vrijwilliger" in it
    assert _queue(network.ondersteuner, "kantine") == ["Hulp in de kantine"]
    assert _queue(network.ondersteuner, "subsidieregeling") == ["Hulp in de kantine"]  # a public reply
    assert _club(network.club_contact, "bardiensten") == ["Hulp in de kantine"]
    assert _queue(network.ondersteuner, "kantine toernooi") == []  # every word must be there


def test_an_internal_note_is_found_by_the_team_never_by_the_club(network, planted):
    assert _queue(network.ondersteuner, "penningmeester") == ["Hulp in de kantine"]
    assert _club(network.club_contact, "penningmeester") == []
    assert _club(network.club_contact, "overbelast") == []


def test_search_keeps_to_what_each_role_may_see(network, planted):
    assert _queue(network.ondersteuner_eemland, "vrijwilligers") == ["Vrijwilligers gezocht"]
    assert _queue(network.ondersteuner_eemland, "kantine") == []  # another team's request
    assert _queue(network.ondersteuner_eemland, "penningmeester") == []
    assert _club(network.other_club_contact, "kantine") == []  # another club's
    assert _club(network.club_contact, "toernooi") == []


def test_the_club_name_is_searched_too(network, planted):
    assert _queue(network.ondersteuner, network.club_utrecht.name.split()[-1]) == ["Hulp in de kantine"]


def test_a_match_in_the_title_ranks_before_one_in_a_reply(network, planted):
    n = network
    file_request(n, category="overig", title="Subsidie voor de bar", description="Kan dat?")
    assert _queue(n.ondersteuner, "subsidie bar")[0] == "Subsidie voor de bar"


@pytest.mark.parametrize("sort", ["deadline", "oudste", "club"])
def test_each_page_of_a_ranked_search_is_that_page_of_the_whole_ranked_list(network, planted, sort):
    """A search page picks its ids by rank first and then reads those rows (queues._page_query): page by page
    the same requests, in the same order, as the whole ranked list."""
    n = network
    for number in range(5):
        file_request(n, category="overig", title=f"Subsidie {number}" if number % 2 else f"Vraag {number}",
                     description="Over de subsidie voor de bar." if number % 2 == 0 else "Kan dat?")
    filters = QueueFilter(search=Search.of("subsidie"), status="alle", sort=sort)
    whole = [request.id for request in db.session.scalars(queues.queue_query(n.ondersteuner, filters))]
    assert len(whole) >= 5  # and on SQLite the planted reply's "subsidieregeling" (a prefix)
    pages = [[request.id for request in queues.queue(n.ondersteuner, filters, page=page, per_page=2).items]
             for page in (1, 2, 3)]
    assert pages == [whole[:2], whole[2:4], whole[4:6]]


def test_new_replies_are_found_at_once(network, planted):
    kantine, _ = planted
    assert _queue(network.ondersteuner, "lichtinstallatie") == []
    actions.add_message(kantine, actor=network.club_contact, body="Ook de lichtinstallatie is stuk.", internal=False,
                        as_supporter=False)
    assert _queue(network.ondersteuner, "lichtinstallatie") == ["Hulp in de kantine"]


@pytest.mark.parametrize("typed", ['"', '""', "-", "OR", "AND NOT", "* ( ) : ^", 'kantine" OR "', "NEAR(a b)",
                                   "'; DROP TABLE events; --", "%_%", "kantine -kantine", "ü ß 中文"])
def test_operators_and_odd_words_never_make_an_error(network, planted, typed):
    """Whatever is typed answers a list (no database error), and still only of what the role may see."""
    assert set(_queue(network.ondersteuner, typed)) <= {"Hulp in de kantine"}
    assert set(_club(network.club_contact, typed)) <= {"Hulp in de kantine"}
    assert set(_club(network.other_club_contact, typed)) <= {"Vrijwilligers gezocht"}


def test_the_search_box_rule_holds(network):
    assert Search.of("   ") is None and Search.of(None) is None
    for raw in ("x" * 10_000, "kantine\x00", "\x1b[31m"):
        with pytest.raises(InvalidInput):
            Search.of(raw)


def test_the_matched_words_are_marked_in_the_title_and_a_snippet(network, planted):
    kantine, _ = planted
    search = Search.of("kantine vrijwilligers")
    found = request_search.highlighted(search, [kantine], include_internal=True)[kantine.id]
    assert "<mark>kantine</mark>" in found.title
    assert "<mark>vrijwilliger</mark>" in found.snippet
    # A note's words are marked only for those who may read it; text is escaped.
    note = request_search.highlighted(Search.of("penningmeester"), [kantine], include_internal=True)[kantine.id]
    assert "<mark>Penningmeester</mark>" in note.snippet
    hidden = request_search.highlighted(Search.of("penningmeester"), [kantine], include_internal=False)[kantine.id]
    assert hidden.snippet is None


def test_html_in_a_title_stays_text_in_the_highlight(network):
    request = file_request(network, category="overig", title="<b>Kantine</b> & bar", description="Vraag.")
    found = request_search.highlighted(Search.of("kantine"), [request], include_internal=True)[request.id]
    assert "&lt;b&gt;" in found.title and "<b>" not in found.title and "&amp;" in found.title


def test_a_reference_is_read_whatever_its_case(network, planted):
    kantine, _ = planted
    assert request_search.reference_in(Search.of(f"  {kantine.reference.lower()} ")) == kantine.reference
    assert request_search.reference_in(Search.of("kantine")) is None


@pytest.mark.parametrize("filters, offset", [
    (QueueFilter(search=Search.of("subsidie bar"), status="alle"), 25),
    (QueueFilter(search=Search.of("subsidie bar")), 0),
    (QueueFilter(category_id=1), 0),
    (QueueFilter(assignee="niemand", status="alle"), 0),
    (QueueFilter(), 25),
])
def test_a_later_searched_or_filtered_page_reads_its_rows_by_the_picked_ids_alone(network, planted, filters,
                                                                                   offset):
    """Such a page's rows are read by id only (the filter is applied where the ids are picked, in index order):
    with the filter repeated, the plan PostgreSQL keeps for the prepared statement read every match again. On
    PostgreSQL each tsquery is a scalar subquery (made once per statement, not once per ranked row)."""
    page = queues._page_query(network.ondersteuner, filters, table=True)(25, offset)
    condition = page.whereclause
    assert condition.left.key == "id" and condition.operator.__name__ == "in_op"  # one condition: id IN (…)
    if filters.search is not None and db.session.get_bind().dialect.name == "postgresql":
        sql = str(page.compile(dialect=db.session.get_bind().dialect))
        assert sql.count("@@") == 1  # only where the page's ids are picked
        assert sql.count("websearch_to_tsquery(") == sql.count("(SELECT websearch_to_tsquery(") >= 2
    whole = [r.id for r in db.session.scalars(queues.queue_query(network.ondersteuner, filters))]
    assert [r.id for r in db.session.scalars(page)] == whole[offset:offset + 25]


def test_the_plain_first_page_is_one_ordered_read(network):
    """The default queue's first page needs no picking: the index's order and the LIMIT serve it as it is."""
    page = queues._page_query(network.ondersteuner, QueueFilter(), table=True)(25, 0)
    assert "IN (SELECT" not in str(page)
