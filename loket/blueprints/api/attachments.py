"""Attachments of a request over the API: upload (multipart/form-data), list, download.

Who sees what is the requests services' rule (lookups.request_for): a club contact its clubs' requests and their
public files; a supporter of a team working on the request every file, internal ones too. Anyone else: 404.
"""
from flask import url_for
from flask_login import current_user
from spectree import Response

from loket.blueprints.api import bp
from loket.blueprints.api.attachment_schemas import Attachment as AttachmentShape
from loket.blueprints.api.attachment_schemas import AttachmentList, AttachmentUpload
from loket.blueprints.api import lookups
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.requests import AANVRAGEN, READERS
from loket.blueprints.api.serializers import SUPPORTER
from loket.blueprints.downloads import attachment_response
from loket.access import allow
from loket.services.errors import InvalidInput
from loket.services.requests import attachments

FILE_MISSING = "Stuur een bestand mee in het deel ‘file’ (multipart/form-data)."


def _shape(attachment) -> dict:
    return {"id": attachment.id, "name": attachment.name, "size": attachment.size,
            "content_type": attachment.content_type, "internal": attachment.internal}


def _reader(request_id):
    """(audience, the request, whether internal files are the caller's to see)."""
    audience, subject = lookups.request_for(current_user, request_id)
    supporter = audience == SUPPORTER
    return subject, (subject.request if supporter else subject), supporter


@bp.post("/requests/<int:request_id>/attachments")
@allow(*READERS)
@spec.validate(form=AttachmentUpload,
               resp=Response("HTTP_400", "HTTP_413", "HTTP_415", "HTTP_422", "HTTP_503", HTTP_201=AttachmentShape), tags=AANVRAGEN)
def upload_attachment(request_id, form: AttachmentUpload):
    """Voeg een bijlage toe aan de aanvraag (multipart/form-data, het bestand in het deel `file`).

    Het soort wordt aan de inhoud herkend, niet aan de naam: een ander soort dan PDF, afbeelding (PNG, JPEG, GIF,
    WebP), Word, Excel, PowerPoint, OpenDocument-tekst, tekst of CSV geeft 415. Groter dan de grens per bestand
    (standaard 10 MB) of samen met de andere bijlagen boven de grens per aanvraag (standaard 50 MB): 413.
    `internal=true` (alleen ondersteuners van een team dat notities mag plaatsen; een club krijgt 403) maakt de
    bijlage onzichtbaar voor de club.
    """
    subject, _request, supporter = _reader(request_id)
    file = attachments.checked_upload(form.file, field="file")
    if file is None:
        raise InvalidInput({"file": FILE_MISSING})
    internal = form.internal == "true"
    if supporter:
        attachment = attachments.attach_as_supporter(subject, file, actor=current_user, internal=internal)
    else:
        attachment = attachments.attach_as_club(subject, file, actor=current_user, internal=internal)
    return _shape(attachment), 201, {"Location": url_for("api.get_attachment", request_id=request_id,
                                                         attachment_id=attachment.id)}


@bp.get("/requests/<int:request_id>/attachments")
@allow(*READERS)
@spec.validate(resp=Response(HTTP_200=AttachmentList), tags=AANVRAGEN)
def list_attachments(request_id):
    """De bijlagen van de aanvraag die je mag zien (clubs: zonder de interne), oudste eerst."""
    _subject, request, supporter = _reader(request_id)
    return {"items": [_shape(a) for a in attachments.visible(request, include_internal=supporter)]}


@bp.get("/requests/<int:request_id>/attachments/<int:attachment_id>")
@allow(*READERS)
@spec.validate(resp=Response("HTTP_503", HTTP_200=None), tags=AANVRAGEN)
def get_attachment(request_id, attachment_id):
    """De inhoud van een bijlage, als download (`Content-Disposition: attachment`), met het soort dat bij het
    opslaan aan de inhoud werd herkend. Een interne bijlage bestaat voor een club niet (404)."""
    _subject, request, supporter = _reader(request_id)
    attachment = attachments.for_reader(request, attachment_id, include_internal=supporter)
    return attachment_response(attachment, attachments.contents(attachment))
