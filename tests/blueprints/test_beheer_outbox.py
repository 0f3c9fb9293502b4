"""Beheer reads the outbox (failed rows with their reason), previews mails in development, retries failures."""
import re
from datetime import timedelta
from pathlib import Path

import pytest

from loket.extensions import db as _db
from loket.models import OutboxMessage
from loket.models.base import utcnow
from loket.services.messaging.outbox_admin import TEMPLATE_LABELS
from tests.factories import OutboxMessageFactory
from tests.support.db import count_queries
from tests.support.requests import file_request

URL = "/beheer/uitgaand"


def _row(status="sent", *, name="request_received", to="anna@uboys.example", error=None, context=None,
         kind="email", minutes_ago=0):
    row = OutboxMessageFactory(status=status, name=name, to=to, last_error=error, context=context or {}, kind=kind,
                               created_at=utcnow() - timedelta(minutes=minutes_ago))
    _db.session.commit()
    return row


def _request(network):
    return file_request(network, category="overig", title="Hulp bij subsidie", description="Welke fondsen zijn er?")


def _rows_in_page(page):
    return re.findall(r'<tr id="bericht-(\d+)">', page)


def test_beheer_sees_rows_newest_first_with_the_reason_of_a_failure(login_as, network):
    old = _row("sent", minutes_ago=10)
    failed = _row("failed", to="typo@example", error="SendGrid 400: b'invalid email address'", minutes_ago=5)
    job = _row("pending", kind="job", name="workers.outbox.dispatch_due_outbox")
    page = login_as("beheerder").get(URL).get_data(as_text=True)
    assert _rows_in_page(page) == [str(job.id), str(failed.id), str(old.id)]
    assert "SendGrid 400: b&#39;invalid email address&#39;" in page
    assert "typo@example" in page and "workers.outbox.dispatch_due_outbox" in page
    assert "Mislukt" in page and "Verstuurd" in page
    assert 'href="/beheer/uitgaand"' in login_as("beheerder").get("/beheer/categorieen").get_data(as_text=True)


def test_filter_by_status(login_as, network):
    _row("sent")
    failed = _row("failed", error="SendGrid 403: forbidden")
    client = login_as("beheerder")
    page = client.get(URL + "?status=failed").get_data(as_text=True)
    assert _rows_in_page(page) == [str(failed.id)]
    assert '<option value="failed" selected>' in page
    # An unknown status shows everything rather than failing.
    assert len(_rows_in_page(client.get(URL + "?status=kapot").get_data(as_text=True))) == 2


