"""Paged lists in views: a `?pagina=` that is out of range or unreadable is sent to a page that exists."""
from flask import redirect, request, url_for

from loket.services.requests.queues import canonical_page


def redirect_to_existing_page(pagination, endpoint: str, **values):
    """A redirect to the last (or first) page, keeping the other query arguments; None when the page is fine."""
    raw, target = request.args.get("pagina"), canonical_page(pagination)
    if raw is None or raw == str(target):
        return None
    args = {key: value for key, value in request.args.items() if key != "pagina"}
    return redirect(url_for(endpoint, **values, **args, **({"pagina": target} if target > 1 else {})))
