"""Platform administration (beheer): request categories, as data."""
from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from loket.blueprints.beheer import routes  # noqa: E402,F401
