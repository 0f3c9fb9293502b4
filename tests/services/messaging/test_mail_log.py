"""Mail without SendGrid: in development each mail shows on the console as recipient, subject and links, never
with its body (a request's contents do not belong in a log); elsewhere as recipient and kind of mail only."""
import logging
from types import SimpleNamespace

import pytest

from loket import configure_logging
from loket.services.messaging import mail
from loket.services.network import account
from tests.support.requests import DESCRIPTION, TITLE, file_request

LOGGER = "loket.services.messaging.mail"


@pytest.fixture()
def log_provider(app, monkeypatch):
    for key, value in {"JOBS_INLINE": True, "REDIS_URL": None, "SENDGRID_API_KEY": None, "MAIL_PROVIDER": None}.items():
        monkeypatch.setitem(app.config, key, value)


def _mail_records(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_the_log_provider_shows_to_subject_and_links_but_no_body(app, db, network, log_provider, caplog,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PREVIEW", True)  # development
    with caplog.at_level(logging.INFO, logger=LOGGER):
        request = file_request(network)
    messages = _mail_records(caplog)
    assert len(messages) == 3
    base = app.config["BASE_URL"].rstrip("/")
    for message in messages:
        assert f"[{request.reference}]" in message  # the subject
        assert "@" in message.split("\n")[0]  # the recipient
        assert DESCRIPTION not in message  # no request contents; the title at most in the subject
        assert all(TITLE not in line for line in message.split("\n")[1:])
        assert "Je vraag" not in message and "eerste reactie" not in message
    club_mail = next(m for m in messages if network.club_contact.email in m)
    assert f"{base}/club/aanvragen/{request.id}" in club_mail


def test_outside_development_the_log_names_recipient_and_kind_of_mail_only(app, db, network, log_provider, caplog,
                                                                           monkeypatch):
    """Subjects carry request titles (new_in_queue: 'Nieuwe aanvraag in de wachtrij: <title>') and links carry
    single-use tokens (a password reset): a production log holds neither."""
    monkeypatch.setitem(app.config, "MAIL_PREVIEW", False)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        request = file_request(network)
        account.request_password_reset(network.club_contact.email)
    messages = _mail_records(caplog)
    assert {m.split()[1] for m in messages} == {"request_received", "new_in_queue", "password_reset"}
    assert len(messages) == 4
    for message in messages:
        assert "@" in message and "\n" not in message
        assert TITLE not in message and DESCRIPTION not in message and request.reference not in message
        assert "http" not in message and "/" not in message  # no link, so no token


def test_the_summary_lists_each_link_once_and_never_the_body():
    rendered = mail.RenderedMail(subject="[LK-1] Onderwerp", reply_to="loket+LK-1@example.org",
                                 text="Geheime inhoud van de vraag.\nBekijk: https://loket.example/a/1\n"
                                      "Nogmaals https://loket.example/a/1. En https://loket.example/b?x=1",
                                 html="<p>Geheime inhoud</p>")
    summary = mail.summary(rendered, to="anna@example.org")
    assert "anna@example.org" in summary and "[LK-1] Onderwerp" in summary
    assert summary.count("https://loket.example/a/1") == 1 and "https://loket.example/b?x=1" in summary
    assert "https://loket.example/a/1." not in summary  # a sentence's full stop is no part of the link
    assert "Geheime inhoud" not in summary


def test_development_prints_mails_on_the_console(capsys):
    handler = configure_logging(SimpleNamespace(debug=True, testing=False))
    try:
        logging.getLogger(LOGGER).info("Mail aan anna@example.org: [LK-1] Onderwerp")
        assert "Mail aan anna@example.org: [LK-1] Onderwerp" in capsys.readouterr().err
        assert configure_logging(SimpleNamespace(debug=True, testing=False)) is handler  # added once
    finally:
        logging.getLogger(LOGGER).removeHandler(handler)


def test_testing_adds_no_console_handler():
    before = list(logging.getLogger(LOGGER).handlers)
    assert configure_logging(SimpleNamespace(debug=False, testing=True)) is None
    assert logging.getLogger(LOGGER).handlers == before
