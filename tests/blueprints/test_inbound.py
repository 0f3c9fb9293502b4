"""The SendGrid Inbound Parse webhook, fed SendGrid's own sample bodies with our users' addresses."""
import json
import logging
import re

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import (
    Attachment,
    Category,
    Event,
    OutboxMessage,
    ReferenceSequence,
    SupportRequest,
)
from loket.services import errors, messaging
from loket.services.messaging import mail, reply_addresses
from loket.services.requests import actions
from tests.factories import ClubFactory, MembershipFactory
from tests.fakes.sendgrid import mail_to_fake, sendgrid_fake  # noqa: F401  (fixtures)
from tests.support.inbound_mail import (
    CONTENT_TYPE,
    sample_attachment,
    sample_body,
    sample_fields,
    with_header,
)
from tests.support.requests import file_request

SECRET = "s3cret-webhook-token"
URL = f"/inbound/sendgrid/{SECRET}"
DOMAIN = "reply.loket.example"
QUOTED = ("\n\nOp ma 3 feb 2025 om 10:12 schreef Loket <\nnoreply@loket.example>:\n\n"
          "> Beste Anna,\n> Hoeveel trainers zoeken jullie?\n")


@pytest.fixture(autouse=True)
def inbound_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_SECRET", SECRET)
    monkeypatch.setitem(app.config, "INBOUND_EMAIL_DOMAIN", DOMAIN)


def _filed(db, network, **overrides):
    return file_request(network, **{"category": "overig", "title": "Hulp bij subsidie",
                                    "description": "Welke fondsen zijn er?", **overrides})


def _mail(sender="Anna de Vries <anna@uboys.example>", to=f"loket@{DOMAIN}", subject="Een vraag",
          text="Hallo loket", message_id="<msg-1@mail.example>", name="default_data.txt", **fields):
    """SendGrid's parsed-mode sample with our sender, envelope recipient, subject, text and Message-ID."""
    sample = sample_fields(name)
    headers = sample.get("headers", "")
    if message_id:
        headers = with_header(headers, "Message-ID", message_id)
    values = {"from": sender, "to": to, "subject": subject, "text": text, "headers": headers,
              "envelope": json.dumps({"to": [to], "from": sender.split("<")[-1].rstrip(">")})}
    values.update(fields)
    return values


def _reply_to(request):
    """The reply address the club's mail about `request` carries, as rendered for SendGrid."""
    row = next(row for row in _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
               if row.payload.get("context", {}).get("request_id") == request.id)
    return mail.render(row.name, row.payload["context"]).reply_to


def _post(client, fields=None, *, url=URL, files=(), drop=(), name="default_data.txt", charset="utf-8"):
    body = sample_body(name, fields=fields if fields is not None else _mail(), files=files, drop=drop,
                       charset=charset)
    # csrf=False: SendGrid has no CSRF token; the endpoint must not want one.
    return client.post(url, data=body, content_type=CONTENT_TYPE, csrf=False)


def _counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (SupportRequest, Event, OutboxMessage, ReferenceSequence))


def _sequence_value(db):
    return db.session.scalar(select(func.coalesce(func.sum(ReferenceSequence.last_value), 0)))


# ---------------------------------------------------------------- the secret and the body

def test_endpoint_is_off_without_a_secret(client, network, monkeypatch, app):
    monkeypatch.setitem(app.config, "INBOUND_SECRET", None)
    assert _post(client).status_code == 404
    monkeypatch.setitem(app.config, "INBOUND_SECRET", "")
    assert _post(client, url="/inbound/sendgrid/").status_code == 404


def test_wrong_secret_is_404_and_stores_nothing(client, db, network):
    before = _counts(db)
    assert _post(client, url="/inbound/sendgrid/wrong-secret").status_code == 404
    assert _post(client, url=f"/inbound/sendgrid/{SECRET}x").status_code == 404
    assert _counts(db) == before


def test_only_post_is_accepted(client, network):
    assert client.get(URL).status_code == 405


