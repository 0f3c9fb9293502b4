"""Platform administration (beheer): bonden, region sets, users and their roles, request categories as data, and
the outbox of sent and failed messages, the AVG (export, erasure) and the audit log."""
from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from loket.blueprints.beheer import bonden, regios, routes, users  # noqa: E402,F401
from loket.blueprints.beheer import initiatieven, privacy  # noqa: E402,F401
