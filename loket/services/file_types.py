"""What an uploaded file is, read from its content and never from its name, and a name fit to show and to send
back in a Content-Disposition header.

`content_type_of(data, name)` accepts an allow-list: PDF, PNG, JPEG, GIF and WebP (by their signatures, with the
`filetype` library); Word, Excel and PowerPoint (OOXML) and OpenDocument text — zips, so the zip itself is
inspected with the standard `zipfile` module: its members must name the office format (a plain zip is refused),
there may not be too many, their declared total size when unpacked is bounded and so is each one's compression
ratio (a zip bomb is refused without unpacking it), and a macro-enabled document is refused; and plain text or
CSV (valid UTF-8 without NUL or other control characters than tab, line breaks and form feed). Anything else —
an executable renamed to .pdf, a script, HTML as a binary — is refused with a Dutch reason.

`safe_name(name)` keeps a readable name: no folders (../), no control or direction-changing characters, no
characters Windows refuses, at most NAME_MAX characters with its extension kept; the extension of the type that
was found is added when the name's own does not fit it (so a PNG called rapport.pdf downloads as
rapport.pdf.png).
"""
import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

NAME_MAX = 120
FALLBACK_NAME = "bijlage"

# Recognised by their signature.
SIGNATURE_TYPES = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
# Recognised by the members of their zip.
OFFICE_TYPES = {DOCX: ("docx",), XLSX: ("xlsx",), PPTX: ("pptx",), ODT: ("odt",)}
OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
TEXT_TYPES = {"text/plain": ("txt", "text", "md", "log"), "text/csv": ("csv",)}
EXTENSIONS = {**SIGNATURE_TYPES, **OFFICE_TYPES, **TEXT_TYPES}
# What the refusal says people may attach.
ALLOWED_WORDS = "PDF, afbeeldingen (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, OpenDocument-tekst, tekst en CSV"

# A zip's limits: members, their declared size when unpacked, and the compression ratio of any one member.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 1024 * 1024  # small members may compress well (XML of an empty sheet): ratio counts above this

TEXT_CONTROLS_ALLOWED = "\t\n\r\f"
WINDOWS_FORBIDDEN = '<>:"/\\|?*'


class RefusedType(ValueError):
    """The content is not of an allowed type; the message is the Dutch reason."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]


def content_type_of(data: bytes, name: str = "") -> FileType:
    """The allowed type `data` holds (`name` only tells plain text from CSV). :raises RefusedType: with why."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        mime = _office_type(data)
        return FileType(mime, OFFICE_TYPES[mime])
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime in SIGNATURE_TYPES:
            return FileType(kind.mime, SIGNATURE_TYPES[kind.mime])
        raise RefusedType(f"Dit soort bestand ({kind.extension}) kan niet als bijlage. Toegestaan: {ALLOWED_WORDS}.")
    if _is_text(data):
        csv = name.lower().endswith(".csv")
        mime = "text/csv" if csv else "text/plain"
        return FileType(mime, TEXT_TYPES[mime])
    raise RefusedType(f"Dit bestand is geen bestand van een toegestaan soort. Toegestaan: {ALLOWED_WORDS}. "
                      "Het soort wordt aan de inhoud herkend, niet aan de naam.")


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in TEXT_CONTROLS_ALLOWED for ch in text)


def _office_type(data: bytes) -> str:
    """The office format a zip is, after checking it is no zip bomb. :raises RefusedType:"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise RefusedType(f"Dit archief heeft meer dan {ZIP_MAX_MEMBERS} bestanden; dat nemen we niet aan.")
            unpacked = sum(member.file_size for member in members)
            if unpacked > ZIP_MAX_UNPACKED:
                raise RefusedType("Dit bestand wordt uitgepakt veel te groot (een ‘zip-bom’?); dat nemen we niet aan.")
            for member in members:
                if member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * max(
                        member.compress_size, 1):
                    raise RefusedType("Dit bestand is verdacht sterk ingepakt (een ‘zip-bom’?); dat nemen we niet aan.")
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise RefusedType("Een document met macro's kan niet als bijlage; sla het op zonder macro's.")
            if "[Content_Types].xml" in names:
                for part, mime in OOXML_MAIN_PART.items():
                    if part in names:
                        return mime
            if "mimetype" in names and archive.read("mimetype")[:100].strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError) as error:
        if isinstance(error, RefusedType):
            raise
        raise RefusedType("Dit bestand is een beschadigd of onleesbaar archief.") from None
    raise RefusedType("Een zip-archief kan niet als bijlage; van de ingepakte soorten alleen Word, Excel, PowerPoint "
                      "en OpenDocument-tekst.")


def safe_name(name: str | None, file_type: FileType | None = None) -> str:
    """A readable name without folders or control characters, at most NAME_MAX characters, extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # no folders, also not Windows ones
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue  # control, format (right-to-left override …), surrogates, private use, unassigned
        kept.append("_" if ch in WINDOWS_FORBIDDEN else (" " if category.startswith("Z") else ch))
    name = " ".join("".join(kept).split()).strip(" .")
    stem, extension = os.path.splitext(name)
    if file_type is not None and extension.lower().lstrip(".") not in file_type.extensions:
        stem, extension = name, "." + file_type.extensions[0]
    stem = stem.strip(" .") or FALLBACK_NAME
    if len(extension) > 16:  # no real extension: part of the name
        stem, extension = stem + extension, ""
    return stem[:NAME_MAX - len(extension)].rstrip(" .") + extension