def test_the_secret_is_compared_in_constant_time(client, network, monkeypatch):
    from loket.blueprints.inbound import routes

    calls = []
    real = routes.hmac.compare_digest
    monkeypatch.setattr(routes.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    _post(client, url="/inbound/sendgrid/guess")
    assert calls == [(b"guess", SECRET.encode())]


@pytest.mark.parametrize("change", [
    {"drop": ("envelope",)},
    {"drop": ("from",)},
    {"fields": {"envelope": "{not json"}},
    {"fields": {"envelope": '["a list"]'}},
])
def test_malformed_body_is_400_and_stores_nothing(client, db, network, change):
    before = _counts(db)
    fields = {**_mail(), **change.get("fields", {})}
    for key in change.get("drop", ()):
        fields.pop(key)
    response = _post(client, fields, drop=change.get("drop", ()))
    assert response.status_code == 400
    assert _counts(db) == before


def test_a_body_that_is_not_multipart_is_400(client, db, network):
    response = client.post(URL, json={"from": "anna@uboys.example"})
    assert response.status_code == 400
    # Even with every field SendGrid sends, a url-encoded body is not what Inbound Parse posts.
    response = client.post(URL, data=_mail(), csrf=False, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_a_body_over_the_request_limit_is_answered_200_and_logged(client, db, network, app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    before = _counts(db)
    with caplog.at_level(logging.WARNING, logger="loket.services.messaging.inbound"):
        response = _post(client, _mail(text="x" * 5000))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rejected")
    assert _counts(db) == before
    assert "larger than MAX_CONTENT_LENGTH" in caplog.text


# ---------------------------------------------------------------- (a) a reply to a request

def test_club_contact_replies_by_mail_to_the_plus_address(client, db, network):
    request = _filed(db, network)
    actions.change_status(request, "wacht_op_club", actor=network.ondersteuner)
    to = _reply_to(request)
    response = _post(client, _mail(to=to, subject=f"Re: [{request.reference}] Reactie",
                                   text="We zoeken drie trainers." + QUOTED))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "reply")

    reply = db.session.scalar(select(Event).where(Event.kind == "public_reply"))
    assert reply.request_id == request.id
    assert reply.actor_id == network.club_contact.id
    assert reply.is_public
    assert reply.body == "We zoeken drie trainers."  # the quoted history is gone
    assert reply.data == {"source": "email", "message_id": "<msg-1@mail.example>", "attachments": [],
                          "attachments_stored": True}
    db.session.refresh(request)
    assert request.status == "in_behandeling"  # the club answered: the ball is back with the team
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.name == "club_replied")) >= 1
    page = client.get("/")  # the webhook left no session behind
    assert "Uitloggen" not in page.get_data(as_text=True)


def test_reply_shows_on_the_clubs_request_page(login_as, db, network):
    request = _filed(db, network)
    client = login_as("club_contact")
    _post(client, _mail(to=_reply_to(request), text="Per mail: prima!" + QUOTED))
    page = client.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Per mail: prima!" in page and "Hoeveel trainers" not in page


def test_reply_address_is_found_case_insensitively_in_the_envelope(client, db, network):
    request = _filed(db, network)
    to = _reply_to(request).upper()  # some mail systems change the case of an address
    assert _post(client, _mail(to=to)).get_data(as_text=True) == "reply"
    assert db.session.scalar(select(Event.request_id).where(Event.kind == "public_reply")) == request.id


def test_a_reference_in_the_subject_alone_files_nothing(client, db, network):
    """Anyone can type a reference in a subject: without the reply address Loket mailed it is no reply, and
    no new request either (the sender meant to answer one)."""
    request = _filed(db, network)
    before = _counts(db)
    response = _post(client, _mail(subject=f"Re: [{request.reference}] Hoe tevreden ben je?", text="Heel blij"))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rejected")
    assert _counts(db) == before


def test_the_envelope_wins_over_the_to_header_and_the_subject(client, db, network):
    first = _filed(db, network)
    second = _filed(db, network, title="Tweede vraag")
    fields = _mail(to=_reply_to(first), subject=f"Over {second.reference}")
    fields["to"] = _reply_to(second)  # the header; SendGrid says: route on the envelope
    assert _post(client, fields).get_data(as_text=True) == "reply"
    assert db.session.scalar(select(Event.request_id).where(Event.kind == "public_reply")) == first.id


