"""Idempotent API writes (issue #13 point 7): `Idempotency-Key`, and answers built before the commit.

A client that lost an answer (time-out, a PostgreSQL restart) sends the same request again with the same key
and gets the first answer; nothing is stored twice.
"""
import json
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from loket.extensions import db as _db
from loket.models import Event, IdempotencyKey, SupportRequest
from loket.models.base import utcnow
from loket.services import idempotency
from tests import factories
from tests.support.api import assert_problem

KEY = {"Idempotency-Key": "0b6f2c1e-4d3a-4f7e-9a55-2f1c0e8d7b21"}


def _count(model):
    return _db.session.scalar(select(func.count()).select_from(model))


def _body(network, **fields):
    return {"club": network.club_utrecht.id, "category": "overig", "title": "Hulp bij subsidie",
            "description": "Welke fondsen passen bij ons?", **fields}


def test_a_repeat_with_the_same_key_gets_the_first_answer_and_stores_once(api, network):
    client = api("club_contact")
    first = client.post("/requests", json=_body(network), headers=KEY)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = client.post("/requests", json=_body(network), headers=KEY)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(SupportRequest) == 1

    # A reply too: the same key on another path is another request, so replies use their own key.
    path = f"/requests/{first.get_json()['id']}/messages"
    reply = {"Idempotency-Key": "reply-1"}
    answers = [client.post(path, json={"body": "Dank je!"}, headers=reply) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert _db.session.scalar(select(func.count()).select_from(Event).where(Event.body == "Dank je!")) == 1


def test_without_a_key_every_post_is_its_own_write(api, network):
    client = api("club_contact")
    client.post("/requests", json=_body(network))
    client.post("/requests", json=_body(network))
    assert _count(SupportRequest) == 2


def test_the_same_key_for_another_request_is_422_in_dutch_and_nothing_is_stored(api, network):
    client = api("club_contact")
    first = client.post("/requests", json=_body(network), headers=KEY)
    events = _count(Event)
    other_body = client.post("/requests", json=_body(network, title="Iets anders"), headers=KEY)
    assert_problem(other_body, 422, contains="al gebruikt voor een ander verzoek")
    other_path = client.post(f"/requests/{first.get_json()['id']}/messages", json={"body": "Hoi"}, headers=KEY)
    assert_problem(other_path, 422)
    assert _count(SupportRequest) == 1 and _count(Event) == events


def test_keys_are_per_user(api, network):
    api("club_contact").post("/requests", json=_body(network), headers=KEY)
    colleague = factories.make_user("club", network.club_utrecht, name="Tweede Contact")  # same club
    _db.session.commit()
    answer = api(colleague).post("/requests", json=_body(network), headers=KEY)
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert _count(SupportRequest) == 2


def test_a_repeat_while_the_first_is_in_progress_is_409_and_an_abandoned_one_is_taken_over(api, network):
    client = api("club_contact")
    body = json.dumps(_body(network)).encode()
    now = utcnow()
    row = IdempotencyKey(user_id=network.club_contact.id, key=KEY["Idempotency-Key"], state="in_progress",
                         request_hash=idempotency.request_hash("POST", "/api/v1/requests", body),
                         locked_at=now, expires_at=now + idempotency.LIFETIME)
    _db.session.add(row)
    _db.session.commit()

    def send():
        return client.post("/requests", data=body, headers={**KEY, "Content-Type": "application/json"})

    assert_problem(send(), 409, contains="nog verwerkt")
    assert _count(SupportRequest) == 0

    # The process that held it died (nothing of its write was committed): after the lock timeout a repeat
    # takes the key over and does the write once.
    row.locked_at = now - idempotency.LOCK_TIMEOUT - timedelta(seconds=1)
    _db.session.commit()
    assert send().status_code == 201
    assert send().headers["Idempotent-Replayed"] == "true"
    assert _count(SupportRequest) == 1


def test_two_first_attempts_at_once_let_one_win(api, network, monkeypatch):
    """The second of two parallel first attempts did not see the first's row: the unique key refuses it."""
    client = api("club_contact")
    assert client.post("/requests", json=_body(network), headers=KEY).status_code == 201
    row = _db.session.scalars(select(IdempotencyKey)).one()
    row.state = "in_progress"  # as if the first were still running
    _db.session.commit()
    monkeypatch.setattr(idempotency, "_row", lambda user_id, key: None)
    assert_problem(client.post("/requests", json=_body(network), headers=KEY), 409)
    assert _count(SupportRequest) == 1


def test_a_bad_key_is_400_in_dutch_and_nothing_is_stored(api, network):
    client = api("club_contact")
    for key in ("", "x" * 256, "met spatie", "sleutel\u00e9", "a;b"):
        assert_problem(client.post("/requests", json=_body(network), headers={"Idempotency-Key": key}), 400,
                       contains="Idempotency-Key")
    assert _count(SupportRequest) == 0 and _count(IdempotencyKey) == 0


def test_an_expired_key_counts_as_new(api, network):
    client = api("club_contact")
    client.post("/requests", json=_body(network), headers=KEY)
    row = _db.session.scalars(select(IdempotencyKey)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    _db.session.commit()
    again = client.post("/requests", json=_body(network), headers=KEY)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert _count(SupportRequest) == 2 and _count(IdempotencyKey) == 1


def test_an_error_answer_is_not_kept_so_the_key_may_be_sent_again(api, network):
    client = api("club_contact")
    refused = client.post("/requests", json=_body(network, category="bestaat-niet"), headers=KEY)
    assert_problem(refused, 422)
    assert _count(IdempotencyKey) == 0 and _count(SupportRequest) == 0
    assert client.post("/requests", json=_body(network), headers=KEY).status_code == 201


@contextmanager
def _failing_commits():
    """Every commit of the request fails, as when the database goes away at that moment (each request has its
    own app context and session: tests/support/client.py)."""
    def refuse(session):
        raise ConnectionError("the database went away")

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)


def test_the_write_and_its_answer_are_committed_together_or_not_at_all(app, api, network):
    client = api("club_contact")
    app.config["PROPAGATE_EXCEPTIONS"], propagate = False, app.config.get("PROPAGATE_EXCEPTIONS")
    try:
        with _failing_commits():
            failed = client.post("/requests", json=_body(network), headers=KEY)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = propagate
    assert failed.status_code == 500
    _db.session.rollback()
    assert _count(SupportRequest) == 0 and _count(IdempotencyKey) == 0  # neither the write nor a stuck key
    assert client.post("/requests", json=_body(network), headers=KEY).status_code == 201
    assert _count(SupportRequest) == 1


@contextmanager
def _database_gone_after_commit():
    """After the commit of the write (a new request or event) every statement fails: the answer must not need
    the database any more."""
    state = {"wrote": False, "committed": False}

    def after_flush(session, context):
        state["wrote"] |= any(isinstance(row, (SupportRequest, Event)) for row in session.new)

    def after_commit(session):
        state["committed"] |= state["wrote"]

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if state["committed"]:
            raise ConnectionError("the database went away after the commit")

    event.listen(Session, "after_flush", after_flush)
    event.listen(Session, "after_commit", after_commit)
    event.listen(_db.engine, "before_cursor_execute", before_execute)
    try:
        yield state
    finally:
        event.remove(_db.engine, "before_cursor_execute", before_execute)
        event.remove(Session, "after_commit", after_commit)
        event.remove(Session, "after_flush", after_flush)


def test_a_committed_write_answers_with_what_it_committed_even_if_the_database_goes_away(app, api, network):
    """The 'ghost' 500: the serializer used to reload expired attributes after the commit."""
    client = api("club_contact")
    with _database_gone_after_commit() as state:
        filed = client.post("/requests", json=_body(network))
        assert state["committed"]
    assert filed.status_code == 201, filed.get_data(as_text=True)[:300]
    stored = _db.session.scalars(select(SupportRequest)).one()
    assert filed.get_json()["id"] == stored.id and filed.get_json()["reference"] == stored.reference
    assert filed.headers["Location"].endswith(f"/requests/{stored.id}")

    with _database_gone_after_commit():
        replied = client.post(f"/requests/{stored.id}/messages", json={"body": "Nog een vraag"})
    assert replied.status_code == 201 and replied.get_json()["body"] == "Nog een vraag"


def test_the_openapi_document_offers_the_header_on_every_write_with_a_token(openapi_document):
    for path, operations in openapi_document["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            expected = method in ("post", "put", "patch", "delete") and operation["security"] != []
            assert ("Idempotency-Key" in names) == expected, (method, path)
            if expected:
                assert {"400", "409", "422"} <= set(operation["responses"]), (method, path)
