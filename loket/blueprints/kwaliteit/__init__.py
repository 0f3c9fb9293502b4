"""Quality: audits by the coördinatiepunt, and a loket's own "waar staan we" page with its self-assessment."""
from flask import Blueprint

bp = Blueprint("kwaliteit", __name__, url_prefix="/kwaliteit")

from loket.blueprints.kwaliteit import routes  # noqa: E402,F401