def test_a_repeated_delivery_is_stored_once(client, db, network):
    request = _filed(db, network)
    fields = _mail(to=_reply_to(request))
    assert _post(client, fields).get_data(as_text=True) == "reply"
    after_first = _counts(db)
    second = _post(client, fields)
    assert (second.status_code, second.get_data(as_text=True)) == (200, "duplicate")
    assert _counts(db) == after_first
    # Another mail (other Message-ID) with the same text is a new reply.
    assert _post(client, _mail(to=_reply_to(request), message_id="<msg-2@mail.example>")) \
        .get_data(as_text=True) == "reply"


def test_a_repeated_new_request_mail_files_one_request(client, db, network):
    assert _post(client).get_data(as_text=True) == "created"
    assert _post(client).get_data(as_text=True) == "duplicate"
    assert db.session.scalar(select(func.count()).select_from(SupportRequest)) == 1


# ---------------------------------------------------------------- (b) a new request by mail

def test_mail_without_reference_files_a_new_request_for_the_senders_club(client, db, network):
    response = _post(client, _mail(subject="  Subsidie voor   ledenwerving ", text="Wij willen groeien.\n"))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "created")
    request = db.session.scalar(select(SupportRequest))
    assert request.club_id == network.club_utrecht.id
    assert request.requester_id == network.club_contact.id
    assert request.category.slug == "overig"
    assert (request.title, request.description) == ("Subsidie voor ledenwerving", "Wij willen groeien.")
    assert request.owner_team.loket_id == network.loket_utrecht.id
    created = db.session.scalar(select(Event).where(Event.kind == "created"))
    assert created.data["source"] == "email" and created.data["message_id"] == "<msg-1@mail.example>"
    # The club gets the usual confirmation mail.
    assert db.session.scalar(select(OutboxMessage.name).where(OutboxMessage.name == "request_received"))


def test_new_request_without_subject_gets_a_placeholder_title(client, db, network):
    _post(client, _mail(subject="   "))
    assert db.session.scalar(select(SupportRequest.title)) == "(geen onderwerp)"


def test_long_subject_is_trimmed_to_the_title_limit(client, db, network, app):
    _post(client, _mail(subject="Lang " * 100))
    title = db.session.scalar(select(SupportRequest.title))
    assert len(title) == app.config["REQUEST_TITLE_MAX"] and title.endswith("…")


def test_contact_of_several_clubs_without_reference_is_refused_as_ambiguous(client, db, network, caplog):
    MembershipFactory(user=network.club_contact, role="club", club=ClubFactory(gemeente=network.utrecht))
    db.session.commit()
    before = _counts(db)
    with caplog.at_level(logging.WARNING, logger="loket.services.messaging.inbound"):
        response = _post(client)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rejected")
    assert _counts(db) == before
    assert "several clubs" in caplog.text


def test_html_only_mail_is_read_as_text(client, db, network):
    _post(client, _mail(text="", html="<html><body><p>Vraag&nbsp;over <b>subsidie</b></p>"
                                      "<blockquote>oude mail</blockquote></body></html>"))
    assert db.session.scalar(select(SupportRequest.description)) == "Vraag over subsidie"


def test_fields_in_another_charset_are_decoded_as_sendgrid_declares(client, db, network):
    fields = _mail(subject="Vraag van Zoë", text="Groeten uit Café Één",
                   charsets=json.dumps({"to": "UTF-8", "subject": "iso-8859-1", "from": "UTF-8",
                                        "text": "windows-1252", "html": "UTF-8"}))
    # iso-8859-1 and windows-1252 agree on these letters, so one encoding serves both fields.
    _post(client, fields, charset="windows-1252")
    request = db.session.scalar(select(SupportRequest))
    assert (request.title, request.description) == ("Vraag van Zoë", "Groeten uit Café Één")


# ---------------------------------------------------------------- attachments

