"""Teams die zichzelf beheren: leden, uitnodigingen, coördinatoren."""
from flask import Blueprint

bp = Blueprint("team", __name__, url_prefix="/team")

from loket.blueprints.team import routes  # noqa: E402,F401
