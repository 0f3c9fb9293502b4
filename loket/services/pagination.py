"""Pagination for row (non-entity) queries, with the same interface templates use for db.paginate."""
from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from loket.extensions import db


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


def paginate_rows(query: Select, *, page: int, per_page: int) -> RowPage:
    """Two queries: the count, and one page of named rows."""
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return RowPage(items=items, page=page, per_page=per_page, total=total)