def test_attachments_within_the_limit_are_recorded_by_name_and_size(client, db, network):
    filename, content_type, data = sample_attachment()
    fields = _mail(attachments="1", **{"attachment-info": json.dumps(
        {"attachment1": {"filename": filename, "name": filename, "type": content_type}})})
    response = _post(client, fields, files=[("attachment1", filename, content_type, data)])
    assert response.get_data(as_text=True) == "created"
    created = db.session.scalar(select(Event).where(Event.kind == "created"))
    assert created.data["attachments"] == [{"name": "SendGrid.jpg", "size": len(data), "content_type": "image/jpeg"}]


def test_an_attachment_over_the_limit_is_refused_and_noted_and_the_mail_is_still_taken(client, db, network, app,
                                                                                       monkeypatch, login_as):
    filename, content_type, data = sample_attachment()
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", len(data) - 1)
    request = _filed(db, network)
    response = _post(client, _mail(to=_reply_to(request), attachments="3"),
                     files=[("attachment1", "klein.txt", "text/plain", b"ok"),
                            ("attachment2", filename, content_type, data),
                            ("attachment3", "programma.pdf", "application/pdf", b"MZ\x90\x00" + b"\x00" * 60)])
    assert (response.status_code, response.get_data(as_text=True)) == (200, "reply")
    reply = db.session.scalar(select(Event).where(Event.kind == "public_reply"))
    stored = db.session.scalars(select(Attachment).where(Attachment.event_id == reply.id)).all()
    assert [(a.name, a.content_type, a.internal) for a in stored] == [("klein.txt", "text/plain", False)]
    refused = reply.data["refused_attachments"]
    assert [r["name"] for r in refused] == [filename, "programma.pdf"]
    assert "te groot" in refused[0]["reason"] and "kan niet als bijlage" in refused[1]["reason"]
    page = " ".join(login_as("club_contact").get(f"/club/aanvragen/{request.id}").get_data(as_text=True).split())
    assert f"Bijlagen in de e-mail die Loket niet bewaarde: {filename} (11 kB: Dit bestand is te groot" in page


def test_attachment_exactly_at_the_limit_is_accepted(client, db, network, app, monkeypatch):
    filename, content_type, data = sample_attachment()
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", len(data))
    assert _post(client, files=[("attachment1", filename, content_type, data)]).get_data(as_text=True) == "created"
    assert db.session.scalar(select(Attachment.size)) == len(data)


# ---------------------------------------------------------------- raw mode (the whole MIME message)

def test_raw_mode_sample_with_attachment_files_a_request(client, db, network):
    fields = {"from": "Anna de Vries <anna@uboys.example>", "subject": "Raw Payload",
              "envelope": json.dumps({"to": [f"loket@{DOMAIN}"], "from": "anna@uboys.example"})}
    response = _post(client, fields, name="raw_data_with_attachments.txt")
    assert response.get_data(as_text=True) == "created"
    request = db.session.scalar(select(SupportRequest))
    assert (request.title, request.description) == ("Raw Payload", "Hello Twilio SendGrid!")
    created = db.session.scalar(select(Event).where(Event.kind == "created"))
    _, _, data = sample_attachment()
    assert created.data["attachments"] == [{"name": "SendGrid.jpg", "size": len(data), "content_type": "image/jpeg"}]
    assert created.data["message_id"].startswith("sha256:")  # the sample has no Message-ID header


def test_raw_mode_reply_uses_the_message_id_of_the_mime_message(client, db, network):
    request = _filed(db, network)
    raw = sample_fields("raw_data.txt")["email"].replace(
        "MIME-Version: 1.0\n", "MIME-Version: 1.0\nMessage-ID: <raw-1@mail.example>\n", 1)
    fields = {"from": "anna@uboys.example", "email": raw,
              "envelope": json.dumps({"to": [_reply_to(request)], "from": "anna@uboys.example"})}
    assert _post(client, fields, name="raw_data.txt").get_data(as_text=True) == "reply"
    reply = db.session.scalar(select(Event).where(Event.kind == "public_reply"))
    assert (reply.body, reply.data["message_id"]) == ("Hello Twilio SendGrid!", "<raw-1@mail.example>")
    assert _post(client, fields, name="raw_data.txt").get_data(as_text=True) == "duplicate"


# ---------------------------------------------------------------- (c) rejected, logged, nothing stored

