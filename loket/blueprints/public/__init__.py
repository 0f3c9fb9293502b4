"""Public pages, no login: "Vind je loket", every gemeente's and every loket's public page."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from loket.blueprints.public import routes  # noqa: E402,F401
