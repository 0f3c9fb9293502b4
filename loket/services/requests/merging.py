"""Duplicates: a club's new request that looks like one it already has open ("Bedoel je deze vraag?"), and a
supporter merging a duplicate into another request of the same club.

Merging moves the duplicate's timeline, files and contacts to the request it duplicates, closes the duplicate
with a link to it, and tells the club once, in one transaction."""
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import lazyload

from loket.extensions import db
from loket.models import OPEN_STATUSES, Attachment, Event, RequestContact, SupportRequest, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, InvalidInput
from loket.services.ids import as_id
from loket.services.messaging import notifications
from loket.services.requests import actions, teamwork
from loket.services.requests.request_search import WORD, dutch_stemmer
from loket.services.requests.teamwork import SupporterAccess
from loket.services.transaction import commit

# ---------------------------------------------------------------- looking alike

# Words every request shares, which say nothing about what it is about.
STOP_WORDS = frozenset("""
aan al alle als bij dan dat de deze die dit door een en er graag hebben het hier hoe ik in is je jullie kan
kunnen maar met mijn na naar niet nog of om onze ons op over te tot uit van voor vraag vragen wat we wie wij wil
willen worden zijn zou club vereniging hulp help bij ondersteuning
""".split())
ALIKE_MAX = 3
LOOK_ALIKE_TEXT_MAX = 2000  # of a description being typed, what is compared
OPEN_REQUESTS_READ = 50  # a club's open requests compared (its newest): a club has a handful, never thousands


def _stems(text: str | None) -> set[str]:
    stemmer = dutch_stemmer()
    return {stemmer.stemWord(word) for word in WORD.findall((text or "").casefold())
            if len(word) > 2 and word not in STOP_WORDS and not word.isdigit()}


@dataclass(frozen=True)
class LookAlike:
    request: SupportRequest
    shared: int  # words (stems) in common


def look_alikes(user: User, club_id, title: str | None, description: str | None = None) -> list[LookAlike]:
    """The club's own open requests that share words with what is being typed, most alike first (at most
    ALIKE_MAX). Only for a contact of the club; anyone else, or nothing typed, gets []. One query."""
    club_id = as_id(club_id)
    typed_title, typed_text = _stems(title), _stems((description or "")[:LOOK_ALIKE_TEXT_MAX])
    if club_id is None or club_id not in user.club_ids or not (typed_title or typed_text):
        return []
    candidates = db.session.scalars(
        select(SupportRequest).where(SupportRequest.club_id == club_id, SupportRequest.status.in_(OPEN_STATUSES))
        .order_by(SupportRequest.created_at.desc()).limit(OPEN_REQUESTS_READ))
    found = []
    for request in candidates:
        own_title, own_text = _stems(request.title), _stems(request.description)
        # A word of the new title in the old title counts double: titles say what a question is about.
        score = 2 * len(typed_title & own_title) + len((typed_title | typed_text) & (own_title | own_text))
        if typed_title & own_title or score >= 4:
            found.append(LookAlike(request, score))
    found.sort(key=lambda alike: (-alike.shared, -alike.request.id))
    return found[:ALIKE_MAX]


# ---------------------------------------------------------------- merging

def merge_targets(access: SupporterAccess) -> list[SupportRequest]:
    """The requests this one can be merged into: the same club's others that the same team owns and that are not
    closed or merged themselves, newest first.

    One query of the requests' own columns (their club and team are this one's; nothing else of them is joined).
    The club, the team and the status are written into the statement, not sent as parameters: a team may own a
    hundred thousand requests and a club a few or thousands, and a plan for parameters (which PostgreSQL settles on
    for a statement prepared and run again and again) would guess the average size of both and read the team's
    whole index; a plan for these values reads the club's rows, and would use an index on the requests that are not
    closed or merged (its condition is then provable in every plan)."""
    request = access.request
    if not access.can_manage or not request.is_open or request.merged_into_id is not None:
        return []
    club_id, team_id, closed = (bindparam(name, value, literal_execute=True) for name, value in (
        ("club_id", request.club_id), ("team_id", request.owner_team_id), ("closed", "gesloten")))
    return list(db.session.scalars(
        select(SupportRequest).where(SupportRequest.club_id == club_id, SupportRequest.id != request.id,
                                     SupportRequest.owner_team_id == team_id,
                                     SupportRequest.status != closed, SupportRequest.merged_into_id.is_(None))
        .options(lazyload("*"))
        .order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc()).limit(50)))


def merge(access: SupporterAccess, *, actor: User, into_id, now=None) -> SupportRequest:
    """Merge the duplicate (`access.request`) into request `into_id` of the same club. Returns the request it
    went into. :raises InvalidInput: no such request for this club and team; :raises Conflict: the duplicate
    cannot be merged now (closed, merged, a referral or another team still working on it)."""
    now = now or utcnow()
    duplicate = access.request
    teamwork.require_owner(access)
    if not duplicate.is_open or duplicate.merged_into_id is not None:
        raise Conflict("Deze aanvraag is al afgesloten of samengevoegd.")
    if access.open_referral is not None or access.collaborations:
        raise Conflict("Deze aanvraag wordt nog doorverwezen of een ander team werkt mee: rond dat eerst af.")
    target = _target(access, into_id)
    moved_events = _move(Event, duplicate, target)
    moved_files = _move(Attachment, duplicate, target)
    _move_contacts(duplicate, target)
    duplicate.merged_into_id = target.id
    data = {"from_id": duplicate.id, "from_reference": duplicate.reference, "into_id": target.id,
            "into_reference": target.reference, "moved_events": moved_events, "moved_files": moved_files}
    # The duplicate's own question travels too: it is no event of its own, so it becomes the merge's text.
    actions.add_event(target, "merged", actor, now, public=True, data=data,
                      body=f"{duplicate.title}\n\n{duplicate.description}")
    actions.add_event(duplicate, "merged", actor, now, public=True, data=data)
    actions.change_status_in_transaction(duplicate, "gesloten", actor, now)
    target.updated_at = now
    db.session.flush()
    notifications.requests_merged(target, duplicate)
    commit()
    return target


def _target(access: SupporterAccess, into_id) -> SupportRequest:
    chosen = as_id(into_id)
    target = next((request for request in merge_targets(access) if request.id == chosen), None)
    if target is None:
        raise InvalidInput({"into": "Kies een andere open aanvraag van dezelfde club, die jullie team behandelt."})
    return target


def _move(model, duplicate: SupportRequest, target: SupportRequest) -> int:
    """Re-home the duplicate's rows of `model` (events, attachments) on the target. The rows themselves are
    unchanged — a timeline stays append-only in what it says — so this is one UPDATE of their request, which
    the ORM's refusal to change an event does not see."""
    result = db.session.execute(update(model).where(model.request_id == duplicate.id)
                                .values(request_id=target.id).execution_options(synchronize_session=False))
    return result.rowcount


def _move_contacts(duplicate: SupportRequest, target: SupportRequest) -> None:
    """Whoever followed the duplicate (its requester and its own extra contacts) follows the target too."""
    present = {target.requester_id, *db.session.scalars(
        select(RequestContact.user_id).where(RequestContact.request_id == target.id))}
    followers = [duplicate.requester_id, *db.session.scalars(
        select(RequestContact.user_id).where(RequestContact.request_id == duplicate.id))]
    for user_id in dict.fromkeys(followers):
        if user_id is not None and user_id not in present:
            db.session.add(RequestContact(request_id=target.id, user_id=user_id))
