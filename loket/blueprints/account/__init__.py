"""A user's own account: notification preferences, password, email address, signing out everywhere."""
from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from loket.blueprints.account import routes  # noqa: E402,F401
