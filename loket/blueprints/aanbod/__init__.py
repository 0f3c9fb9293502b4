"""The support offer catalogue: teams manage their own offers; every logged-in user can read them."""
from flask import Blueprint

bp = Blueprint("aanbod", __name__, url_prefix="/aanbod")

from loket.blueprints.aanbod import routes  # noqa: E402,F401
