"""Attachments (issue #14 point 2): the type by content, zip bombs and renamed programs, names, limits per file
and per request, storage on disk and in an S3-compatible store (a real local HTTP server), and that a refused or
failed write leaves no file behind."""
import io
import os

import pytest
from sqlalchemy import func, select

from loket.models import Attachment, Event
from loket.services import file_types, storage
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.requests import attachments, teamwork
from tests.support import attachments as samples
from tests.support.requests import file_request


def _stored_files(app) -> set[str]:
    root = app.config["ATTACHMENT_STORAGE_DIR"]
    return {name for _dir, _dirs, names in os.walk(root) for name in names} if os.path.isdir(root) else set()


@pytest.fixture()
def filed(network):
    return file_request(network, category="overig")


def _upload(data: bytes, name: str):
    from werkzeug.datastructures import FileStorage

    return FileStorage(stream=io.BytesIO(data), filename=name)


# ---------------------------------------------------------------- the type, by content

@pytest.mark.parametrize("data, name, content_type", [
    (samples.PDF, "verslag.pdf", "application/pdf"),
    (samples.PNG, "logo.png", "image/png"),
    (samples.JPEG, "foto.jpg", "image/jpeg"),
    (samples.docx(), "plan.docx", file_types.DOCX),
    (samples.xlsx(), "begroting.xlsx", file_types.XLSX),
    (samples.odt(), "brief.odt", file_types.ODT),
    ("Leden;Aantal\nJeugd;120\n".encode(), "leden.csv", "text/csv"),
    ("Beste loket, één vraag.\n".encode(), "vraag.txt", "text/plain"),
])
def test_allowed_types_are_recognised_by_their_content(app, db, data, name, content_type):
    assert attachments.check_file(name, data).content_type == content_type


@pytest.mark.parametrize("data, name, words", [
    (samples.EXE, "begroting.pdf", "(exe) kan niet als bijlage"),  # a program renamed to .pdf
    (samples.ELF, "foto.png", "(elf) kan niet als bijlage"),
    (samples.plain_zip(), "stukken.docx", "zip-archief kan niet"),
    (samples.zip_bomb(), "bom.docx", "zip-bom"),
    (samples.docx({"word/vbaProject.bin": b"Sub AutoOpen()"}), "macro.docx", "macro"),
    (b"tekst met \x00 een NUL", "notitie.txt", "geen bestand van een toegestaan soort"),
    (b"\xff\xfe niet utf-8 \x80", "oud.txt", "geen bestand van een toegestaan soort"),
    (b"PK\x03\x04 kapot", "kapot.docx", "beschadigd"),
])
def test_refused_types_are_415_with_a_dutch_reason(app, db, data, name, words):
    with pytest.raises(attachments.RefusedFile) as refused:
        attachments.check_file(name, data)
    assert refused.value.status_code == 415 and words in refused.value.message


def test_a_zip_declaring_more_than_the_unpacked_limit_is_refused_without_unpacking(app, db, monkeypatch):
    monkeypatch.setattr(file_types, "ZIP_MAX_UNPACKED", 1024)
    with pytest.raises(attachments.RefusedFile, match="uitgepakt veel te groot"):
        attachments.check_file("groot.docx", samples.docx({"word/media/a.xml": b"<a/>" * 400}))


def test_an_empty_file_is_refused(app, db):
    with pytest.raises(InvalidInput) as error:
        attachments.check_file("leeg.pdf", b"")
    assert error.value.errors == {"attachment": attachments.EMPTY_MESSAGE}


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("typed, kept", [
    ("../../etc/passwd", "passwd.pdf"),
    ("..\\..\\Windows\\rapport.pdf", "rapport.pdf"),
    ("jaar\x00verslag\x1b[31m.pdf", "jaarverslag[31m.pdf"),
    ("\u202efdp.exe.pdf", "fdp.exe.pdf"),  # no right-to-left override to disguise the extension
    ("   ...  ", "bijlage.pdf"),
    ("a:b|c?.pdf", "a_b_c_.pdf"),
    ("Notulen vergadering café.pdf", "Notulen vergadering café.pdf"),
    ("rapport.png", "rapport.png.pdf"),  # the extension follows the content
])
def test_names_lose_folders_and_control_characters_but_stay_readable(app, db, typed, kept):
    assert attachments.check_file(typed, samples.PDF).name == kept


