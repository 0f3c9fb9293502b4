"""Issue #15: on PostgreSQL a search reads one document vector per request, kept by triggers
(models/search_index.py). Every write that changes what a request's text is — a reply or note added, a message
edited (the AVG's erasure), moved (merging) or removed, made public or internal, the request's own text edited, its
club renamed — must show in what the queue and the club's list find at once. The same tests run on SQLite, whose
FTS5 tables answer the same questions; on PostgreSQL the stored documents are also compared with a recount."""
import pytest
from sqlalchemy import delete, select, text, update

from loket.extensions import db
from loket.models import Event
from loket.services.requests import actions, queues
from loket.services.requests.queues import QueueFilter
from loket.services.requests.request_search import Search
from loket.services.transaction import commit
from tests.support.requests import file_request


def _queue(user, words):
    query = queues.queue_query(user, QueueFilter(search=Search.of(words), status="alle"))
    return [request.title for request in db.session.scalars(query)]


def _club(user, words):
    return [request.title for request in queues.club_requests(user, search=Search.of(words)).items]


def _documents_are_recounted_exactly():
    """On PostgreSQL: every stored document equals the one computed afresh from the rows (nothing stale)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    stale = db.session.execute(text(
        "SELECT count(*) FROM support_requests r WHERE r.document_vector IS DISTINCT FROM "
        "loket_request_document(r.id, r.reference, r.title, r.description, r.club_id, true) "
        "OR r.public_document_vector IS DISTINCT FROM "
        "loket_request_document(r.id, r.reference, r.title, r.description, r.club_id, false)")).scalar()
    return stale == 0


@pytest.fixture()
def kantine(network):
    request = file_request(network, category="overig", title="Hulp in de kantine", description="Wie helpt?")
    actions.add_message(request, actor=network.ondersteuner, body="Er is een subsidieregeling.", internal=False,
                        as_supporter=True)
    actions.add_message(request, actor=network.ondersteuner, body="Penningmeester lijkt overbelast.",
                        internal=True, as_supporter=True)
    return request


def _event_with(request, word) -> int:
    return next(e.id for e in db.session.scalars(select(Event).where(Event.request_id == request.id))
                if e.body and word in e.body)


def _change_event(event_id, **values):
    """Events are append-only in the ORM; the services that change them (erasure, retention, merging) send a
    bulk UPDATE, as here."""
    db.session.execute(update(Event).where(Event.id == event_id).values(**values)
                       .execution_options(synchronize_session=False))
    commit()


def test_a_new_request_and_its_messages_are_found_at_once(network, kantine):
    assert _queue(network.ondersteuner, "kantine") == ["Hulp in de kantine"]
    assert _queue(network.ondersteuner, "subsidieregeling") == ["Hulp in de kantine"]
    assert _queue(network.ondersteuner, "penningmeester") == ["Hulp in de kantine"]
    assert _club(network.club_contact, "subsidieregeling") == ["Hulp in de kantine"]
    assert _club(network.club_contact, "penningmeester") == []
    assert _documents_are_recounted_exactly()


def test_an_edited_message_is_found_by_its_new_words_only(network, kantine):
    _change_event(_event_with(kantine, "subsidieregeling"), body="Er is een fonds.")
    assert _queue(network.ondersteuner, "subsidieregeling") == []
    assert _queue(network.ondersteuner, "fonds") == ["Hulp in de kantine"]
    assert _club(network.club_contact, "fonds") == ["Hulp in de kantine"]
    assert _documents_are_recounted_exactly()


def test_a_note_made_public_is_found_by_the_club_and_a_reply_made_internal_no_longer(network, kantine):
    note, reply = _event_with(kantine, "Penningmeester"), _event_with(kantine, "subsidieregeling")
    db.session.execute(update(Event).where(Event.id.in_([note, reply])).values(is_public=Event.id == note)
                       .execution_options(synchronize_session=False))  # both in one statement
    commit()
    assert _club(network.club_contact, "penningmeester") == ["Hulp in de kantine"]
    assert _club(network.club_contact, "subsidieregeling") == []
    assert _queue(network.ondersteuner, "subsidieregeling") == ["Hulp in de kantine"]
    assert _documents_are_recounted_exactly()


def test_a_message_moved_to_another_request_is_found_there(network, kantine):
    other = file_request(network, category="overig", title="Tweede vraag", description="Over de bar.")
    _change_event(_event_with(kantine, "subsidieregeling"), request_id=other.id)
    assert _queue(network.ondersteuner, "subsidieregeling") == ["Tweede vraag"]
    assert _documents_are_recounted_exactly()


def test_a_removed_message_is_no_longer_found(network, kantine):
    db.session.execute(delete(Event).where(Event.id == _event_with(kantine, "Penningmeester"))
                       .execution_options(synchronize_session=False))
    commit()
    assert _queue(network.ondersteuner, "penningmeester") == []
    assert _queue(network.ondersteuner, "subsidieregeling") == ["Hulp in de kantine"]
    assert _documents_are_recounted_exactly()


def test_the_requests_own_text_and_its_clubs_new_name_are_found(network, kantine):
    kantine.title = "Hulp bij de kleedkamers"
    commit()
    assert _queue(network.ondersteuner, "kantine") == []
    assert _queue(network.ondersteuner, "kleedkamers") == ["Hulp bij de kleedkamers"]
    network.club_utrecht.name = "Zwaluwen Utrecht"
    commit()
    assert _queue(network.ondersteuner, "zwaluwen") == ["Hulp bij de kleedkamers"]
    assert _documents_are_recounted_exactly()
