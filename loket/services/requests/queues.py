"""Reading requests: a club contact's list, a supporter's queue views and tab counts, the fallback queue,
and the timeline. Who may see what follows DESIGN §7; every list is one page in a constant number of queries."""
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.sql import ColumnElement

from loket.extensions import db
from loket.models import (
    OPEN_STATUSES,
    STATUSES,
    Category,
    Club,
    Collaborator,
    Event,
    Gemeente,
    Loket,
    Referral,
    RequestTeamCount,
    SupportRequest,
    Team,
    User,
    status_in,
)
from loket.services.errors import NotFound
from loket.services.network.teams import team_ids_of
from loket.services.pagination import RowPage, counts_in_one, page_of, windowed
from loket.services.ids import as_id
from loket.services.requests import request_search
from loket.services.requests.categories import queue_filter_categories
from loket.services.requests.request_search import Search

NOT_FOUND_MESSAGE = "Deze aanvraag bestaat niet of je hebt er geen toegang toe."


def get_request_for_club_contact(user: User, request_id: int) -> SupportRequest:
    request = db.session.get(SupportRequest, request_id)
    if request is None or request.club_id not in user.club_ids:
        raise NotFound(NOT_FOUND_MESSAGE)
    return request


CLUB_PAGE_SIZE = 25


def club_requests(user: User, *, page: int = 1, per_page: int | None = None, search: Search | None = None,
                  status: str | None = None, category_id: int | None = None):
    """A club contact's requests, newest first (the club's list and the API's view "club"); with `search`, those
    the words find in what the club may read (never an internal note), best match first. `status`: a status or
    "open"; None is every status."""
    query = (select(SupportRequest).where(SupportRequest.club_id.in_(user.club_ids))
             .options(selectinload(SupportRequest.filed_by).lazyload(User.memberships)))
    if status == "open":
        query = query.where(status_in(OPEN_STATUSES))
    elif status in STATUSES:
        query = query.where(status_in([status]))
    if category_id:
        query = query.where(SupportRequest.category_id == category_id)
    order = (SupportRequest.created_at.desc(), SupportRequest.id.desc())
    if search is not None:
        query = query.where(request_search.matching(search, include_internal=False))
        order = (request_search.rank(search), *order)
    query = query.order_by(*order)
    return db.paginate(query, page=page, per_page=per_page or CLUB_PAGE_SIZE, error_out=False)


def timeline(request: SupportRequest, *, include_internal: bool) -> list[Event]:
    query = (select(Event).where(Event.request_id == request.id)
             .options(selectinload(Event.actor)).order_by(Event.id))
    if not include_internal:
        query = query.where(Event.is_public)
    return list(db.session.scalars(query))

QUEUE_VIEWS = {
    "team": "Ons team",
    "inkomend": "Doorverwezen aan ons",
    "uitgaand": "Door ons doorverwezen",
    "samenwerking": "Wij werken mee",
}


# How a queue can be ordered (the first is the default); each has an index behind it (models/request.py).
QUEUE_SORTS = {
    "deadline": "deadline, eerstvolgende eerst",
    "oudste": "oudste eerst",
    "activiteit": "laatste activiteit eerst",
    "club": "club (A–Z)",
}


@dataclass(frozen=True)
class QueueFilter:
    view: str = "team"  # one of QUEUE_VIEWS
    status: str | None = None  # a status, "open" (default) or "alle"
    category_id: int | None = None
    assignee: str | None = None  # "ik", "niemand" or a user id
    search: Search | None = None  # typed words: also the internal notes (a team working on it reads them)
    sort: str = "deadline"  # one of QUEUE_SORTS


def _own_requests_view(view: str) -> bool:
    """Whether a queue view holds the team's own requests (QUEUE_VIEWS' "team"; an unknown key is "team")."""
    return view not in ("inkomend", "uitgaand", "samenwerking")


def _in_view(view: str, team_ids: list[int]) -> ColumnElement[bool]:
    """The requests of a queue view (QUEUE_VIEWS; an unknown key is "team") as a condition, so several views
    can be counted in one query."""
    if _own_requests_view(view):
        return SupportRequest.owner_team_id.in_(team_ids)
    if view in ("inkomend", "uitgaand"):
        team = Referral.to_team_id if view == "inkomend" else Referral.from_team_id
        return exists().where(Referral.request_id == SupportRequest.id, Referral.state == "voorgesteld",
                              team.in_(team_ids))
    return exists().where(Collaborator.request_id == SupportRequest.id, Collaborator.ended_at.is_(None),
                          Collaborator.team_id.in_(team_ids))


