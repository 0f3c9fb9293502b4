"""Afspraken met bonden: the coördinatiepunt's list of every bond and brancheorganisatie with the state of its
agreements, one bond's page (what routes now, a pending proposal beside it, the history), the lead's proposal
form, and the coördinatiepunt confirming or rejecting a proposal (services/network/agreements)."""
from flask import Blueprint

bp = Blueprint("afspraken", __name__, url_prefix="/afspraken")

from loket.blueprints.afspraken import routes  # noqa: E402,F401
