"""Searching requests by words: one function hides PostgreSQL's full-text search and SQLite's FTS5.

What is searched: the reference, title and description of a request, its replies and — for those who may read
them — its internal notes, and the club's name. Who finds what is decided by the query the words narrow (the
queue's or the club's list: the same visibility, DESIGN §7); the words only add a condition and a rank.

- PostgreSQL: `websearch_to_tsquery('dutch', …)` against each request's document vector of
  models/search_index.py (its own text, club name and messages in one vector, kept by triggers; with or
  without the internal notes), so stemming finds "vrijwilliger" for "vrijwilligers", operators a person types
  (quotes, "-", "or") mean what they mean on a search engine and never make an error, and a team's matches
  come from one index on (owner_team_id, document_vector) at any data size.
- SQLite: FTS5, each typed word matched as a prefix as typed or stemmed (the Snowball Dutch stemmer), all
  words required; operators are read as words.

`matching(...)` is the condition for a select of SupportRequest; `rank(...)` orders by relevance;
`highlighted(...)` gives, for the requests on one page, the title and a snippet with the words marked, in one
query; `reference_in(...)` reads a typed reference (LK-2026-000123), which the pages open directly when the user
may (teamwork.request_with_reference: who may open what is teamwork's).
"""
import functools
import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Integer, Text, bindparam, case, column, exists, func, literal, literal_column, or_, select, text
from sqlalchemy.sql import ColumnElement

from loket.extensions import db
from loket.models import Event, SupportRequest
from loket.models.search_index import fts_table
from loket.services.search import search_text

REFERENCE = re.compile(r"^\s*(LK-\d{4}-\d{6})\s*$", re.IGNORECASE)
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12  # beyond this a query is a pasted text: the first words decide
# Marks around matched words that no stored text holds (the text rule refuses control characters).
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class Search:
    """Typed search words, checked by the one search-box rule (services/search.search_text)."""

    text: str

    @classmethod
    def of(cls, raw: str | None, *, field: str = "q") -> "Search | None":
        """None when nothing was typed. :raises InvalidInput: control characters or too long (Dutch)."""
        typed = search_text(raw, field=field)
        return cls(typed) if typed else None

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text.casefold())[:MAX_WORDS]


def reference_in(search: "Search | None") -> str | None:
    """The reference a search is, in its stored form (LK-2026-000123), else None."""
    if search is None:
        return None
    match = REFERENCE.match(search.text)
    return match.group(1).upper() if match else None


def _on_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _ts_query(search: Search):
    """The typed words as a tsquery, made once per statement (a scalar subquery: an InitPlan): in the plan
    PostgreSQL keeps for a prepared statement the function call is not a constant, and ranking 5,000 matches
    parsed the words again for each one (25 ms of a 40 ms statement)."""
    return select(func.websearch_to_tsquery(literal_column("'dutch'::regconfig"),
                                            literal(search.text, type_=Text))).scalar_subquery()


@functools.cache
def dutch_stemmer():
    """One Snowball Dutch stemmer per process (a search builds its MATCH expression several times: condition, rank,
    marks; merging compares typed words with it too)."""
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


def _fts_query(search: Search) -> str:
    """An FTS5 MATCH expression: every word, as typed or stemmed, matched as a prefix and quoted so nothing is an
    operator. (A Snowball stem is not always a prefix of its word — "subsidieregeling" → "subsidieregeel" —
    so the word itself is tried too.)"""
    stemmer = dutch_stemmer()
    alternatives = ({word, stemmer.stemWord(word)} for word in search.words)
    return " AND ".join("(" + " OR ".join(f'"{form}"*' for form in sorted(forms)) + ")" for forms in alternatives)


def _fts_ids(table: str, search: Search):
    fts = fts_table(table)
    return text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :fts_query").bindparams(
        bindparam("fts_query", _fts_query(search), unique=True)).columns(column("rowid", Integer))


def _document(include_internal: bool):
    """The request's whole readable text as one vector (PostgreSQL, models/search_index.py): with the internal
    notes for a team working on it, without them for its club."""
    return literal_column("support_requests." + ("document_vector" if include_internal else "public_document_vector"))


def matching(search: Search, *, include_internal: bool) -> ColumnElement[bool]:
    """Requests whose own text, club name or readable messages hold the words. `include_internal`: also the
    internal notes (supporters of a team working on the request; never a club)."""
    if _on_postgres():
        # One vector per request, so a team's matches come from one index (owner_team_id, document_vector).
        return _document(include_internal).op("@@")(_ts_query(search))
    if not search.words:
        return literal(False)
    readable = literal(True) if include_internal else Event.is_public
    in_messages = exists().where(Event.request_id == SupportRequest.id, readable,
                                 Event.id.in_(_fts_ids("events", search)))
    return or_(SupportRequest.id.in_(_fts_ids("support_requests", search)), in_messages,
               SupportRequest.club_id.in_(_fts_ids("clubs", search)))


