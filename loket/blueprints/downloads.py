"""The one way a stored attachment is sent: as a download, never shown inline, with the type found when it was
stored and `X-Content-Type-Options: nosniff`; the name in Content-Disposition as RFC 6266/5987 asks (an ASCII
fallback and `filename*=UTF-8''…` for other characters)."""
import io

from flask import send_file


def attachment_response(attachment, data: bytes):
    response = send_file(io.BytesIO(data), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.name, conditional=False, etag=False, max_age=0)
    response.direct_passthrough = False  # the answer's hooks (validation, audit) may read it: it is small
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response
