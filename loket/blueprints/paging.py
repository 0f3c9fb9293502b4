"""Paged lists in views: the `?pagina=` a person typed, read safely, and a redirect when that page does not exist."""
from flask import redirect, request, url_for

from loket.services.pagination import canonical_page, page_number


def requested_page() -> int:
    """The page asked for in `?pagina=`, from 1 to MAX_PAGE whatever was typed."""
    return page_number(request.args.get("pagina"))


def redirect_to_existing_page(pagination, endpoint: str, **values):
    """A redirect to the last (or first) page, keeping the other query arguments; None when the page is fine."""
    raw, target = request.args.get("pagina"), canonical_page(pagination)
    if raw is None or raw == str(target):
        return None
    args = {key: value for key, value in request.args.items() if key != "pagina"}
    return redirect(url_for(endpoint, **values, **args, **({"pagina": target} if target > 1 else {})))
