"""The landelijk coördinatiepunt: fallback queue (metadata only); overview comes later."""
from flask import Blueprint

bp = Blueprint("coordinatie", __name__, url_prefix="/coordinatie")

from loket.blueprints.coordinatie import routes  # noqa: E402,F401
