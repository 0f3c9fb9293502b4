"""The file field of the reply and note forms (club and queue): one optional file, checked by the attachments
service (size, type by content, name) — the field only carries it. Its form must be posted as multipart."""
from flask import current_app
from flask_wtf.file import FileField
from markupsafe import escape

from loket.services.file_types import ALLOWED_WORDS


def attachment_field(field_id: str, who_sees: str) -> FileField:
    return FileField("Bijlage (optioneel)", id=field_id, description=AttachmentHint(who_sees))


class AttachmentHint:
    """The field's hint, with the limit as configured when the page is rendered."""

    def __init__(self, who_sees: str):
        self.who_sees = who_sees

    def __str__(self):
        from loket.services.requests.attachments import megabytes

        limit = megabytes(current_app.config["MAX_ATTACHMENT_BYTES"])
        return f"Eén bestand van hooguit {limit}: {ALLOWED_WORDS}. {self.who_sees}"

    def __html__(self):
        return str(escape(str(self)))
