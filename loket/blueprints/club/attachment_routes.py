"""Downloading an attachment of one of the club's requests: its public files only (an internal note's file does
not exist for a club: 404, as for another club's)."""
from flask_login import current_user

from loket.access import allow
from loket.blueprints.club import bp
from loket.blueprints.downloads import attachment_response
from loket.blueprints.forms_support import or_404
from loket.services.requests import attachments


@bp.get("/aanvragen/<int:request_id>/bijlagen/<int:attachment_id>")
@allow("club")
def attachment(request_id, attachment_id):
    return attachment_response(*or_404(attachments.for_club_contact, current_user, request_id, attachment_id))
