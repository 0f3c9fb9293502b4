"""Reading an Inbound Parse POST into plain fields, decoded in the charsets SendGrid declares."""
import codecs
import json
from email import policy
from email.parser import BytesParser

from flask import Request, current_app

from loket.services.messaging.inbound import MalformedInbound

UTF8_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii"}


def read_inbound_post(req: Request) -> tuple[dict, list[tuple[str, int, str, bytes]]]:
    """The text fields (str) and attachment files (name, size, content type as declared, bytes) of the POST.

    SendGrid posts each field in the mail's own charset and names it in `charsets`; Werkzeug decodes
    every field as UTF-8, so fields in another charset are decoded again from the raw body.
    Raises MalformedInbound for a body that is not multipart/form-data, and lets Werkzeug's
    RequestEntityTooLarge through.
    """
    if req.mimetype != "multipart/form-data":
        raise MalformedInbound("Inbound Parse posts multipart/form-data.")
    # Long mails (and raw mode's whole MIME message) exceed Flask's 500 kB default for text fields.
    req.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]
    body = req.get_data(cache=True)
    form = {key: req.form.get(key) for key in req.form}
    try:
        charsets = json.loads(form.get("charsets") or "{}")
    except (ValueError, RecursionError):
        charsets = {}
    foreign = {name: charset for name, charset in (charsets.items() if isinstance(charsets, dict) else ())
               if name in form and isinstance(charset, str) and charset.strip().lower() not in UTF8_COMPATIBLE}
    if foreign:
        form.update(_decode_fields(body, req.content_type, foreign))
    files = [(storage.filename or name, _size(storage.stream), storage.mimetype or "application/octet-stream",
              storage.stream.read())
             for name, storage in req.files.items(multi=True)]
    return form, files


def _decode_fields(body: bytes, content_type: str, charsets: dict[str, str]) -> dict[str, str]:
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    decoded = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name not in charsets or part.get_filename():
            continue
        try:
            codec = codecs.lookup(charsets[name].strip()).name
            decoded[name] = (part.get_payload(decode=True) or b"").decode(codec, errors="replace")
        except (LookupError, ValueError):
            # An unknown charset, one that is no text encoding (rot13, base64), one that cannot replace what it
            # fails to read (idna), a name with NUL: keep Werkzeug's UTF-8 reading. (UnicodeError is a ValueError.)
            continue
    return decoded


def _size(stream) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size
