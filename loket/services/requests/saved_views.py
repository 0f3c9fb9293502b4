"""Saved queue views: a supporter names the queue's current filter and order to open it again in one click; a
team lead saves one for the whole team. Each is a QueueFilter kept as the page's query string has it, so it
finds exactly what the queue would, visibility included, and all views are counted in one query."""
from dataclasses import dataclass

from sqlalchemy import or_, select

from loket.extensions import db
from loket.models import STATUSES, Category, SavedView, Team, User
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.ids import as_id
from loket.services.pagination import counts_in_one
from loket.services.network.teams import leads_team, team_ids_of, teams_of
from loket.services.requests import queues
from loket.services.requests.queues import QUEUE_SORTS, QUEUE_VIEWS, QueueFilter
from loket.services.requests.request_search import Search
from loket.services.text import CONTROL_MESSAGE, has_control_characters, required_text
from loket.services.transaction import commit

NAME_MAX = 60
# Enough for any working day; a list beyond this is no longer a set of shortcuts.
VIEWS_PER_OWNER = 30
NOT_FOUND = "Deze weergave bestaat niet of je mag hem niet wijzigen."
ASSIGNEE_KEYWORDS = ("ik", "niemand")


@dataclass(frozen=True)
class CountedView:
    view: SavedView
    count: int
    may_delete: bool


def views_of(user: User) -> list[SavedView]:
    """The user's own views, then those of their teams, each by name. One query."""
    team_ids = team_ids_of(user)
    owned = [SavedView.user_id == user.id] + ([SavedView.team_id.in_(team_ids)] if team_ids else [])
    return list(db.session.scalars(
        select(SavedView).where(or_(*owned))
        .order_by(SavedView.team_id.is_not(None), SavedView.team_id, SavedView.name, SavedView.id)))


def count_queries(user: User, views: list[SavedView]) -> list:
    """What each view finds for this user, as selects to count with a page's other counts in one statement."""
    return [queues.count_query(user, filters_of(view)) for view in views]


def counted(user: User, views: list[SavedView], counts: list[int] | None = None) -> list[CountedView]:
    """The views with what each finds now for this user (one query for all of them; none when `counts`, what
    `count_queries` found, were counted with the page's other counts)."""
    if counts is None:
        counts = counts_in_one(count_queries(user, views))
    led = {team.id for team in teams_to_save_for(user)} if any(view.team_id for view in views) else set()
    return [CountedView(view, count, view.user_id == user.id or view.team_id in led)
            for view, count in zip(views, counts)]


def filters_of(view: SavedView) -> QueueFilter:
    """The queue filter a view stands for. A stored search that today's rule would refuse searches nothing."""
    try:
        search = Search.of(view.search)
    except InvalidInput:
        search = None
    return QueueFilter(view=view.queue_view, status=view.status, category_id=view.category_id,
                       assignee=view.assignee, search=search, sort=view.sort)


def query_string(view: SavedView) -> dict[str, str]:
    """The queue page's parameters for a view (what the filters form would send)."""
    values = {"weergave": view.queue_view, "status": view.status, "categorie": view.category_id,
              "behandelaar": view.assignee, "q": view.search, "volgorde": view.sort}
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


def is_showing(view: SavedView, filters: QueueFilter) -> bool:
    """Does the queue, filtered like this, show exactly this view?"""
    return filters_of(view) == filters


def may_delete(user: User, view: SavedView) -> bool:
    if view.user_id is not None:
        return view.user_id == user.id
    team = db.session.get(Team, view.team_id)
    return team is not None and leads_team(user, team)


def teams_to_save_for(user: User) -> list[Team]:
    """The teams whose shared views this user may make: those they lead."""
    return [team for team in teams_of(user) if leads_team(user, team)]


def save(user: User, *, name: str | None, filters: QueueFilter, team_id=None) -> SavedView:
    """Save the queue's filter and order as a named view: the user's own, or (team_id) their team's when they
    lead it. :raises InvalidInput: a missing, long or taken name, an unknown filter value, too many views.
    :raises Forbidden: a team the user does not lead."""
    errors: dict[str, str] = {}
    name = required_text(errors, "name", name, missing="Geef de weergave een naam.", limit=NAME_MAX,
                         what="De naam")
    if "name" not in errors and has_control_characters(name):
        errors["name"] = CONTROL_MESSAGE
    team = None
    if team_id not in (None, ""):
        team = db.session.get(Team, as_id(team_id)) if as_id(team_id) else None
        if team is None or team.id not in team_ids_of(user):
            raise InvalidInput({"team_id": "Kies een team waarin je werkt."})
        if not leads_team(user, team):
            raise Forbidden("Alleen een teamleider kan een weergave voor het hele team bewaren.")
    errors.update(_filter_problems(filters))
    if errors:
        raise InvalidInput(errors)
    owner = (SavedView.team_id == team.id) if team else (SavedView.user_id == user.id)
    if db.session.scalar(select(db.func.count()).select_from(SavedView).where(owner)) >= VIEWS_PER_OWNER:
        raise InvalidInput({"name": f"Er zijn al {VIEWS_PER_OWNER} weergaven; verwijder er eerst een."})
    if db.session.scalar(select(SavedView.id).where(owner, SavedView.name == name)) is not None:
        raise InvalidInput({"name": "Er is al een weergave met deze naam."})
    view = SavedView(name=name, user_id=None if team else user.id, team_id=team.id if team else None,
                     queue_view=filters.view, status=filters.status, category_id=filters.category_id,
                     assignee=filters.assignee, search=filters.search.text if filters.search else None,
                     sort=filters.sort, created_by_id=user.id)
    db.session.add(view)
    commit()  # the same name saved at the same moment: the unique constraint, a 409
    return view


def _filter_problems(filters: QueueFilter) -> dict[str, str]:
    problems = {}
    if filters.view not in QUEUE_VIEWS:
        problems["weergave"] = "Kies een van de wachtrijen."
    if filters.status not in (None, "alle", *STATUSES):
        problems["status"] = "Kies een bestaande status."
    if filters.sort not in QUEUE_SORTS:
        problems["volgorde"] = "Kies een van de volgordes."
    if filters.category_id and db.session.get(Category, filters.category_id) is None:
        problems["categorie"] = "Kies een bestaande categorie."
    assignee = filters.assignee
    if assignee not in (None, *ASSIGNEE_KEYWORDS) and as_id(assignee) is None:
        problems["behandelaar"] = "Kies een behandelaar uit de lijst."
    return problems


def delete(user: User, view_id) -> str:
    """Remove a view (its owner, or a lead of its team); returns its name. :raises NotFound: not theirs."""
    view_id = as_id(view_id)
    view = db.session.get(SavedView, view_id) if view_id else None
    visible = view is not None and (view.user_id == user.id or view.team_id in team_ids_of(user))
    if not visible:
        raise NotFound(NOT_FOUND)
    if not may_delete(user, view):
        raise Forbidden("Alleen een teamleider kan een weergave van het team verwijderen.")
    name = view.name
    db.session.delete(view)
    commit()
    return name
