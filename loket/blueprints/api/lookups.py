"""Reads the API needs on top of the services: the caller's request list with filters and page size,
a request or referral together with the caller's part in it, and the message an action just wrote.

Visibility itself is decided by the services (requests.team_ids_of / the queue views,
teamwork.supporter_access, requests.get_request_for_club_contact); nothing here widens it.
"""
from sqlalchemy import select

from loket.access import SUPPORTERS
from loket.blueprints.api.serializers import CLUB, SUPPORTER
from loket.extensions import db
from loket.models import Category, Referral, User
from loket.services.errors import Conflict, Forbidden, NotFound
from loket.services.requests import queues, teamwork
from loket.services.requests.request_search import Search

CLUB_VIEW = "club"
VIEWS = (*queues.QUEUE_VIEWS, CLUB_VIEW)
REFERRAL_NOT_FOUND_MESSAGE = "Deze doorverwijzing bestaat niet of je hebt er geen toegang toe."


def default_view(user: User) -> str:
    return "team" if user.has_role(*SUPPORTERS) else CLUB_VIEW


def request_page(user: User, *, view: str, status: str | None, category_id: int | None, page: int,
                 per_page: int, search: Search | None = None, sort: str = "deadline"):
    """One page of the requests `user` may list in `view`, with a constant number of queries.

    club: the user's clubs' requests, newest first. team / inkomend / uitgaand / samenwerking: the
    supporter's queue views (requests.QUEUE_VIEWS), soonest due first. `status` is a status or "open";
    None means every status. `search`: only what the words find (request_search), best match first.
    """
    if view == CLUB_VIEW:
        if not user.has_role("club"):
            raise Forbidden("De weergave ‘club’ is er alleen voor clubcontacten.", field="view")
        return queues.club_requests(user, page=page, per_page=per_page, search=search, status=status,
                                    category_id=category_id)
    if not user.has_role(*SUPPORTERS):
        raise Forbidden("De wachtrijen zijn er alleen voor ondersteuners.", field="view")
    filters = queues.QueueFilter(view=view, status=status or "alle", category_id=category_id, search=search,
                                 sort=sort)
    return queues.queue(user, filters, page=page, per_page=per_page)


def category_id_for(slug: str | None) -> int | None:
    """The id of the category with this slug (active or not), or None."""
    return db.session.scalar(select(Category.id).where(Category.slug == slug)) if slug else None


def request_for(user: User, request_id: int):
    """(audience, subject): a supporter gets their SupporterAccess, a club contact the request itself.

    NotFound when the caller has no part in the request: the same answer as for an unknown id.
    """
    if user.has_role(*SUPPORTERS):
        try:
            return SUPPORTER, teamwork.supporter_access(user, request_id)
        except NotFound:
            if not user.has_role("club"):
                raise
    return CLUB, queues.get_request_for_club_contact(user, request_id)


def open_referral_for(user: User, referral_id: int):
    """(referral, access) for a supporter whose team has a part in the referral's request.

    NotFound when it does not (or the referral does not exist); Conflict when the referral is no
    longer open (already accepted, declined or withdrawn).
    """
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(REFERRAL_NOT_FOUND_MESSAGE)
    try:
        access = teamwork.supporter_access(user, referral.request_id)
    except NotFound:
        raise NotFound(REFERRAL_NOT_FOUND_MESSAGE) from None
    if access.open_referral is None or access.open_referral.id != referral.id:
        raise Conflict("Over deze doorverwijzing is al besloten, of hij is ingetrokken.")
    return referral, access
