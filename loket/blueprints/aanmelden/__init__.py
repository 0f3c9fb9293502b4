"""Registering a club (or joining one) with one's own account, and the loket's aanmeldingen."""
from flask import Blueprint

bp = Blueprint("aanmelden", __name__)

from loket.blueprints.aanmelden import routes  # noqa: E402,F401