def rank(search: Search):
    """Best first: a match in the request's own reference or title (then description) before one found only in
    its messages or club name, which rank alike (then the list's own order decides)."""
    if _on_postgres():
        # The request's own small vector, not its document: ranking reads it for every match, and a document
        # holds every message.
        return func.ts_rank(literal_column("support_requests.search_vector"), _ts_query(search)).desc()
    return case((SupportRequest.id.in_(_fts_ids("support_requests", search)), 1), else_=0).desc()


@dataclass(frozen=True)
class Highlight:
    title: Markup
    snippet: Markup | None  # the words in their context: from the description or a readable message


def _marked(text_: str | None) -> Markup | None:
    if text_ is None:
        return None
    return Markup(str(escape(text_)).replace(START, "<mark>").replace(STOP, "</mark>"))


def highlighted(search: Search, requests: list[SupportRequest], *, include_internal: bool) -> dict[int, Highlight]:
    """Request id → its title and a snippet with the matched words marked, for the requests of one page (one
    query on PostgreSQL, two on SQLite)."""
    ids = [request.id for request in requests]
    if not ids:
        return {}
    found = _highlights_postgres(search, ids, include_internal) if _on_postgres() \
        else _highlights_sqlite(search, ids, include_internal)
    return {request.id: Highlight(title=_marked(found.get(request.id, (None, None))[0] or request.title),
                                  snippet=_marked(found.get(request.id, (None, None))[1]))
            for request in requests}


def _highlights_postgres(search: Search, ids: list[int], include_internal: bool) -> dict[int, tuple]:
    options = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
    snippet_options = f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=8"
    readable = "" if include_internal else "AND e.is_public"
    # The snippet marks any of the words (q_any): the description when it holds one, else the first readable
    # message that does.
    rows = db.session.execute(text(f"""
        WITH q AS (SELECT websearch_to_tsquery('dutch', :typed) AS query,
                          websearch_to_tsquery('dutch', :any_word) AS any_word)
        SELECT r.id,
               ts_headline('dutch', r.title, q.query, :options),
               CASE WHEN to_tsvector('dutch', coalesce(r.description, '')) @@ q.any_word
                    THEN ts_headline('dutch', r.description, q.any_word, :snippet_options)
                    ELSE (SELECT ts_headline('dutch', e.body, q.any_word, :snippet_options) FROM events e
                          WHERE e.request_id = r.id {readable} AND e.search_vector @@ q.any_word
                          ORDER BY e.id LIMIT 1) END
        FROM support_requests r, q WHERE r.id = ANY(:ids)"""),
        {"typed": search.text, "any_word": " or ".join(search.words), "options": options,
         "snippet_options": snippet_options, "ids": ids})
    return {row[0]: (row[1], row[2]) for row in rows}


def _highlights_sqlite(search: Search, ids: list[int], include_internal: bool) -> dict[int, tuple]:
    if not search.words:
        return {}
    fts, events = fts_table("support_requests"), fts_table("events")
    marks = {"start": START, "stop": STOP, "more": "…", "words": SNIPPET_WORDS, "fts_query": _fts_query(search)}
    listed = ", ".join(str(int(i)) for i in ids)
    own = db.session.execute(text(
        f"SELECT rowid, highlight({fts}, 1, :start, :stop), snippet({fts}, 2, :start, :stop, :more, :words), "
        f"instr(highlight({fts}, 2, :start, :stop), :start) > 0 "
        f"FROM {fts} WHERE {fts} MATCH :fts_query AND rowid IN ({listed})"), marks).all()
    found = {row[0]: (row[1], row[2] if row[3] else None) for row in own}
    readable = "" if include_internal else "AND e.is_public"
    in_messages = db.session.execute(text(
        f"SELECT e.request_id, snippet({events}, 0, :start, :stop, :more, :words) FROM {events} "
        f"JOIN events e ON e.id = {events}.rowid WHERE {events} MATCH :fts_query AND e.request_id IN ({listed}) "
        f"{readable} ORDER BY e.id"), marks).all()
    for request_id, snippet in in_messages:
        title, own_snippet = found.get(request_id, (None, None))
        if own_snippet is None:
            found[request_id] = (title, snippet)
    return found

