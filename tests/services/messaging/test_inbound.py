"""The inbound mail service, called directly with Inbound Parse fields (no HTTP)."""
import json
from datetime import datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Event, SupportRequest
from loket.services.messaging import inbound, reply_addresses
from loket.services.messaging.inbound import (
    MalformedInbound,
    read_mail,
    receive_inbound,
)

DOMAIN = "reply.loket.example"


def _form(**overrides):
    form = {"from": "Anna de Vries <anna@uboys.example>", "subject": "Vraag", "text": "Hallo",
            "headers": "Message-ID: <m1@mail.example>\nDate: Mon, 3 Feb 2025 10:12:00 +0100\n",
            "envelope": json.dumps({"to": [f"loket@{DOMAIN}"], "from": "anna@uboys.example"}), "SPF": "pass"}
    form.update(overrides)
    return form


def test_the_reply_address_comes_from_the_envelope_and_the_subject_only_names_a_reference():
    mail = read_mail(_form(envelope=json.dumps({"to": ["x@elders.example", f"loket+lk-2026-000007.ab12@{DOMAIN}"]}),
                           subject="Over LK-2026-000001"), [])
    assert mail.reply_to == ("LK-2026-000007", "ab12")
    assert read_mail(_form(envelope=json.dumps({"to": f"loket+LK-2026-000007@{DOMAIN}"})), []).reply_to \
        == ("LK-2026-000007", None)
    subject_only = read_mail(_form(subject="Re: [LK-2026-000001] Reactie"), [])
    assert (subject_only.reply_to, subject_only.subject_reference) == (None, "LK-2026-000001")
    assert read_mail(_form(subject="Geen kenmerk LK-26-1"), []).subject_reference is None


def test_envelope_to_may_be_a_single_string():
    mail = read_mail(_form(envelope=json.dumps({"to": f"loket+LK-2026-000003.ab12@{DOMAIN}"})), [])
    assert mail.reply_to == ("LK-2026-000003", "ab12")


def test_the_reply_token_is_keyed_by_the_reply_secret_or_else_by_the_secret_key(app, db, monkeypatch):
    address = reply_addresses.reply_address("LK-2026-000003")
    reference, token = reply_addresses.parse_reply_address(address)
    assert reference == "LK-2026-000003" and reply_addresses.token_matches(reference, token.upper())
    assert not reply_addresses.token_matches("LK-2026-000004", token)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-key")  # a new key ends the addresses mailed before
    assert not reply_addresses.token_matches(reference, token)
    monkeypatch.setitem(app.config, "INBOUND_REPLY_SECRET", "a-reply-secret")
    keyed = reply_addresses.reply_token(reference)
    monkeypatch.setitem(app.config, "SECRET_KEY", "yet-another-key")  # the reply secret alone decides then
    assert reply_addresses.reply_token(reference) == keyed != token


def test_sender_is_the_lower_cased_address_of_from():
    assert read_mail(_form(**{"from": '"De Vries, Anna" <Anna@UBoys.Example>'}), []).sender == "anna@uboys.example"
    assert read_mail(_form(**{"from": "niemand"}), []).sender == ""


@pytest.mark.parametrize("form", [
    {"subject": "x"},
    _form(envelope="nope"),
    _form(envelope="42"),
    {k: v for k, v in _form().items() if k != "envelope"},
])
def test_fields_that_are_no_inbound_parse_payload_raise(form):
    with pytest.raises(MalformedInbound):
        read_mail(form, [])


def test_message_id_falls_back_to_a_fingerprint_of_the_mail():
    without = {"headers": "Date: Mon, 3 Feb 2025 10:12:00 +0100\n"}
    first, same = read_mail(_form(**without), []), read_mail(_form(**without), [])
    other = read_mail(_form(text="Iets anders", **without), [])
    assert first.message_id.startswith("sha256:") and first.message_id == same.message_id != other.message_id


def test_long_mail_is_kept_up_to_the_limit_with_a_note(app, network):
    now = datetime(2026, 3, 2, 9, 0)
    result = receive_inbound(_form(text="woord " * 5000), [], now=now)
    assert result.outcome == "created"
    request = _db.session.scalar(select(SupportRequest))
    assert len(request.description) == app.config["REQUEST_BODY_MAX"]
    assert request.description.endswith("[… ingekort: de e-mail was langer dan Loket bewaart]")
    assert request.created_at == now and request.reference.startswith("LK-2026-")


def test_repeat_check_is_one_query(app, network):
    assert receive_inbound(_form(), []).outcome == "created"
    club_ids = network.club_contact.club_ids
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(_db.engine, "before_cursor_execute", record)
    try:
        found = inbound._earlier_event("<m1@mail.example>", club_ids)
    finally:
        sa_event.remove(_db.engine, "before_cursor_execute", record)
    assert found is not None and found.kind == "created"
    assert len(statements) == 1
    assert inbound._earlier_event("<m1@mail.example>", [network.club_amersfoort.id]) is None


def test_result_of_a_reply_carries_the_event(app, network):
    created = receive_inbound(_form(), [])
    to = reply_addresses.reply_address(created.request.reference)
    reply = receive_inbound(_form(envelope=json.dumps({"to": [to], "from": "anna@uboys.example"}), text="Nog iets",
                                  headers="Message-ID: <m2@mail.example>\n"), [])
    assert reply.outcome == "reply" and reply.accepted
    assert isinstance(reply.event, Event) and reply.event.body == "Nog iets"
    assert not receive_inbound(_form(**{"from": "x@elders.example"}), []).accepted
