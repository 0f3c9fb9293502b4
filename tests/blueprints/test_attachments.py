"""Attachments on the web (issue #14 point 2): the file fields of the club's reply and the supporter's reply and
note, the files beside their message on both timelines, and the downloads — the club its public files only,
another club or team a 404, with the headers that keep a browser from running a file."""
import re

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Attachment, AuditEntry, Event
from tests.support import attachments as samples
from tests.support.requests import file_request, request_form


@pytest.fixture()
def filed(network):
    return file_request(network, category="overig")


def _files() -> list[tuple]:
    return [(a.name, a.internal, a.event.kind if a.event else None)
            for a in _db.session.scalars(select(Attachment).order_by(Attachment.id))]


def _counts():
    return (_db.session.scalar(select(func.count()).select_from(Event)),
            _db.session.scalar(select(func.count()).select_from(Attachment)))


def test_the_message_forms_post_multipart_with_a_file_field(login_as, filed):
    page = login_as("ondersteuner").get(f"/wachtrij/{filed.id}").get_data(as_text=True)
    forms = re.findall(r'<form[^>]*action="/wachtrij/\d+/bericht"[^>]*>.*?</form>', page, flags=re.S)
    assert len(forms) == 2
    for form in forms:
        assert 'enctype="multipart/form-data"' in form and 'type="file"' in form and 'name="csrf_token"' in form
    club_page = login_as("club_contact").get(f"/club/aanvragen/{filed.id}").get_data(as_text=True)
    (reply,) = re.findall(r'<form[^>]*action="/club/aanvragen/\d+/reactie"[^>]*>.*?</form>', club_page, flags=re.S)
    assert 'enctype="multipart/form-data"' in reply and 'type="file"' in reply and "hooguit 10 MB" in club_page


def test_a_supporter_attaches_a_pdf_for_the_club_and_an_internal_file_the_club_never_sees(login_as, network, filed):
    supporter, club = login_as("ondersteuner"), login_as("club_contact")
    assert supporter.post(f"/wachtrij/{filed.id}/bericht", data={
        "body": "Hierbij het subsidieformulier.", "attachment": samples.upload(samples.PDF, "subsidie.pdf")},
        content_type="multipart/form-data").status_code == 302
    assert supporter.post(f"/wachtrij/{filed.id}/bericht", data={
        "body": "Onze rekensom.", "internal": "y", "attachment": samples.upload(samples.xlsx(), "intern.xlsx")},
        content_type="multipart/form-data").status_code == 302
    assert _files() == [("subsidie.pdf", False, "public_reply"), ("intern.xlsx", True, "internal_note")]
    public, internal = _db.session.scalars(select(Attachment).order_by(Attachment.id))

    club_page = club.get(f"/club/aanvragen/{filed.id}").get_data(as_text=True)
    assert f'/club/aanvragen/{filed.id}/bijlagen/{public.id}"' in club_page and "intern.xlsx" not in club_page
    staff_page = supporter.get(f"/wachtrij/{filed.id}").get_data(as_text=True)
    assert "subsidie.pdf" in staff_page and f'/wachtrij/{filed.id}/bijlagen/{internal.id}"' in staff_page

    download = club.get(f"/club/aanvragen/{filed.id}/bijlagen/{public.id}")
    assert download.status_code == 200 and download.data == samples.PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=subsidie.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    assert "sandbox" in download.headers["Content-Security-Policy"]  # opened anyway, it runs nothing
    assert club.get(f"/club/aanvragen/{filed.id}/bijlagen/{internal.id}").status_code == 404
    assert supporter.get(f"/wachtrij/{filed.id}/bijlagen/{internal.id}").data == samples.xlsx()
    # staff reading a request's file is in the audit log, as reading the request is
    assert _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "request_read",
                                                       AuditEntry.label == "queue.attachment")).subject_id == filed.id


def test_other_clubs_and_teams_get_404(login_as, network, filed):
    supporter = login_as("ondersteuner")
    supporter.post(f"/wachtrij/{filed.id}/bericht", data={
        "body": "Zie bijlage.", "attachment": samples.upload(samples.PDF, "a.pdf")}, content_type="multipart/form-data")
    attachment_id = _db.session.scalar(select(Attachment.id))
    assert login_as("other_club_contact").get(f"/club/aanvragen/{filed.id}/bijlagen/{attachment_id}").status_code == 404
    assert login_as("ondersteuner_eemland").get(f"/wachtrij/{filed.id}/bijlagen/{attachment_id}").status_code == 404
    assert supporter.get(f"/wachtrij/{filed.id}/bijlagen/{attachment_id + 1}").status_code == 404
    other = file_request(network, category="overig", title="Andere vraag")
    assert supporter.get(f"/wachtrij/{other.id}/bijlagen/{attachment_id}").status_code == 404


