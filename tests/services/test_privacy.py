"""AVG: exporting everything about a person, erasing a person while the statistics stay, contacts removed by
anonymising, the retention periods, and the audit log that records each of them (issue #13, point 10)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db
from loket.models import AuditEntry, ClubContact, Event, OutboxMessage, SupportRequest
from loket.models.base import utcnow
from loket.services import audit
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.messaging import outbox
from loket.services.network import clubs
from loket.services.network.users import authenticate
from loket.services.privacy import erasure, export, retention
from loket.services.requests import actions
from loket.services.transaction import commit
from tests import factories
from tests.support.db import count_rows, reloaded
from tests.support.requests import file_request

SECRET_TITLE = "Ruzie in het bestuur van de jeugdafdeling"
SECRET_REPLY = "Onze penningmeester is ziek thuis"


@pytest.fixture()
def story(network):
    """Anna (club contact of VV Utrechtse Boys) filed a request and replied; the loket answered her."""
    request = file_request(network, title=SECRET_TITLE, description="Wie kan ons helpen bemiddelen?")
    actions.add_message(request, actor=network.club_contact, body=SECRET_REPLY, internal=False,
                        as_supporter=False)
    actions.add_message(request, actor=network.ondersteuner, body="We bellen je morgen.", internal=False,
                        as_supporter=True)
    return request


def _entries(action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_export_holds_everything_about_the_person_and_is_audited(network, story):
    document = export.export_person(" ANNA@uboys.example ", actor=network.beheerder, client_address="10.0.0.9")
    assert document["email"] == "anna@uboys.example"
    assert document["account"]["name"] == "Anna de Vries"
    assert any("VV Utrechtse Boys" in (m["organisation"] or "") for m in document["account"]["memberships"])
    assert [r["title"] for r in document["requests"]] == [SECRET_TITLE]
    assert SECRET_REPLY in [m["body"] for m in document["messages"]]
    assert "We bellen je morgen." not in [m["body"] for m in document["messages"]]  # not hers
    assert document["mails"] and all(m["template"] for m in document["mails"])
    [entry] = _entries("export")
    assert (entry.actor_id, entry.subject_kind, entry.subject_id) == (network.beheerder.id, "user",
                                                                       network.club_contact.id)
    assert entry.client_address == "10.0.0.9" and entry.detail["requests"] == 1
    assert SECRET_TITLE not in str(entry.detail) + entry.label  # counts, never contents


def test_an_address_nothing_is_held_about_is_not_found_and_bad_addresses_are_refused(network):
    with pytest.raises(NotFound):
        export.export_person("niemand@example.nl", actor=network.beheerder)
    for typed in ("", "geen-adres", "a\x00@example.nl", "x" * 300 + "@example.nl"):
        with pytest.raises(InvalidInput):
            export.export_person(typed, actor=network.beheerder)
    assert count_rows(AuditEntry) == 0


def test_erasing_a_person_keeps_the_statistics_and_removes_names_addresses_and_texts(network, story):
    anna = network.club_contact
    counts_before = (count_rows(SupportRequest), count_rows(Event))
    counts = erasure.erase_person("anna@uboys.example", actor=network.beheerder, confirmation="Anna@UBoys.example",
                                  reason="Verzoek per mail van 3 maart")
    assert counts["requests"] == 1 and counts["messages"] >= 1 and counts["contacts"] >= 1
    assert (count_rows(SupportRequest), count_rows(Event)) == counts_before  # the statistics stay
    request = reloaded(story)
    assert request.title == erasure.ERASED_TEXT and request.description == erasure.ERASED_TEXT
    assert request.category.slug and request.created_at and request.status  # what statistics need
    bodies = [e.body for e in db.session.scalars(select(Event).where(Event.request_id == story.id))]
    assert SECRET_REPLY not in bodies and "We bellen je morgen." in bodies  # only her own texts go
    user = reloaded(anna)
    assert user.name == erasure.ERASED_NAME and user.email == erasure.erased_address(anna.id)
    assert not user.active and not user.memberships
    assert authenticate("anna@uboys.example", factories.PASSWORD) is None
    assert db.session.scalar(select(ClubContact).where(ClubContact.email == "anna@uboys.example")) is None
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email")).all()
    assert all(m.payload.get("to") != "anna@uboys.example" for m in mails)
    [entry] = _entries("erasure")
    assert entry.label == "Verzoek per mail van 3 maart" and entry.detail == counts
    with pytest.raises(NotFound):  # nothing is left to find under her address
        export.export_person("anna@uboys.example", actor=network.beheerder)


def test_an_erasure_needs_the_address_twice_and_a_reason_and_never_erases_oneself(network, story):
    for confirmation, reason in (("bram@example.nl", "Verzoek"), ("", "Verzoek"), ("anna@uboys.example", ""),
                                 ("anna@uboys.example", "x\x00y")):
        with pytest.raises(InvalidInput):
            erasure.erase_person("anna@uboys.example", actor=network.beheerder, confirmation=confirmation,
                                 reason=reason)
    with pytest.raises(Forbidden):
        erasure.erase_person(network.beheerder.email, actor=network.beheerder,
                             confirmation=network.beheerder.email, reason="Test")
    assert reloaded(story).title == SECRET_TITLE and count_rows(AuditEntry) == 0  # nothing half-done


def test_removing_a_contact_anonymises_the_row_instead_of_deleting_it(network):
    club = network.club_utrecht
    extra = clubs.add_contact(club, actor=network.club_contact, name="Piet Penning", email="piet@uboys.example",
                              phone="06 12345678", function="Penningmeester")
    rows = count_rows(ClubContact)
    clubs.remove_contact(club, extra.id, actor=network.club_contact)
    assert count_rows(ClubContact) == rows  # a tombstone, not a hard delete
    tombstone = reloaded(extra)
    assert tombstone.removed_at is not None and tombstone.name == clubs.REMOVED_CONTACT_NAME
    assert (tombstone.email, tombstone.phone, tombstone.function, tombstone.user_id) == (None, None, None, None)
    assert extra.id not in [c.id for c in reloaded(club).contacts]
    with pytest.raises(NotFound):
        clubs.get_contact(club, extra.id)


def test_retention_anonymises_long_closed_requests_and_old_outbox_rows_once(app, network, story):
    old = file_request(network, title="Subsidie 2018", description="Oude vraag")
    for request, closed in ((old, utcnow() - timedelta(days=7 * 365 + 1)), (story, utcnow() - timedelta(days=30))):
        request.status, request.closed_at = "gesloten", closed
    outbox.add_email("request_received", to="oud@example.nl", context={"title": "Subsidie 2018"}, key="old-mail")
    commit()
    ancient = db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "old-mail"))
    ancient.created_at, ancient.status = utcnow() - timedelta(days=91), "sent"
    commit()
    counts = retention.apply_retention(batch=1)  # several batches, one transaction each
    assert counts["requests"] == 1 and counts["outbox"] >= 1
    assert reloaded(old).title == retention.RETENTION_TEXT and reloaded(story).title == SECRET_TITLE
    assert all(e.body in (None, retention.RETENTION_TEXT) for e in reloaded(old).events)
    row = reloaded(ancient)
    assert row.payload == {"to": retention.EXPIRED_RECIPIENT, "context": {}} and row.anonymised_at
    assert [e.detail for e in _entries("retention")] == [counts]
    assert retention.apply_retention() == {"requests": 0, "outbox": 0, "attachments": 0}  # nothing twice
    assert len(_entries("retention")) == 1


def test_a_role_given_and_taken_is_in_the_audit_log(network):
    from loket.services.network import users
    person = factories.make_user("club", network.club_utrecht, name="Nieuwe Persoon")
    commit()
    membership = users.add_membership(person, users.MembershipSpec(role="clubondersteuner",
                                                                   loket=network.loket_utrecht.slug),
                                      actor=network.beheerder)
    users.remove_membership(person, membership.id, actor=network.beheerder)
    granted, removed = _entries("role_granted"), _entries("role_removed")
    assert [e.subject_id for e in granted] == [person.id] and [e.subject_id for e in removed] == [person.id]
    assert granted[0].actor_id == network.beheerder.id and "Clubondersteuner" in granted[0].label


def test_the_audit_log_is_append_only_and_searchable(network):
    audit.record_alone("login", actor=network.ondersteuner, subject_kind="user", subject_id=network.ondersteuner.id)
    audit.record_alone("login_failed", actor=None, subject_kind="email", label="iemand@example.nl")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    entry.label = "vervalst"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    page = audit.search(audit.AuditFilter(actor_email=network.ondersteuner.email.upper()))
    assert [row.action for row in page.items] == ["login"]
    assert [row.label for row in audit.search(audit.AuditFilter(action="login_failed")).items] == ["iemand@example.nl"]
    for wrong in (audit.AuditFilter(action="hacken"), audit.AuditFilter(since="31-02-2026")):
        with pytest.raises(InvalidInput):
            audit.search(wrong)
    today = utcnow().strftime("%d-%m-%Y")
    assert audit.search(audit.AuditFilter(since=today, until=today)).total == 2
