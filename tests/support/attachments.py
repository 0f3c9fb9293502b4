"""Files for attachment tests: real bytes of each allowed type and of the hostile ones (built here, small)."""
import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
# A Windows executable and a Linux one: what a renamed program starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


# Every member dated the same: a zip written by name takes the clock's time, so two builds of one sample in
# different seconds differed and a test comparing a download with a fresh sample failed now and then.
FIXED_DATE = (2026, 1, 1, 0, 0, 0)


def _zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_DATE), data, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>",
                 "word/document.xml": b"<w:document>Hallo</w:document>", **(extra or {})})


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", FIXED_DATE), b"application/vnd.oasis.opendocument.text")
        archive.writestr(zipfile.ZipInfo("content.xml", FIXED_DATE), b"<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    return _zip({"foto.txt": b"geen kantoorbestand"})


def zip_bomb(megabytes: int = 20) -> bytes:
    """An office-looking zip with one member of `megabytes` zeros (about 20 kB packed: a ratio of ~1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/bom.bin", "w") as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def upload(data: bytes, name: str):
    """A file part for the test client: (stream, filename)."""
    return (io.BytesIO(data), name)
