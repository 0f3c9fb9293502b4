"""Club profiles: kind, sports, KvK number, basiseisen and contact persons, kept up to date."""
from flask import Blueprint

bp = Blueprint("profiel", __name__, url_prefix="/clubs")

from loket.blueprints.profiel import routes  # noqa: E402,F401