def test_list_is_paginated(login_as, network, app, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    rows = [_row("sent", minutes_ago=m) for m in (3, 2, 1)]
    client = login_as("beheerder")
    first = client.get(URL).get_data(as_text=True)
    assert _rows_in_page(first) == [str(rows[2].id), str(rows[1].id)]
    assert "Pagina 1 van 2" in first
    assert _rows_in_page(client.get(URL + "?pagina=2").get_data(as_text=True)) == [str(rows[0].id)]


def test_list_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("beheerder")
    for i in range(3):
        _row("failed" if i % 2 else "sent", error="x" if i % 2 else None, minutes_ago=i)
    with count_queries(app) as few:
        assert client.get(URL).status_code == 200
    for i in range(20):
        _row(("sent", "failed", "pending")[i % 3], error="x", minutes_ago=10 + i)
    with count_queries(app) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("who, status", [("club_contact", 403), ("ondersteuner", 403), ("coordinator", 403)])
def test_only_beheer_may_see_or_retry(login_as, network, who, status):
    failed = _row("failed", error="x")
    client = login_as(who)
    assert client.get(URL).status_code == status
    assert client.get(f"{URL}/{failed.id}/mail").status_code == status
    assert client.post(f"{URL}/{failed.id}/opnieuw").status_code == status
    _db.session.expire_all()
    assert _db.session.get(OutboxMessage, failed.id).status == "failed"


def test_anonymous_is_sent_to_login(client, network):
    for response in (client.get(URL), client.post(f"{URL}/1/opnieuw")):
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_retry_sends_a_failed_mail_again(login_as, network):
    request = _request(network)
    failed = _row("failed", error="SendGrid 400: bad", context={"request_id": request.id,
                                                               "user_id": network.club_contact.id})
    client = login_as("beheerder")
    assert "Opnieuw versturen" in client.get(URL).get_data(as_text=True)
    response = client.post(f"{URL}/{failed.id}/opnieuw")
    assert response.status_code == 302
    _db.session.expire_all()
    row = _db.session.get(OutboxMessage, failed.id)
    # Inline jobs in tests: dispatched and delivered right away by the log provider.
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert "is opnieuw aangeboden; status nu: verstuurd" in client.get(URL).get_data(as_text=True)


def test_retry_resets_the_row_before_dispatching(login_as, network, monkeypatch):
    from loket.services.messaging import outbox

    seen = []
    monkeypatch.setattr(outbox, "dispatch", lambda ids: seen.append(
        (ids, _db.session.get(OutboxMessage, ids[0]).status, _db.session.get(OutboxMessage, ids[0]).attempts)))
    failed = _row("failed", error="x")
    failed_id = failed.id
    failed.attempts = 8
    _db.session.commit()
    before = utcnow()
    assert login_as("beheerder").post(f"{URL}/{failed_id}/opnieuw").status_code == 302
    assert seen == [([failed_id], "pending", 0)]
    _db.session.expire_all()
    assert _db.session.get(OutboxMessage, failed_id).available_at >= before - timedelta(seconds=1)


def test_only_failed_rows_can_be_retried(login_as, network):
    sent = _row("sent")
    client = login_as("beheerder")
    response = client.post(f"{URL}/{sent.id}/opnieuw")
    assert response.status_code == 409
    assert "Alleen een mislukt bericht kun je opnieuw versturen." in response.get_data(as_text=True)
    assert client.post(f"{URL}/99999/opnieuw").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(OutboxMessage, sent.id).attempts == 1


def test_retry_without_csrf_token_is_rejected(login_as, network):
    failed = _row("failed", error="x")
    response = login_as("beheerder").post(f"{URL}/{failed.id}/opnieuw", csrf=False)
    assert response.status_code == 400
    _db.session.expire_all()
    assert _db.session.get(OutboxMessage, failed.id).status == "failed"


def test_beheer_previews_a_mail_in_development(login_as, network, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PREVIEW", True)  # DevelopmentConfig's setting
    request = _request(network)
    row = _row("sent", context={"request_id": request.id, "user_id": network.club_contact.id})
    client = login_as("beheerder")
    assert f'href="/beheer/uitgaand/{row.id}/mail"' in client.get(URL).get_data(as_text=True)
    page = client.get(f"{URL}/{row.id}/mail").get_data(as_text=True)
    assert request.reference in page  # the subject
    assert f"loket+{request.reference}." in page  # reply-to, with its reply token
    assert '<iframe sandbox=""' in page
    # The HTML is escaped into srcdoc, never inlined into the page itself.
    assert "srcdoc=\"&lt;!doctype html&gt;" in page and "<body style" not in page


@pytest.mark.parametrize("settings", [
    {"MAIL_PROVIDER": "log", "SENDGRID_API_KEY": None},  # production sending nothing yet: still real contents
    {"SENDGRID_API_KEY": "SG.test"},
    {"MAIL_PREVIEW": False, "DEBUG": False},
])
def test_outside_development_beheer_never_reads_a_mails_contents(login_as, network, app, monkeypatch, settings):
    """Beheer manages the outbox by recipient, kind of mail, state and error; subjects and bodies (which hold
    request titles and texts) are not shown, and the preview answers 404."""
    request = _request(network)  # before the settings: filing delivers its mails inline
    row = _row("failed", error="SendGrid 400: bad", context={"request_id": request.id,
                                                             "user_id": network.club_contact.id})
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    client = login_as("beheerder")
    page = client.get(URL).get_data(as_text=True)
    assert "/mail\"" not in page and "Bekijk mail" not in page
    assert f'<tr id="bericht-{row.id}">' in page and "Aanvraag ontvangen" in page  # the kind of mail, in Dutch
    assert "Hulp bij subsidie" not in page and "fondsen" not in page and request.reference not in page
    assert client.get(f"{URL}/{row.id}/mail").status_code == 404


def test_jobs_have_no_mail_preview(login_as, network):
    job = _row("sent", kind="job", name="workers.outbox.dispatch_due_outbox")
    assert login_as("beheerder").get(f"{URL}/{job.id}/mail").status_code == 404


def test_search_by_recipient_or_template_keeps_the_status_filter(login_as, network):
    mail = _row("sent", name="request_received", to="anna@uboys.example")
    failed = _row("failed", name="public_reply", to="bram@hc.example", error="SendGrid 400")
    job = _row("pending", kind="job", name="workers.quality.recompute_quality", to=None)
    client = login_as("beheerder")
    assert _rows_in_page(client.get(URL + "?q=UBOYS").get_data(as_text=True)) == [str(mail.id)]
    assert _rows_in_page(client.get(URL + "?q=public_").get_data(as_text=True)) == [str(failed.id)]
    assert _rows_in_page(client.get(URL + "?q=recompute").get_data(as_text=True)) == [str(job.id)]
    assert _rows_in_page(client.get(URL + "?q=example&status=failed").get_data(as_text=True)) == [str(failed.id)]
    page = client.get(URL + "?q=example&status=sent").get_data(as_text=True)
    assert _rows_in_page(page) == [str(mail.id)] and 'value="example"' in page
    assert _rows_in_page(client.get(URL + "?q=%25").get_data(as_text=True)) == []


@pytest.mark.parametrize("q", ["a\x00", "x" * 101])
def test_a_bad_search_is_a_dutch_400(login_as, network, q):
    response = login_as("beheerder").get(URL, query_string={"q": q})
    assert response.status_code == 400
    assert re.search(r"stuurtekens|hooguit 100 tekens", response.get_data(as_text=True))


def test_search_results_are_paginated_keeping_the_search(login_as, network, app, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    rows = [_row("sent", to=f"lid{m}@club.example", minutes_ago=m) for m in (3, 2, 1)]
    _row("sent", to="ander@elders.example")
    client = login_as("beheerder")
    first = client.get(URL + "?q=club.example").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "q=club.example" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get(URL + "?q=club.example&pagina=2").get_data(as_text=True)
    assert _rows_in_page(second) == [str(rows[0].id)]


def test_every_mail_template_has_a_dutch_label_for_beheer(app):
    """Beheer tells mails apart by their kind, never by their subject: a new template needs a label."""
    folder = Path(app.root_path).parent / "templates" / "email"
    templates = {path.stem for path in folder.glob("*.txt") if not path.stem.startswith("_")}
    assert templates and templates == set(TEMPLATE_LABELS)
