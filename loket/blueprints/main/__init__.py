"""The public start page and the role-aware home page."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from loket.blueprints.main import routes  # noqa: E402,F401