def _inactive(db, network):
    network.club_contact.active = False
    db.session.commit()


def _closed(db, network, request):
    actions.change_status(request, "gesloten", actor=network.ondersteuner)


@pytest.mark.parametrize("case, reason", [
    ("unknown sender", "unknown sender"),
    ("inactive user", "sender's account is inactive"),
    ("supporter", "sender is not a club contact"),
    ("other club", "sender is not a contact of the request's club"),
    ("closed", "request is closed"),
    ("unknown reference", "unknown request reference"),
    ("only quoted text", "no new text in the reply"),
    ("no address", "no sender address"),
    ("spf fail", "not authenticated: SPF fail, and no passing DKIM signature of uboys.example"),
    ("overig inactive", "no active category 'overig'"),
    ("empty new request", "empty message"),
])
def test_rejected_mail_is_logged_without_content_and_stores_nothing(client, db, network, caplog, case, reason):
    request = _filed(db, network)
    sender, to, extra = "Anna de Vries <anna@uboys.example>", _reply_to(request), {}
    text = "Geheime inhoud van de mail"
    if case == "unknown sender":
        sender = "Onbekend <wie@elders.example>"
    elif case == "inactive user":
        _inactive(db, network)
    elif case == "supporter":
        sender = network.ondersteuner.email
    elif case == "other club":
        sender = network.other_club_contact.email
    elif case == "closed":
        _closed(db, network, request)
    elif case == "unknown reference":
        to = reply_addresses.reply_address("LK-1999-000042")  # a valid token, for a request that is not there
    elif case == "only quoted text":
        text = "> Geheime inhoud van de mail"
    elif case == "no address":
        sender = "Geen adres"
    elif case == "spf fail":
        extra["SPF"] = "fail"
    elif case == "overig inactive":
        db.session.scalar(select(Category).where(Category.slug == "overig")).active = False
        db.session.commit()
        to = f"loket@{DOMAIN}"
    elif case == "empty new request":
        to, text, extra["html"] = f"loket@{DOMAIN}", "   ", ""
    before, sequence = _counts(db), _sequence_value(db)
    with caplog.at_level(logging.INFO, logger="loket.services.messaging.inbound"):
        response = _post(client, _mail(sender=sender, to=to, text=text, subject="Geheim onderwerp", **extra))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rejected")
    assert _counts(db) == before and _sequence_value(db) == sequence  # nothing half-stored
    records = [r for r in caplog.records if r.name == "loket.services.messaging.inbound"]
    assert [r.levelname for r in records] == ["WARNING"]
    message = records[0].getMessage()
    assert reason in message
    assert "Geheim" not in message and "Geheime inhoud" not in caplog.text


@pytest.mark.parametrize("sender", ['"evil\nFAKE LOG LINE"@x.example', "ev\x1bil@x.example"])
def test_sender_is_logged_without_line_breaks_or_control_characters(client, db, network, caplog, sender):
    with caplog.at_level(logging.WARNING, logger="loket.services.messaging.inbound"):
        assert _post(client, _mail(sender=sender)).get_data(as_text=True) == "rejected"
    message = caplog.records[-1].getMessage()
    assert "unknown sender" in message and "\n" not in message and "\x1b" not in message


def test_failure_after_the_checks_rolls_back_everything(client, db, network, monkeypatch):
    """A refusal from deep inside the requests service (after the reference was drawn and the request
    flushed) leaves no trace either."""
    def refuse(request):
        raise errors.InvalidInput({"title": "geweigerd"})

    monkeypatch.setattr(messaging.notifications, "request_filed", refuse)
    before, sequence = _counts(db), _sequence_value(db)
    assert _post(client).get_data(as_text=True) == "rejected"
    assert _counts(db) == before and _sequence_value(db) == sequence


def test_a_text_over_flasks_default_form_field_limit_is_read(client, db, network, app):
    """Flask refuses text fields over 500 kB by default; a long mail (or raw mode's whole MIME message)
    must still be read, and is kept up to the request body limit."""
    response = _post(client, _mail(text="Lange mail. " * 60_000))  # ~720 kB
    assert response.get_data(as_text=True) == "created"
    assert len(db.session.scalar(select(SupportRequest.description))) == app.config["REQUEST_BODY_MAX"]


