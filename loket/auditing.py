"""What the audit log learns from the web layer without any view taking part: a page or API answer that refused
a signed-in person (403), and staff opening a request's contents. Logins, role changes, exports and erasures are
recorded by the services that do them (services/audit.py)."""
import logging

from flask import g, request

from loket.extensions import db
from loket.services import audit

log = logging.getLogger(__name__)

# Endpoints whose 200 answer shows a request's contents, with the view argument naming the request.
REQUEST_READS = {"queue.detail": "request_id", "api.get_request": "request_id",
                 "coordinatie.hand_over_request": "request_id",
                 # a request's file is its contents too
                 "queue.attachment": "request_id", "api.get_attachment": "request_id"}
# Reading one's own club's request is not a staff read.
STAFF_ROLES = ("clubondersteuner", "bondsspecialist", "initiatiefmedewerker", "coordinatiepunt", "beheer")


def init_app(app):
    @app.after_request
    def record_in_audit_log(response):
        user = g.get("_login_user")
        # is_anonymous needs no database read (is_authenticated would reload an expired user row).
        if user is None or getattr(user, "is_anonymous", True):
            return response
        if response.status_code == 403:
            _record("permission_denied", user, subject_kind="route", label=request.endpoint or request.path)
        elif (response.status_code == 200 and request.method == "GET" and request.endpoint in REQUEST_READS
              and user.has_role(*STAFF_ROLES)):
            request_id = (request.view_args or {}).get(REQUEST_READS[request.endpoint])
            _record("request_read", user, subject_kind="request", subject_id=request_id, label=request.endpoint)
        return response


def _record(action, user, **fields):
    """Record in a transaction of its own; an audit entry that cannot be written never turns an answer into an
    error (it is logged instead)."""
    try:
        audit.record_alone(action, actor=user, client_address=request.remote_addr, **fields)
    except Exception:  # noqa: BLE001 - e.g. the database went away after the view answered
        db.session.rollback()
        log.exception("Could not write the audit entry %s for user %s", action, getattr(user, "id", None))