def test_a_non_ascii_name_is_sent_as_rfc_5987(login_as, filed):
    club = login_as("club_contact")
    club.post(f"/club/aanvragen/{filed.id}/reactie", data={
        "body": "Het verslag.", "attachment": samples.upload(samples.PDF, "Verslag ’25 één.pdf")},
        content_type="multipart/form-data")
    attachment = _db.session.scalar(select(Attachment))
    disposition = club.get(f"/club/aanvragen/{filed.id}/bijlagen/{attachment.id}").headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''Verslag%20%E2%80%9925%20%C3%A9%C3%A9n.pdf" in disposition
    assert (attachment.internal, attachment.uploaded_by_id is not None) == (False, True)


def test_a_renamed_program_is_415_in_dutch_and_nothing_is_stored(login_as, filed):
    before = _counts()
    response = login_as("club_contact").post(f"/club/aanvragen/{filed.id}/reactie", data={
        "body": "De begroting.", "attachment": samples.upload(samples.EXE, "begroting.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 415
    assert "kan niet als bijlage" in response.get_data(as_text=True)
    assert 'id="reply-attachment-error"' in response.get_data(as_text=True)
    assert _counts() == before


def test_a_file_over_the_limit_is_413_in_dutch_beside_the_field(app, login_as, filed, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024)
    before = _counts()
    response = login_as("ondersteuner").post(f"/wachtrij/{filed.id}/bericht", data={
        "body": "Groot.", "internal": "y", "attachment": samples.upload(samples.PDF + b" " * 2000, "groot.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "te groot" in page and 'id="note-attachment-error"' in page
    assert _counts() == before


def test_a_body_over_max_content_length_is_a_dutch_413_page(app, login_as, filed, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = login_as("club_contact").post(f"/club/aanvragen/{filed.id}/reactie", data={
        "body": "Heel groot.", "attachment": samples.upload(samples.PDF + b" " * 8000, "groot.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Wat je verstuurde is te groot. Een bijlage mag hooguit 10 MB zijn" in response.get_data(as_text=True)


def test_a_reply_without_a_file_still_works_and_a_text_value_in_the_file_field_is_no_file(login_as, filed):
    club = login_as("club_contact")
    assert club.post(f"/club/aanvragen/{filed.id}/reactie", data={"body": "Zonder bijlage."}).status_code == 302
    assert club.post(f"/club/aanvragen/{filed.id}/reactie",
                     data={"body": "Tekst in het bestandsveld.", "attachment": "a\x00b"}).status_code == 302
    assert _files() == []


def test_a_club_files_a_new_request_with_a_file_and_both_sides_see_it_with_the_question(login_as, network):
    club = login_as("club_contact")
    response = club.post("/club/aanvragen/nieuw", data={
        **request_form(network, category="overig", title="Met plattegrond"),
        "attachment": samples.upload(samples.PNG, "plattegrond.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = _db.session.scalar(select(Attachment))
    assert (attachment.name, attachment.event_id, attachment.internal) == ("plattegrond.png", None, False)
    request_id = attachment.request_id
    assert f"/club/aanvragen/{request_id}/bijlagen/{attachment.id}" in club.get(
        f"/club/aanvragen/{request_id}").get_data(as_text=True)
    assert f"/wachtrij/{request_id}/bijlagen/{attachment.id}" in login_as("ondersteuner").get(
        f"/wachtrij/{request_id}").get_data(as_text=True)


def test_a_new_request_with_a_refused_file_is_not_filed(login_as, network):
    before = _counts()
    response = login_as("club_contact").post("/club/aanvragen/nieuw", data={
        **request_form(network, category="overig", title="Met programma"),
        "attachment": samples.upload(samples.ELF, "plattegrond.png")}, content_type="multipart/form-data")
    assert response.status_code == 415 and 'id="request-attachment-error"' in response.get_data(as_text=True)
    assert _counts() == before


def test_a_file_store_that_is_down_is_a_dutch_503_and_nothing_is_stored(login_as, filed, monkeypatch):
    from loket.services import storage

    def unavailable(self, key, data, content_type):
        raise storage.StorageError("disk full")

    monkeypatch.setattr(storage.LocalStorage, "put", unavailable)
    before = _counts()
    page = login_as("club_contact").post(f"/club/aanvragen/{filed.id}/reactie", data={
        "body": "Met de begroting.", "attachment": samples.upload(samples.PDF, "begroting.pdf")},
        content_type="multipart/form-data")
    assert page.status_code == 503
    assert "De bestanden zijn even niet bereikbaar. Er is niets opgeslagen" in page.get_data(as_text=True)
    assert _counts() == before
