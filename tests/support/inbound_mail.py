"""SendGrid's own Inbound Parse sample bodies (shipped in the `sendgrid` package), edited field by field.

The files are read directly: importing sendgrid.helpers.inbound needs PyYAML, which Loket does not use.
"""
from email import message_from_bytes, policy
from pathlib import Path

import sendgrid

SAMPLE_DIR = Path(sendgrid.__file__).resolve().parent / "helpers" / "inbound" / "sample_data"
BOUNDARY = b"xYzZY"
CONTENT_TYPE = "multipart/form-data; boundary=xYzZY"


def sample_parts(name: str) -> list[tuple[bytes, bytes]]:
    """The (part headers, value) pairs of a sample body, in order, byte for byte."""
    body = (SAMPLE_DIR / name).read_bytes()
    assert body, f"{name} is empty in this sendgrid release"
    parts = []
    for chunk in body.split(b"--" + BOUNDARY)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        headers, _, value = chunk[1:].partition(b"\n\n")
        parts.append((headers, value[:-1] if value.endswith(b"\n") else value))
    return parts


def field_name(headers: bytes) -> str:
    return headers.split(b'name="', 1)[1].split(b'"', 1)[0].decode()


def sample_fields(name: str) -> dict[str, str]:
    return {field_name(headers): value.decode("utf-8") for headers, value in sample_parts(name)}


def sample_body(name: str = "default_data.txt", *, fields: dict | None = None, drop=(),
                files: list[tuple[str, str, str, bytes]] = (), charset: str = "utf-8") -> bytes:
    """The sample with some fields replaced or added (str values, encoded in `charset`), some dropped,
    and attachment files (field, filename, content type, bytes) added, as SendGrid posts them."""
    fields = dict(fields or {})
    out = []
    for headers, value in sample_parts(name):
        key = field_name(headers)
        if key in drop:
            continue
        if key in fields:
            value = fields.pop(key).encode(charset)
        out.append((headers, value))
    for key, value in fields.items():
        out.append((f'Content-Disposition: form-data; name="{key}"'.encode(), value.encode(charset)))
    for key, filename, content_type, data in files:
        out.append((f'Content-Disposition: form-data; name="{key}"; filename="{filename}"\n'
                    f"Content-Type: {content_type}".encode(), data))
    body = b"".join(b"--" + BOUNDARY + b"\n" + headers + b"\n\n" + value + b"\n" for headers, value in out)
    return body + b"--" + BOUNDARY + b"--\n"


def sample_attachment() -> tuple[str, str, bytes]:
    """The JPEG attached to SendGrid's raw sample: (filename, content type, bytes)."""
    raw = sample_fields("raw_data_with_attachments.txt")["email"]
    message = message_from_bytes(raw.encode("utf-8"), policy=policy.default)
    part = next(message.iter_attachments())
    return part.get_filename(), part.get_content_type(), part.get_payload(decode=True)


def with_header(headers: str, name: str, value: str) -> str:
    """The `headers` field with one more header line."""
    return headers.rstrip("\n") + f"\n{name}: {value}\n"
