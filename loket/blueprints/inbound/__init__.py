"""Inbound email webhooks (SendGrid Inbound Parse): replies and new requests by mail."""
from flask import Blueprint

from loket.extensions import csrf

bp = Blueprint("inbound", __name__, url_prefix="/inbound")
# A mail provider posts here without a browser session; the secret in the URL authenticates it.
csrf.exempt(bp)

from loket.blueprints.inbound import routes  # noqa: E402,F401
