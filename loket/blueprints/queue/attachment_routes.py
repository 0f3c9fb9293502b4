"""Downloading a request's attachment from the queue: any file of the request, internal ones too, for the teams
working on it (teamwork.supporter_access); 404 for everyone else."""
from flask_login import current_user

from loket.access import SUPPORTERS, allow
from loket.blueprints.downloads import attachment_response
from loket.blueprints.forms_support import or_404
from loket.blueprints.queue import bp
from loket.services.requests import attachments


@bp.get("/<int:request_id>/bijlagen/<int:attachment_id>")
@allow(*SUPPORTERS)
def attachment(request_id, attachment_id):
    return attachment_response(*or_404(attachments.for_supporter, current_user, request_id, attachment_id))
