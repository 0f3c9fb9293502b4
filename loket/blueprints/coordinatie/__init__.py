"""The coördinatiepunt's fallback queue (metadata only); the national overview is the `overzicht` blueprint."""
from flask import Blueprint

bp = Blueprint("coordinatie", __name__, url_prefix="/coordinatie")

from loket.blueprints.coordinatie import routes  # noqa: E402,F401
