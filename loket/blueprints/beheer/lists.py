"""Beheer's searchable lists: the typed `?q=` and page read once, a Dutch message (400) for unusable search text,
and the redirect to a page that exists."""
from dataclasses import dataclass

from flask import current_app, request

from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.services.errors import InvalidInput


@dataclass
class Listing:
    pagination: object | None  # None when the search text was refused
    q: str
    error: str | None = None

    @property
    def status(self) -> int:
        return 400 if self.error else 200


def search_list(load, **filters) -> Listing:
    """One page of `load(text=…, page=…, per_page=…, **filters)` for the `?q=` and `?pagina=` typed."""
    q = request.args.get("q", "")
    try:
        pagination = load(text=q, page=requested_page(), per_page=current_app.config["QUEUE_PAGE_SIZE"], **filters)
    except InvalidInput as error:
        return Listing(None, q, "; ".join(error.errors.values()))
    return Listing(pagination, q)


def moved(listing: Listing, endpoint: str):
    """A redirect when the page asked for lies beyond the end (None otherwise)."""
    return redirect_to_existing_page(listing.pagination, endpoint) if listing.pagination is not None else None
