"""Het clubregister van een loket: alle clubs in zijn gemeenten, import uit CSV; en voor een bond de clubs met zijn sporten."""
from flask import Blueprint

bp = Blueprint("werkgebied", __name__, url_prefix="/werkgebied")

from loket.blueprints.werkgebied import routes  # noqa: E402,F401
