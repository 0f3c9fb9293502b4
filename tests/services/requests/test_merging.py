"""Duplicates (issue #14 point 6): a club's open requests that look like what it types, and a supporter merging a
duplicate into another request of the same club — timeline, files and contacts move over, the duplicate is closed
with a link, the club is told once."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Attachment, Event, OutboxMessage, RequestContact
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.requests import actions, merging, queues, teamwork
from loket.services.requests import attachments as attachment_service
from tests.factories import make_user
from tests.support.db import reloaded
from tests.support.requests import file_request


def _access(network, request, who="ondersteuner"):
    return teamwork.supporter_access(getattr(network, who), request.id)


def _mails(template: str) -> list[dict]:
    """The payloads (to, context) of the mails written with `template`."""
    return [row.payload for row in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.name == template).order_by(OutboxMessage.id))]


def test_a_club_sees_its_own_open_requests_that_look_like_what_it_types(network):
    kantine = file_request(network, title="Vrijwilligers voor de kantine gezocht",
                           description="Wie helpt op zaterdag achter de bar?")
    file_request(network, title="Subsidie voor nieuwe doelen", category="financien-subsidies-fondsen")
    closed = file_request(network, title="Kantinevrijwilligers werven")
    actions.change_status(closed, "gesloten", actor=network.ondersteuner)
    other_club = file_request(network, who="other_club_contact", club="club_amersfoort",
                              title="Vrijwilligers voor de kantine")
    alike = merging.look_alikes(network.club_contact, network.club_utrecht.id, "Kantine vrijwilligers")
    assert [found.request for found in alike] == [kantine]
    assert merging.look_alikes(network.club_contact, network.club_utrecht.id, "Hoe kan de club hulp krijgen?") == []
    assert merging.look_alikes(network.club_contact, network.club_utrecht.id, "") == []
    # Another club's requests, or a club one is no contact of, never.
    assert merging.look_alikes(network.club_contact, network.club_amersfoort.id, "kantine vrijwilligers") == []
    assert other_club not in [found.request for found in merging.look_alikes(
        network.club_contact, network.club_utrecht.id, "kantine vrijwilligers")]
    assert merging.look_alikes(network.club_contact, "99999999999", "kantine") == []


@pytest.fixture()
def duplicate_pair(network):
    """Club A's request and a duplicate of it, filed by another contact of the club, with a reply, a note and a
    file on the duplicate."""
    second_contact = make_user("club", network.club_utrecht, name="Bert Tweede")
    original = file_request(network, title="Vrijwilligers gezocht")
    duplicate = file_request(network, who=second_contact, title="Vrijwilligers gezocht (nog een keer)")
    access = _access(network, duplicate)
    actions.add_message(duplicate, actor=network.ondersteuner, body="Dit lijkt dubbel.", internal=True,
                        as_supporter=True)
    actions.add_message(duplicate, actor=second_contact, body="Nog een detail.", internal=False,
                        as_supporter=False)
    attachment_service.attach_as_supporter(access, attachment_service.check_file("plan.txt", b"Het plan."),
                                           actor=network.ondersteuner, internal=False)
    return original, duplicate, second_contact


def test_merging_moves_the_timeline_files_and_contacts_closes_the_duplicate_and_tells_the_club_once(
        network, duplicate_pair):
    original, duplicate, second_contact = duplicate_pair
    duplicate_events = db.session.scalar(select(func.count()).select_from(Event)
                                         .where(Event.request_id == duplicate.id))
    mails_before = len(_mails("requests_merged"))

    target = merging.merge(_access(network, duplicate), actor=network.ondersteuner, into_id=str(original.id))

    assert target.id == original.id
    duplicate, original = reloaded(duplicate), reloaded(original)
    assert duplicate.status == "gesloten" and duplicate.merged_into_id == original.id
    timeline = queues.timeline(original, include_internal=True)
    bodies = [event.body for event in timeline]
    assert "Dit lijkt dubbel." in bodies and "Nog een detail." in bodies
    merged = [event for event in timeline if event.kind == "merged"]
    assert len(merged) == 1 and merged[0].data["from_reference"] == duplicate.reference
    assert merged[0].data["moved_events"] == duplicate_events
    assert merged[0].body.startswith("Vrijwilligers gezocht (nog een keer)\n\n") and merged[0].is_public
    assert [event.kind for event in queues.timeline(duplicate, include_internal=True)] == ["merged", "status_changed"]
    assert [a.request_id for a in db.session.scalars(select(Attachment))] == [original.id]
    assert db.session.scalars(select(RequestContact.user_id).where(
        RequestContact.request_id == original.id)).all() == [second_contact.id]
    mails = _mails("requests_merged")[mails_before:]
    assert sorted(mail["to"] for mail in mails) == sorted([network.club_contact.email, second_contact.email])
    assert {mail["context"]["request_id"] for mail in mails} == {original.id}
    # A reply on the merged request now reaches the duplicate's requester as well.
    actions.add_message(original, actor=network.ondersteuner, body="Geregeld.", internal=False, as_supporter=True)
    replies = [mail["to"] for mail in _mails("public_reply")]
    assert second_contact.email in replies and network.club_contact.email in replies


def test_a_merged_duplicate_cannot_be_merged_again_nor_receive_the_next_merge(network, duplicate_pair):
    original, duplicate, _ = duplicate_pair
    merging.merge(_access(network, duplicate), actor=network.ondersteuner, into_id=original.id)
    with pytest.raises(Conflict):
        merging.merge(_access(network, reloaded(duplicate)), actor=network.ondersteuner, into_id=original.id)
    third = file_request(network, title="Derde keer")
    assert reloaded(duplicate) not in merging.merge_targets(_access(network, third))


@pytest.mark.parametrize("target", ["itself", "other_club", "closed", "missing", "unreadable"])
def test_a_merge_into_a_request_that_is_no_sibling_is_refused_and_nothing_moves(network, duplicate_pair, target):
    original, duplicate, _ = duplicate_pair
    if target == "itself":
        into = duplicate.id
    elif target == "other_club":
        into = file_request(network, who="other_club_contact", club="club_amersfoort").id
    elif target == "closed":
        actions.change_status(original, "gesloten", actor=network.ondersteuner)
        into = original.id
    elif target == "missing":
        into = 999_999
    else:
        into = "abc"
    events = db.session.scalar(select(func.count()).select_from(Event).where(Event.request_id == duplicate.id))
    with pytest.raises(InvalidInput):
        merging.merge(_access(network, duplicate), actor=network.ondersteuner, into_id=into)
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.request_id == duplicate.id)) == events
    assert reloaded(duplicate).merged_into_id is None and reloaded(duplicate).status != "gesloten"


def test_only_the_owning_team_merges_and_not_while_a_referral_is_open(network, duplicate_pair):
    original, duplicate, _ = duplicate_pair
    teamwork.propose_referral(_access(network, duplicate), actor=network.ondersteuner,
                              to_team_id=network.loket_eemland.team.id, reason="Past daar beter.")
    with pytest.raises(Forbidden):
        merging.merge(_access(network, duplicate, "ondersteuner_eemland"), actor=network.ondersteuner_eemland,
                      into_id=original.id)
    with pytest.raises(Conflict):
        merging.merge(_access(network, reloaded(duplicate)), actor=network.ondersteuner, into_id=original.id)
    assert reloaded(duplicate).merged_into_id is None
