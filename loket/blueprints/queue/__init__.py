"""The supporters' side: the team queue and working a request."""
from flask import Blueprint

bp = Blueprint("queue", __name__, url_prefix="/wachtrij")

from loket.blueprints.queue import attachment_routes, routes  # noqa: E402,F401
