"""The club's side: file a request, follow its own requests, reply."""
from flask import Blueprint

bp = Blueprint("club", __name__, url_prefix="/club")

from loket.blueprints.club import attachment_routes, routes  # noqa: E402,F401