def test_timeline_says_a_message_came_by_mail_and_links_its_stored_attachments(login_as, db, network):
    filename, content_type, data = sample_attachment()
    client = login_as("club_contact")
    _post(client, files=[("attachment1", filename, content_type, data)])
    request = db.session.scalar(select(SupportRequest))
    attachment = db.session.scalar(select(Attachment))
    supporter = login_as("ondersteuner")
    for page, link in ((client.get(f"/club/aanvragen/{request.id}"), f"/club/aanvragen/{request.id}/bijlagen/"),
                       (supporter.get(f"/wachtrij/{request.id}"), f"/wachtrij/{request.id}/bijlagen/")):
        text = " ".join(page.get_data(as_text=True).split())
        assert "Aanvraag ingediend door Anna de Vries (per e-mail)" in text
        assert f'href="{link}{attachment.id}" download>SendGrid.jpg</a>' in text
        assert "nog niet in Loket bewaard" not in text
    assert client.get(f"/club/aanvragen/{request.id}/bijlagen/{attachment.id}").data == data


# ---------------------------------------------------------------- (d) only mail Loket can trust (issue #13)

def _rejection(caplog) -> str:
    records = [r for r in caplog.records if r.name == "loket.services.messaging.inbound"]
    assert [r.levelname for r in records] == ["WARNING"], [r.getMessage() for r in records]
    return records[0].getMessage()


def test_the_reply_address_loket_mails_carries_an_unguessable_token(client, db, network):
    request = _filed(db, network)
    address = _reply_to(request)
    assert re.fullmatch(rf"loket\+{request.reference}\.[0-9a-z]{{20,}}@{re.escape(DOMAIN)}", address), address
    other = _filed(db, network, title="Tweede vraag")
    assert _reply_to(other).split(".", 1)[1] != address.split(".", 1)[1]  # a token per request
    assert (_post(client, _mail(to=address)).get_data(as_text=True)) == "reply"


def test_a_reply_to_the_address_sendgrid_was_given_is_accepted(client, db, network, mail_to_fake):
    """End to end: the Reply-To of the mail the club got (through the real client, at the fake SendGrid)."""
    request = _filed(db, network)
    reply_to = {call.body["reply_to"]["email"] for call in mail_to_fake.accepted
                if call.to == [network.club_contact.email]}
    assert len(reply_to) == 1 and request.reference in next(iter(reply_to))
    assert _post(client, _mail(to=reply_to.pop())).get_data(as_text=True) == "reply"


@pytest.mark.parametrize("case", ["no token", "token of another request", "wrong token", "reference in subject"])
def test_a_guessed_reply_address_is_rejected_logged_and_answered_200(client, db, network, caplog, case):
    request = _filed(db, network)
    other = _filed(db, network, title="Tweede vraag")
    token = _reply_to(request).split("@")[0].partition(".")[2] or "0" * 20
    subject = "Een vraag"
    to = {"no token": f"loket+{request.reference}@{DOMAIN}",
          "token of another request": _reply_to(other).replace(other.reference, request.reference),
          "wrong token": f"loket+{request.reference}.{token[:-1]}{'a' if token[-1] != 'a' else 'b'}@{DOMAIN}",
          "reference in subject": f"loket@{DOMAIN}"}[case]
    if case == "reference in subject":
        subject = f"Re: [{request.reference}] Reactie"
    before, sequence = _counts(db), _sequence_value(db)
    with caplog.at_level(logging.INFO, logger="loket.services.messaging.inbound"):
        response = _post(client, _mail(to=to, subject=subject, text="Geheime inhoud"))
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rejected")
    assert _counts(db) == before and _sequence_value(db) == sequence
    message = _rejection(caplog)
    assert "reply token" in message and "anna@uboys.example" in message
    assert "Geheim" not in caplog.text and "Reactie" not in message


