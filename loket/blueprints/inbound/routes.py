"""The SendGrid Inbound Parse webhook. SendGrid retries any non-2xx answer for three days, so every mail
it could deliver gets a 200, accepted or not; only a wrong secret (404) and a body that is not an Inbound
Parse payload (400) get anything else."""
import hmac

from flask import abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from loket.access import PUBLIC, allow
from loket.blueprints.inbound import bp
from loket.blueprints.inbound.parsing import read_inbound_post
from loket.services.messaging import inbound as inbound_service


@bp.route("/sendgrid/<secret>", methods=["POST"])
@allow(PUBLIC)
def sendgrid(secret):
    expected = current_app.config.get("INBOUND_SECRET")
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        abort(404)  # unset secret: the endpoint is off
    try:
        form, files = read_inbound_post(request)
        result = inbound_service.receive_inbound(form, files)
    except RequestEntityTooLarge:
        result = inbound_service.reject_unreadable("message larger than MAX_CONTENT_LENGTH")
    except inbound_service.MalformedInbound:
        abort(400)
    return result.outcome, 200, {"Content-Type": "text/plain; charset=utf-8"}
