"""The coördinatiepunt's national overview: 2026 targets, loketten and their quality, demand over time.

Aggregates only (DESIGN §7): these pages never show a request's contents or anybody's contact details.
"""
from flask import Blueprint

bp = Blueprint("overzicht", __name__, url_prefix="/overzicht")

from loket.blueprints.overzicht import routes  # noqa: E402,F401
