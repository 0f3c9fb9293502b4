"""Mijn gebied: what a gemeente's sport officer (role gemeente) and an adviseur lokale sport (role adviseur) see of
their own gemeenten or region — realisation stages, the loketten's quality and audit verdicts, demand.

Aggregates only (DESIGN §7): these pages never show a request's contents or anybody's contact details.
"""
from flask import Blueprint

bp = Blueprint("gebied", __name__, url_prefix="/mijn-gebied")

from loket.blueprints.gebied import routes  # noqa: E402,F401
