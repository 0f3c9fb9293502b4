"""Attachments over the API (issue #14 point 2): POST multipart → 201 {id, name, size, content_type, internal};
the list and the download show what the caller may read; 404 for anyone else; 413 over the limit; 415 for a
refused type or a body that is not multipart; every answer as the OpenAPI document says."""
import io

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Attachment
from tests.support import attachments as samples
from tests.support.api import assert_problem
from tests.support.requests import file_request


@pytest.fixture()
def filed(network):
    return file_request(network, category="overig")


def _upload(client, request_id, data, name, **fields):
    return client.post(f"/requests/{request_id}/attachments",
                       data={"file": (io.BytesIO(data), name), **fields}, content_type="multipart/form-data")


def _count():
    return _db.session.scalar(select(func.count()).select_from(Attachment))


def test_a_supporter_uploads_and_the_answer_is_201_with_the_shape(api, filed):
    response = _upload(api("ondersteuner"), filed.id, samples.PDF, "../offerte.pdf")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body == {"id": body["id"], "name": "offerte.pdf", "size": len(samples.PDF),
                    "content_type": "application/pdf", "internal": False}
    assert response.headers["Location"].endswith(f"/api/v1/requests/{filed.id}/attachments/{body['id']}")


def test_the_club_lists_and_downloads_public_files_and_never_internal_ones(api, filed):
    supporter, club = api("ondersteuner"), api("club_contact")
    public = _upload(supporter, filed.id, samples.PNG, "plattegrond.png").get_json()
    internal = _upload(supporter, filed.id, samples.docx(), "notities.docx", internal="true").get_json()
    assert internal["internal"] is True
    assert [a["id"] for a in club.get(f"/requests/{filed.id}/attachments").get_json()["items"]] == [public["id"]]
    assert [a["id"] for a in supporter.get(f"/requests/{filed.id}/attachments").get_json()["items"]] == [
        public["id"], internal["id"]]
    download = club.get(f"/requests/{filed.id}/attachments/{public['id']}")
    assert (download.status_code, download.data, download.mimetype) == (200, samples.PNG, "image/png")
    assert download.headers["Content-Disposition"] == "attachment; filename=plattegrond.png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert_problem(club.get(f"/requests/{filed.id}/attachments/{internal['id']}"), 404)
    assert supporter.get(f"/requests/{filed.id}/attachments/{internal['id']}").data == samples.docx()


def test_a_club_uploads_public_files_only(api, filed):
    club = api("club_contact")
    assert _upload(club, filed.id, samples.PDF, "a.pdf").status_code == 201
    before = _count()
    assert_problem(_upload(club, filed.id, samples.PDF, "a.pdf", internal="true"), 403)
    assert _count() == before


def test_anyone_who_may_not_read_the_request_gets_404(api, filed):
    attachment = _upload(api("ondersteuner"), filed.id, samples.PDF, "a.pdf").get_json()
    before = _count()
    for who in ("other_club_contact", "ondersteuner_eemland"):
        client = api(who)
        assert_problem(client.get(f"/requests/{filed.id}/attachments"), 404)
        assert_problem(client.get(f"/requests/{filed.id}/attachments/{attachment['id']}"), 404)
        assert_problem(_upload(client, filed.id, samples.PDF, "b.pdf"), 404)
    assert _count() == before


def test_another_requests_attachment_id_is_404(api, network, filed):
    supporter = api("ondersteuner")
    attachment = _upload(supporter, filed.id, samples.PDF, "a.pdf").get_json()
    other = file_request(network, category="overig", title="Andere vraag")
    assert_problem(supporter.get(f"/requests/{other.id}/attachments/{attachment['id']}"), 404)
    assert_problem(supporter.get(f"/requests/{filed.id}/attachments/{attachment['id'] + 1}"), 404)


def test_a_renamed_program_is_415_in_dutch(api, filed):
    problem = assert_problem(_upload(api("ondersteuner"), filed.id, samples.EXE, "offerte.pdf"), 415,
                             contains="kan niet als bijlage")
    assert "errors" not in problem
    assert_problem(_upload(api("ondersteuner"), filed.id, samples.zip_bomb(), "bom.docx"), 415, contains="zip-bom")
    assert _count() == 0


def test_a_file_over_the_limit_is_413_in_dutch(app, api, filed, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 2048)
    client = api("ondersteuner")
    # Just over the limit: read and refused by the service; far over: refused by its length before reading.
    assert_problem(_upload(client, filed.id, samples.PDF + b" " * 2048, "a.pdf"), 413, contains="hooguit")
    assert_problem(_upload(client, filed.id, samples.PDF + b" " * 200_000, "a.pdf"), 413, contains="hooguit")
    monkeypatch.setitem(app.config, "MAX_REQUEST_ATTACHMENT_BYTES", 2 * len(samples.PDF))
    assert _upload(client, filed.id, samples.PDF, "a.pdf").status_code == 201
    assert _upload(client, filed.id, samples.PDF, "b.pdf").status_code == 201
    assert_problem(_upload(client, filed.id, samples.PDF, "c.pdf"), 413, contains="in totaal")
    assert _count() == 2


def test_a_body_that_is_not_multipart_is_415_and_a_missing_file_422(api, filed):
    client = api("ondersteuner")
    assert_problem(client.post(f"/requests/{filed.id}/attachments", json={"file": "x"}), 415,
                   contains="multipart/form-data")
    assert_problem(client.post(f"/requests/{filed.id}/attachments", data={"internal": "true"},
                               content_type="multipart/form-data"), 422, field="file")
    assert_problem(client.post(f"/requests/{filed.id}/attachments", data={"file": "geen bestand"},
                               content_type="multipart/form-data"), 422, field="file")
    assert_problem(_upload(client, filed.id, samples.PDF, "a.pdf", internal="misschien"), 422, field="internal")
    assert _count() == 0


def test_an_upload_with_an_idempotency_key_is_stored_once(api, filed):
    client = api("ondersteuner")
    body = (b"--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n" + samples.PDF + b"\r\n--grens--\r\n")
    answers = [client.post(f"/requests/{filed.id}/attachments", data=body,
                           headers={"Idempotency-Key": "bijlage-1",
                                    "Content-Type": "multipart/form-data; boundary=grens"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    assert answers[1].get_json() == answers[0].get_json() and _count() == 1


def test_a_file_store_that_is_down_is_a_503_problem_and_nothing_is_stored(api, filed, monkeypatch):
    from loket.services import storage

    def unavailable(self, key, data, content_type):
        raise storage.StorageError("S3 weg")

    monkeypatch.setattr(storage.LocalStorage, "put", unavailable)
    answer = _upload(api("ondersteuner"), filed.id, samples.PDF, "offerte.pdf")
    assert_problem(answer, 503, contains="niet bereikbaar")
    assert _count() == 0
