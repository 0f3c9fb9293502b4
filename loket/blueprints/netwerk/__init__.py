"""Het netwerk beheren: loketten (status, gemeenten, aangehaakt, geschiedenis) en de realisatiefase van gemeenten (beheer en coördinatiepunt)."""
from flask import Blueprint

bp = Blueprint("netwerk", __name__, url_prefix="/netwerk")

from loket.blueprints.netwerk import routes  # noqa: E402,F401