def test_a_long_name_is_cut_keeping_its_extension(app, db):
    name = attachments.check_file("x" * 500 + ".pdf", samples.PDF).name
    assert len(name) == file_types.NAME_MAX and name.endswith(".pdf")


# ---------------------------------------------------------------- limits

def test_a_file_over_the_limit_is_413_and_read_no_further(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1000)
    assert attachments.checked_upload(_upload(samples.PDF + b" " * (1000 - len(samples.PDF)), "a.pdf")).size == 1000
    stream = io.BytesIO(samples.PDF + b" " * 5000)
    with pytest.raises(attachments.FileTooLarge, match="hooguit"):
        attachments.checked_upload(_upload(stream.getvalue(), "a.pdf"))


def test_the_request_total_is_a_limit_too(app, db, network, filed, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_REQUEST_ATTACHMENT_BYTES", 2 * len(samples.PDF))
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    for _ in range(2):
        attachments.attach_as_supporter(access, attachments.check_file("a.pdf", samples.PDF),
                                        actor=network.ondersteuner, internal=False)
    before = _stored_files(app)
    with pytest.raises(attachments.FileTooLarge) as error:
        attachments.attach_as_supporter(access, attachments.check_file("b.pdf", samples.PDF),
                                        actor=network.ondersteuner, internal=False)
    assert error.value.status_code == 413 and "in totaal hooguit" in error.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 2
    assert _stored_files(app) == before


# ---------------------------------------------------------------- who adds, who sees

def test_the_club_sees_public_files_and_the_team_all(app, db, network, filed):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    public = attachments.attach_as_supporter(access, attachments.check_file("voor-club.pdf", samples.PDF),
                                             actor=network.ondersteuner, internal=False)
    internal = attachments.attach_as_supporter(access, attachments.check_file("intern.pdf", samples.PDF),
                                               actor=network.ondersteuner, internal=True)
    assert attachments.visible(filed, include_internal=False) == [public]
    assert attachments.visible(filed, include_internal=True) == [public, internal]
    assert attachments.for_club_contact(network.club_contact, filed.id, public.id) == (public, samples.PDF)
    with pytest.raises(NotFound):
        attachments.for_club_contact(network.club_contact, filed.id, internal.id)
    with pytest.raises(NotFound):
        attachments.for_club_contact(network.other_club_contact, filed.id, public.id)
    with pytest.raises(NotFound):
        attachments.for_supporter(network.ondersteuner_eemland, filed.id, internal.id)
    assert attachments.for_supporter(network.ondersteuner, filed.id, internal.id)[1] == samples.PDF


def test_a_club_cannot_add_an_internal_file(app, db, network, filed):
    with pytest.raises(Forbidden):
        attachments.attach_as_club(filed, attachments.check_file("a.pdf", samples.PDF), actor=network.club_contact,
                                   internal=True)


def test_a_note_with_a_file_is_one_transaction(app, db, network, filed):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    event = attachments.supporter_message(access, actor=network.ondersteuner, body="Zie de begroting.",
                                          internal=True, upload=_upload(samples.xlsx(), "begroting.xlsx"))
    db.session.expire_all()
    stored = db.session.scalar(select(Attachment))
    assert (stored.event_id, stored.internal, stored.name) == (event.id, True, "begroting.xlsx")


def test_a_refused_file_stores_neither_the_message_nor_a_file(app, db, network, filed):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    before = (db.session.scalar(select(func.count()).select_from(Event)), _stored_files(app))
    with pytest.raises(attachments.RefusedFile):
        attachments.supporter_message(access, actor=network.ondersteuner, body="Hier het programma.",
                                      internal=False, upload=_upload(samples.EXE, "programma.pdf"))
    db.session.rollback()
    assert (db.session.scalar(select(func.count()).select_from(Event)), _stored_files(app)) == before


def test_a_transaction_that_fails_after_the_file_was_written_removes_it(app, db, network, filed, monkeypatch):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    before = _stored_files(app)

    def broken_commit():
        raise RuntimeError("database gone")

    monkeypatch.setattr(attachments.transaction, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        attachments.add(filed, attachments.check_file("a.pdf", samples.PDF), actor=network.ondersteuner,
                        internal=False)
    assert len(_stored_files(app)) == len(before) + 1  # written before the row, as designed …
    db.session.rollback()
    assert _stored_files(app) == before  # … and gone when the transaction did not commit
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_files_are_stored_under_random_keys_never_their_names(app, db, network, filed):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    stored = attachments.attach_as_supporter(access, attachments.check_file("../../geheim.pdf", samples.PDF),
                                             actor=network.ondersteuner, internal=False)
    assert storage.KEY_PATTERN.fullmatch(stored.storage_key)
    assert stored.storage_key in _stored_files(app) and not any("geheim" in f for f in _stored_files(app))


# ---------------------------------------------------------------- AVG

def test_removed_files_go_after_the_commit_and_stay_when_it_rolls_back(app, db, network, filed):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    stored = attachments.attach_as_supporter(access, attachments.check_file("a.pdf", samples.PDF),
                                             actor=network.ondersteuner, internal=False)
    key = stored.storage_key
    assert attachments.remove_files(request_ids=[filed.id]) == 1
    db.session.rollback()
    assert key in _stored_files(app)
    assert attachments.remove_files(request_ids=[filed.id]) == 1
    db.session.commit()
    assert key not in _stored_files(app)
    assert attachments.visible(filed, include_internal=True) == []
    assert db.session.get(Attachment, stored.id).name == attachments.REMOVED_NAME


# ---------------------------------------------------------------- the S3 backend, against a real local server

@pytest.fixture(scope="module")
def s3_server():
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=url, region_name="eu-west-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(
        Bucket="loket-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield url
    server.stop()


@pytest.fixture()
def s3_storage(app, s3_server, monkeypatch):
    for name, value in (("ATTACHMENT_S3_BUCKET", "loket-test"), ("ATTACHMENT_S3_ENDPOINT_URL", s3_server),
                        ("ATTACHMENT_S3_ACCESS_KEY_ID", "test"), ("ATTACHMENT_S3_SECRET_ACCESS_KEY", "test")):
        monkeypatch.setitem(app.config, name, value)
    with app.app_context():
        backend = storage.storage()
    assert isinstance(backend, storage.S3Storage)
    return backend  # monkeypatch's undo makes the next test build the local backend again


def test_the_s3_backend_stores_reads_and_deletes_over_http(app, db, network, filed, s3_storage):
    access = teamwork.supporter_access(network.ondersteuner, filed.id)
    stored = attachments.attach_as_supporter(access, attachments.check_file("plan.docx", samples.docx()),
                                             actor=network.ondersteuner, internal=False)
    assert s3_storage.exists(stored.storage_key)
    assert attachments.for_club_contact(network.club_contact, filed.id, stored.id)[1] == samples.docx()
    assert not os.path.exists(os.path.join(app.config["ATTACHMENT_STORAGE_DIR"], stored.storage_key[:2],
                                           stored.storage_key))
    attachments.remove_files(request_ids=[filed.id])
    db.session.commit()
    assert not s3_storage.exists(stored.storage_key)


def test_the_s3_backend_removes_what_a_failed_transaction_wrote(app, db, network, filed, s3_storage):
    key = storage.store_pending(db.session(), samples.PDF, "application/pdf")
    assert s3_storage.exists(key)
    db.session.rollback()
    assert not s3_storage.exists(key)


@pytest.mark.parametrize("size, words", [(10 * 1024 * 1024, "10 MB"), (50 * 1024 * 1024, "50 MB"),
                                         (int(2.5 * 1024 * 1024), "2,5 MB"), (800 * 1024, "800 kB"), (1, "1 kB")])
def test_sizes_are_said_as_people_read_them(size, words):
    assert attachments.megabytes(size) == words
