"""Pagination: reading a typed page number safely, the page that exists, and pages of row (non-entity)
queries with the same interface templates use for db.paginate."""
from dataclasses import dataclass
from math import ceil, isnan

from sqlalchemy import ScalarSelect, Select, bindparam, func, select

from loket.extensions import db

MAX_PAGE = 100_000  # beyond any real list; keeps the OFFSET within a database integer


def page_number(raw: str | None) -> int:
    """A typed `?pagina=` value as a page number from 1 to MAX_PAGE: unreadable or too low becomes 1, too high
    (also '1e20') MAX_PAGE, which `canonical_page` then brings back to the last page."""
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return 1
    if isnan(value):
        return 1
    return int(max(1, min(value, MAX_PAGE)))


def canonical_page(pagination) -> int:
    """The page to show for a pagination: its own page, or the last one when it lies beyond the end."""
    return max(1, min(pagination.page, pagination.pages or 1))


@dataclass(frozen=True)
class RowPage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def count_of(query: Select):
    """A scalar subquery counting the rows `query` finds (its order dropped): a list's count that can be sent
    with others in one statement (`counts_in_one`)."""
    return select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()


def counts_in_one(queries: list[Select | ScalarSelect]) -> list[int]:
    """How many rows each query finds, in one statement whatever their number (a page's tabs, its saved views
    and its own list's total): one round trip instead of one per count. A scalar select is taken as the count
    itself (one read from a summary table)."""
    if not queries:
        return []
    return list(db.session.execute(select(*(
        query if isinstance(query, ScalarSelect) else count_of(query) for query in queries))).one())


def windowed(query: Select, limit: int, offset: int) -> Select:
    """`query` with its LIMIT and OFFSET written into the statement: a plan PostgreSQL keeps for a prepared
    statement then knows it reads a page, not an unknown share of the rows (which makes a sorted index look dear)."""
    return (query.limit(bindparam(None, limit, literal_execute=True))
            .offset(bindparam(None, offset, literal_execute=True)))


def page_of(query, *, page: int, per_page: int, total: int, entities: bool = False) -> RowPage:
    """One page of `query` whose total is known already (counted with others by `counts_in_one`): one query,
    none for a page beyond the last (which a view redirects to the last). `query`: a select, which gets the
    page's LIMIT and OFFSET here (`windowed`), or a function of (limit, offset) that builds the page's select
    itself (a queue picks a later page's ids first). `entities`: items are the mapped objects (eager-loaded
    collections made unique), else named rows."""
    page = max(1, page)
    items = []
    if (page - 1) * per_page < total:
        offset = (page - 1) * per_page
        result = db.session.execute(query(per_page, offset) if callable(query) else windowed(query, per_page, offset))
        items = list(result.scalars().unique()) if entities else result.all()
    return RowPage(items=items, page=page, per_page=per_page, total=total)


def paginate_rows(query: Select, *, page: int, per_page: int) -> RowPage:
    """Two queries: the count, and one page of named rows."""
    return page_of(query, page=page, per_page=per_page, total=counts_in_one([query])[0])