# (SPF result, dkim field, envelope sender, accepted?): SPF counts only for the From address's own domain
# (it checks the envelope sender), DKIM only for a signature by that domain.
AUTHENTICATION_CASES = [
    ("softfail", "", "anna@uboys.example", False),
    ("", "{@uboys.example : fail}", "anna@uboys.example", False),
    ("pass", "{@sendgrid.com : pass}", "anna@uboys.example", True),
    ("PASS", "", "anna@uboys.example", True),
    ("none", "{@uboys.example : pass}", "anna@uboys.example", True),
    ("neutral", "{@sendgrid.info : pass, @UBoys.Example : pass}", "anna@uboys.example", True),
    ("fail", "{@uboys.example : pass}", "bounce@forwarder.example", True),  # forwarded: DKIM survives
    ("softfail", "{@uboys.example : fail}", "anna@uboys.example", False),
    ("", "", "anna@uboys.example", False),
    ("softfail", "{@elders.example : pass}", "anna@uboys.example", False),
    ("none", "{@uboys.example.elders.example : pass}", "anna@uboys.example", False),
    ("none", "{@example : pass}", "anna@uboys.example", False),
    ("pass", "{@sendgrid.com : pass}", "bounce@elders.example", False),  # SPF of another domain
    ("pass", "{@sendgrid.com : pass}", "", False),
    ("none", "pass", "anna@uboys.example", False),
    ("none", "{@uboys.example : fail, @uboys.example : pass}", "anna@uboys.example", True),  # one good signature
]


def test_only_mail_whose_sender_spf_or_dkim_vouches_for_is_accepted(client, db, network, caplog):
    """Walks replies and new requests through every case: a forged From is rejected, logged, answered 200."""
    request = _filed(db, network)
    address = _reply_to(request)
    for number, (spf, dkim, envelope_from, accepted) in enumerate(AUTHENTICATION_CASES):
        for to, outcome in ((address, "reply"), (f"loket@{DOMAIN}", "created")):
            fields = _mail(to=to, message_id=f"<auth-{number}-{outcome}@mail.example>", SPF=spf, dkim=dkim,
                           text=f"Bericht {number}", subject="Geheim onderwerp")
            fields["envelope"] = json.dumps({"to": [to], "from": envelope_from})
            before = _counts(db)
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="loket.services.messaging.inbound"):
                response = _post(client, fields)
            case = (spf, dkim, envelope_from, to)
            assert response.status_code == 200, case
            if accepted:
                assert response.get_data(as_text=True) == outcome, case
            else:
                assert response.get_data(as_text=True) == "rejected", case
                assert _counts(db) == before, case
                message = _rejection(caplog)
                assert "not authenticated" in message and "Geheim" not in caplog.text, (case, message)


# ---------------------------------------------------------------- (e) hostile bodies never answer 500

HOSTILE_CASES = [
    # (what, fields, charset, outcome)
    ("NUL in the text", {"text": "Hallo\x00 loket\x00"}, "utf-8", "reply"),
    ("NUL and escape in the subject", {"subject": "Vr\x00aag\x1b[31m"}, "utf-8", "created"),
    ("NUL in the sender's address", {"from": "Anna <anna@uboys\x00.example>"}, "utf-8", "reply"),
    ("NUL in the sender's name", {"from": "An\x00na <anna@uboys.example>"}, "utf-8", "reply"),
    ("NUL in the Message-ID", {"headers": "Message-ID: <m\x00x@mail.example>\nDate: x\n"}, "utf-8", "reply"),
    ("NUL in the headers", {"headers": "Sub\x00ject: x\x00\nFrom: \x00\n"}, "utf-8", "reply"),
    ("NUL in the html", {"text": "", "html": "<p>Hal\x00lo</p>"}, "utf-8", "reply"),
    ("NUL in SPF and dkim", {"SPF": "pa\x00ss", "dkim": "{@uboys.example : pa\x00ss}"}, "utf-8", "reply"),
    ("NUL byte in the envelope", "envelope-nul", "utf-8", "reply"),
    ("escaped NUL in the envelope", "envelope-escaped-nul", "utf-8", "reply"),
    ("a lone surrogate escaped in the envelope", "envelope-surrogate", "utf-8", "created"),
    ("envelope 'to' is a number", {"envelope": json.dumps({"to": 5, "from": "anna@uboys.example"})}, "utf-8",
     "created"),
    ("envelope 'to' holds objects", {"envelope": json.dumps({"to": [None, {"x": 1}], "from": ["x"]})}, "utf-8",
     "rejected"),
    ("charsets is not JSON", {"charsets": "{kapot"}, "utf-8", "reply"),
    ("charsets is a list", {"charsets": '["utf-8"]'}, "utf-8", "reply"),
    ("a charset that is no text encoding", {"charsets": json.dumps({"text": "rot13", "subject": "base64"})},
     "utf-8", "reply"),
    ("a charset that refuses 'replace'", {"charsets": json.dumps({"text": "idna", "subject": "punycode"}),
                                          "text": "Hallo ÿ"}, "latin-1", "reply"),
    ("a charset name with NUL", {"charsets": json.dumps({"text": "utf-8\x00", "subject": 5})}, "utf-8", "reply"),
    ("invalid UTF-8 bytes everywhere", {"text": "Hallo \xff\xfe\xc3(", "subject": "\xc3\x28 vraag",
                                        "from": "\xff Anna <anna@uboys.example>"}, "latin-1", "reply"),
    ("invalid UTF-16", {"charsets": json.dumps({"text": "utf-16"}), "text": "\xd8\x00\x41"}, "latin-1", "reply"),
    ("NUL in an attachment's name", "attachment-nul", "utf-8", "reply"),
]