def _narrowed(filters: QueueFilter) -> bool:
    """Whether a filter asks more of a request than its view and status (a category, an assignee, words)."""
    return bool(filters.category_id or filters.assignee or filters.search is not None)


def _statuses(filters: QueueFilter) -> tuple[str, ...] | None:
    """The statuses a filter asks for: one, the open ones (the default), or None for all ("alle")."""
    if filters.status in STATUSES:
        return (filters.status,)
    return None if filters.status == "alle" else OPEN_STATUSES


def _conditions(user: User, filters: QueueFilter) -> list[ColumnElement[bool]]:
    """Everything a QueueFilter asks of a request (not its order), for this user."""
    conditions = [_in_view(filters.view, team_ids_of(user))]
    if (statuses := _statuses(filters)) is not None:
        conditions.append(status_in(statuses))
    if filters.category_id:
        conditions.append(SupportRequest.category_id == filters.category_id)
    if filters.assignee == "ik":
        conditions.append(SupportRequest.assignee_id == user.id)
    elif filters.assignee == "niemand":
        conditions.append(SupportRequest.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isascii() and filters.assignee.isdigit():
        # A number that can name no user (too large) finds no request, as an unknown id does.
        conditions.append(SupportRequest.assignee_id == (as_id(filters.assignee) or 0))
    if filters.search is not None:
        conditions.append(request_search.matching(filters.search, include_internal=True))
    return conditions


def queue_query(user: User, filters: QueueFilter, *, table: bool = False):
    """The select behind a supporter's queue view, soonest due first (index-backed), with each row's club,
    category, sport, assignee, filer, owner team and open referral (the API's and the start page's lists).
    `table`: only what the queue page's table shows (see `_loading`)."""
    return _ordered(select(SupportRequest), user, filters).options(*_loading(table))


def _loading(table: bool) -> tuple:
    """How a queue's rows come with what they show. `table` (the queue page): club, assignee and open referral
    joined (all many-to-one, so the index's order and LIMIT stay), sport by id in a statement of its own,
    category from the session (queue_page loads every category before the rows; a many-to-one in the session
    costs no query). Each join makes PostgreSQL's planning dearer: with category and sport joined too, planning
    took 2-3 ms of a page's 3 ms statement. Otherwise (the API, the start page): club joined, the rest by id."""
    if table:
        return (joinedload(SupportRequest.club).lazyload(Club.gemeente), lazyload(SupportRequest.owner_team),
                lazyload(SupportRequest.category), selectinload(SupportRequest.sport),
                joinedload(SupportRequest.assignee).lazyload(User.memberships),
                joinedload(SupportRequest.open_referral).options(lazyload(Referral.from_team),
                                                                 lazyload(Referral.to_team)))
    return (joinedload(SupportRequest.club).lazyload(Club.gemeente), selectinload(SupportRequest.sport),
            selectinload(SupportRequest.owner_team),
            selectinload(SupportRequest.assignee).lazyload(User.memberships),
            selectinload(SupportRequest.filed_by).lazyload(User.memberships),
            selectinload(SupportRequest.open_referral))


def _ordered(query, user: User, filters: QueueFilter):
    """`query` (a select of SupportRequest or its columns) narrowed by the filter and in the filter's order."""
    return _in_order(query.where(*_conditions(user, filters)), filters)


def _in_order(query, filters: QueueFilter):
    """`query` in the filter's order: a search's best matches first, then the chosen sort."""
    query, order = _sorted(query, filters.sort)
    if filters.search is not None:
        order = (request_search.rank(filters.search), *order)
    return query.order_by(*order)


def _page_query(user: User, filters: QueueFilter, *, table: bool):
    """queue_query for one page (pagination.page_of). A search ranks every match, and a later page skips the
    rows before it; over whole rows both read every one of those with its texts and joins (5,000 matches of a
    common word: 40 ms, 10 ms over narrow rows; page 20: 5 ms, 0.5 ms), so they pick the page's ids first and
    read only those rows whole — by id alone: repeating the filter there let the plan PostgreSQL keeps for the
    prepared statement (which guesses a search finds a handful) read all 5,000 matches again to join them with
    the 50 ids (40 ms against 12). A category or assignee filter picks its ids first too: that kept plan, which
    guesses a filter finds a handful, joined every match before sorting (3.5 ms against 0.4 for 379 matches;
    more with each year)."""
    def page(limit, offset):
        if offset == 0 and not _narrowed(filters):
            return windowed(queue_query(user, filters, table=table), limit, offset)
        picked = windowed(_ordered(select(SupportRequest.id), user, filters), limit, offset)
        return _in_order(select(SupportRequest).where(SupportRequest.id.in_(picked)), filters).options(
            *_loading(table))

    return page


def count_query(user: User, filters: QueueFilter):
    """How many requests a filter finds, for pagination.counts_in_one (which counts several in one statement,
    each with its own index: an OR of the filters over one scan would read every request). A filter that asks
    only for statuses of the user's teams' own requests is summed from the team × status summary
    (models.team_counts: a few rows, however long the history); any other is a select of the ids to count."""
    if _narrowed(filters) or not _own_requests_view(filters.view):
        return select(SupportRequest.id).where(*_conditions(user, filters))
    counted = select(func.coalesce(func.sum(RequestTeamCount.requests), 0)).where(
        RequestTeamCount.team_id.in_(team_ids_of(user)))
    if (statuses := _statuses(filters)) is not None:
        counted = counted.where(RequestTeamCount.status.in_(statuses))
    return counted.scalar_subquery()


def counts_of(user: User, filters: list[QueueFilter]) -> list[int]:
    """How many requests each filter finds, in one query whatever their number (the tabs, the saved views)."""
    return counts_in_one([count_query(user, one) for one in filters])


def _sorted(query, sort: str):
    """The queue's select and its ORDER BY for a QUEUE_SORTS key (an unknown key: the deadline order)."""
    if sort == "oudste":
        return query, (SupportRequest.created_at, SupportRequest.id)
    if sort == "activiteit":
        return query, (SupportRequest.updated_at.desc(), SupportRequest.id.desc())
    if sort == "club":
        return (query.join(Club, Club.id == SupportRequest.club_id),
                (Club.name, SupportRequest.created_at, SupportRequest.id))
    # NULLS LAST written out (PostgreSQL's default for ASC, SQLite's opposite), so the index on
    # (owner_team_id, due_at) serves the order as it is.
    return query, (SupportRequest.due_at.asc().nulls_last(), SupportRequest.id)


def queue(user: User, filters: QueueFilter, *, page: int = 1, per_page: int | None = None) -> RowPage:
    """One page of a supporter's queue view: its count, then its rows (two queries)."""
    return queue_page(user, filters, page=page, per_page=per_page).pagination


@dataclass(frozen=True)
class QueuePage:
    pagination: RowPage
    tabs: dict[str, int]  # open requests per queue view (QUEUE_VIEWS)
    counts: list[int]  # what each of `also_count` finds, in order
    categories: list[Category]  # with `table`: every category, for the filter (the rows' come from these)


def queue_page(user: User, filters: QueueFilter, *, page: int = 1, per_page: int | None = None,
               tabs: bool = False, also_count: tuple = (), table: bool = False) -> QueuePage:
    """One page of a supporter's queue view with everything the page counts — its total, with `tabs` the open
    requests of every queue view, and the selects of `also_count` (saved views, aanmeldingen) — in one
    statement, then the page's rows in a second (none for a page beyond the last: the view redirects). With
    `table` first every category (the page's filter lists them), so each row's category is found in the session."""
    categories = queue_filter_categories() if table else []
    tab_filters = [QueueFilter(view=view) for view in QUEUE_VIEWS] if tabs else []
    total, *counted = counts_in_one([count_query(user, filters), *(count_query(user, one) for one in tab_filters),
                                     *also_count])
    rows = page_of(_page_query(user, filters, table=table), page=page, total=total, entities=True,
                   per_page=per_page or current_app.config["QUEUE_PAGE_SIZE"])
    return QueuePage(rows, dict(zip(QUEUE_VIEWS, counted[:len(tab_filters)])), counted[len(tab_filters):],
                     categories)


def queue_counts(user: User) -> dict[str, int]:
    """Open requests per queue view, for the tabs (one query for all of them, whatever the data size)."""
    return dict(zip(QUEUE_VIEWS, counts_of(user, [QueueFilter(view=view) for view in QUEUE_VIEWS])))


@dataclass(frozen=True)
class FallbackHandover:
    """The latest hand-over (a referral from the fallback team) of a request in the fallback queue."""

    state: str  # voorgesteld (waiting for the loket), afgewezen, ingetrokken
    loket: str
    reason: str  # the coördinatiepunt's own reason
    decline_reason: str | None
    created_at: datetime
    due_at: datetime
    decided_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state == "voorgesteld"


@dataclass(frozen=True)
class FallbackItem:
    """A request in the fallback queue as the coördinatiepunt sees it: metadata only, never its contents."""

    id: int
    reference: str
    status: str
    created_at: datetime
    due_at: datetime | None
    category: str
    gemeente: str
    province: str
    handover: FallbackHandover | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def may_hand_over(self) -> bool:
        return self.is_open and (self.handover is None or not self.handover.is_open)

    def waiting_days(self, now: datetime) -> int:
        return max(0, (now - self.created_at).days)


def _in_fallback_queue():
    # The fallback team's id as a value (an InitPlan), not a join: so the index on (owner_team_id, created_at)
    # serves the newest-first order and the LIMIT, and the count reads that index only.
    return SupportRequest.owner_team_id == select(Team.id).where(Team.kind == "fallback").scalar_subquery()


def _fallback_rows():
    """The requests the fallback team owns, with the metadata the coördinatiepunt may see (no title, no text)."""
    return (
        select(SupportRequest.id, SupportRequest.reference, SupportRequest.status, SupportRequest.created_at,
               SupportRequest.due_at, SupportRequest.owner_team_id, Category.name.label("category"),
               Gemeente.name.label("gemeente"), Gemeente.province.label("province"))
        .join(Category, SupportRequest.category_id == Category.id)
        .join(Club, SupportRequest.club_id == Club.id)
        .join(Gemeente, Club.gemeente_id == Gemeente.id)
        .where(_in_fallback_queue())
    )


def _fallback_items(rows) -> list[FallbackItem]:
    """The rows with their latest hand-over each (one query for all of them, whatever their number)."""
    handovers: dict[int, FallbackHandover] = {}
    if rows:
        for referral in db.session.execute(
                select(Referral.request_id, Referral.state, Referral.reason, Referral.decline_reason,
                       Referral.created_at, Referral.due_at, Referral.decided_at, Loket.name.label("loket"))
                .join(Team, Team.id == Referral.to_team_id).join(Loket, Loket.id == Team.loket_id)
                .where(Referral.request_id.in_([row.id for row in rows]),
                       Referral.from_team_id == rows[0].owner_team_id)
                .order_by(Referral.id.desc())):
            handovers.setdefault(referral.request_id, FallbackHandover(
                state=referral.state, loket=referral.loket, reason=referral.reason,
                decline_reason=referral.decline_reason, created_at=referral.created_at, due_at=referral.due_at,
                decided_at=referral.decided_at))
    return [FallbackItem(id=row.id, reference=row.reference, status=row.status, created_at=row.created_at,
                         due_at=row.due_at, category=row.category, gemeente=row.gemeente, province=row.province,
                         handover=handovers.get(row.id)) for row in rows]


def fallback_queue(*, page: int = 1) -> RowPage:
    """The coördinatiepunt's fallback queue (FallbackItem), newest first: metadata only, never titles or
    descriptions, with each request's latest hand-over to a loket. Three queries."""
    query = _fallback_rows().order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc())
    # Counted without the joins (each row has its category, club and gemeente): the count needs the index only.
    total = counts_in_one([select(SupportRequest.id).where(_in_fallback_queue())])[0]
    rows = page_of(query, page=page, per_page=current_app.config["QUEUE_PAGE_SIZE"], total=total)
    return replace(rows, items=_fallback_items(rows.items))


def fallback_item(request_id: int) -> FallbackItem | None:
    """One request of the fallback queue, as the queue shows it; None when the request is not (or no longer)
    there — a loket took it over, say. :raises NotFound: there is no such request."""
    if as_id(request_id) is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    rows = db.session.execute(_fallback_rows().where(SupportRequest.id == request_id)).all()
    if not rows:
        if db.session.get(SupportRequest, request_id) is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return None
    return _fallback_items(rows)[0]
