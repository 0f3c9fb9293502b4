"""The inbound mail service, called directly with Inbound Parse fields (no HTTP)."""
import json
from datetime import datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Event, SupportRequest
from loket.services.messaging import inbound
from loket.services.messaging.inbound import (
    MalformedInbound,
    read_mail,
    receive_inbound,
)

DOMAIN = "reply.loket.example"


def _form(**overrides):
    form = {"from": "Anna de Vries <anna@uboys.example>", "subject": "Vraag", "text": "Hallo",
            "headers": "Message-ID: <m1@mail.example>\nDate: Mon, 3 Feb 2025 10:12:00 +0100\n",
            "envelope": json.dumps({"to": [f"loket@{DOMAIN}"], "from": "anna@uboys.example"})}
    form.update(overrides)
    return form


def test_reference_comes_from_the_plus_address_before_the_subject():
    mail = read_mail(_form(envelope=json.dumps({"to": ["x@elders.example", f"loket+lk-2026-000007@{DOMAIN}"]}),
                           subject="Over LK-2026-000001"), [])
    assert mail.reference == "LK-2026-000007"
    assert read_mail(_form(subject="Re: [LK-2026-000001] Reactie"), []).reference == "LK-2026-000001"
    assert read_mail(_form(subject="Geen kenmerk LK-26-1"), []).reference is None


def test_envelope_to_may_be_a_single_string():
    mail = read_mail(_form(envelope=json.dumps({"to": f"loket+LK-2026-000003@{DOMAIN}"})), [])
    assert mail.reference == "LK-2026-000003"


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
    reply = receive_inbound(_form(subject=f"Re: {created.request.reference}", text="Nog iets",
                                  headers="Message-ID: <m2@mail.example>\n"), [])
    assert reply.outcome == "reply" and reply.accepted
    assert isinstance(reply.event, Event) and reply.event.body == "Nog iets"
    assert not receive_inbound(_form(**{"from": "x@elders.example"}), []).accepted