def _hostile_body(fields, what, address):
    base = _mail(to=address, message_id=f"<hostile-{abs(hash(what))}@mail.example>")
    files = ()
    if fields == "envelope-nul":
        fields = {"envelope": '{"to": ["' + address + '\x00"], "from": "anna@uboys.example\x00"}'}
    elif fields == "envelope-escaped-nul":
        fields = {"envelope": '{"to": ["' + address + '\\u0000"], "from": "anna@uboys.example"}'}
    elif fields == "envelope-surrogate":
        fields = {"envelope": '{"to": ["loket+\\ud800@x"], "from": "anna@uboys.example\\udfff"}'}
    elif fields == "attachment-nul":
        fields, files = {}, [("attachment1", "be\x00stand.txt", "text/pl\x00ain", b"\x00\x01")]
    return {**base, **fields}, files


def test_hostile_mail_is_cleaned_and_answered_200_never_500(client, db, network):
    request = _filed(db, network)
    address = _reply_to(request)
    for what, fields, charset, outcome in HOSTILE_CASES:
        body, files = _hostile_body(fields, what, address if outcome != "created" else f"loket@{DOMAIN}")
        if outcome == "created":
            body["envelope"] = body["envelope"].replace(address, f"loket@{DOMAIN}")
        response = _post(client, body, files=files, charset=charset)
        assert (response.status_code, response.get_data(as_text=True)) == (200, outcome), what
    # Raw mode: the MIME message decodes to NUL and escape characters (quoted-printable, an encoded filename).
    raw = ("MIME-Version: 1.0\nMessage-ID: <raw-hostile@mail.example>\nContent-Type: multipart/mixed; boundary=b\n\n"
           "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
           "Hallo=00 =1Bloket\n--b\nContent-Type: text/plain\nContent-Disposition: attachment; "
           "filename=\"=?utf-8?q?be=00stand?=\"\n\nx\n--b--\n")
    fields = {"from": "anna@uboys.example", "email": raw,
              "envelope": json.dumps({"to": [address], "from": "anna@uboys.example"})}
    assert _post(client, fields, name="raw_data.txt").get_data(as_text=True) == "reply"
    event = db.session.scalar(select(Event).where(Event.data["message_id"].as_string() == "<raw-hostile@mail.example>"))
    assert event.body == "Hallo loket" and "\x00" not in event.data["attachments"][0]["name"]
    texts = [*db.session.scalars(select(Event.body).where(Event.body.is_not(None))),
             *db.session.scalars(select(SupportRequest.title)), *db.session.scalars(select(SupportRequest.description))]
    assert texts and not [t for t in texts if any(ord(c) < 32 and c not in "\n\t" for c in t)]
