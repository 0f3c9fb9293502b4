"""Login and logout."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from loket.blueprints.auth import routes  # noqa: E402,F401  (registers the views)
