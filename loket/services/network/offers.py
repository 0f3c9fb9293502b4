"""The support offer catalogue (ondersteuningsaanbod): what loketten, bonden and landelijke initiatieven offer clubs,
by category.

Only members of a team manage its offers (any kind of team alike). Every function that writes commits exactly once.
"""
from sqlalchemy import case, or_, select
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import (
    Bond,
    Category,
    Club,
    SupportOffer,
    Team,
    User,
    bond_sports,
    club_sports,
    offer_categories,
)
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network.teams import team_ids_of
from loket.services.requests.categories import ORDER as CATEGORY_ORDER
from loket.services.text import CONTROL_MESSAGE, LINE_CHARACTERS, has_control_characters
from loket.services.transaction import commit

NOT_FOUND_MESSAGE = "Dit aanbod bestaat niet of je hebt er geen toegang toe."
TEAM_NOT_FOUND_MESSAGE = "Dit team bestaat niet of je bent er geen lid van."
FORBIDDEN_MESSAGE = "Alleen leden van dit team kunnen het aanbod beheren."
LIMITS = {"title": 160, "description": 5000, "contact": 300}
CATALOGUE_PAGE_SIZE = 25


# ---------------------------------------------------------------- reading

def managed_teams(user: User) -> list[Team]:
    """The loket, bond and initiative teams whose catalogue `user` manages."""
    team_ids = team_ids_of(user)
    if not team_ids:
        return []
    return list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.id)))


def get_team_for_manager(user: User, team_id) -> Team:
    team_id = _as_int(team_id)
    team = db.session.get(Team, team_id) if team_id is not None else None
    if team is None or team.id not in team_ids_of(user):
        raise NotFound(TEAM_NOT_FOUND_MESSAGE)
    return team


def get_offer_for_manager(user: User, offer_id) -> SupportOffer:
    offer_id = _as_int(offer_id)
    offer = db.session.get(SupportOffer, offer_id) if offer_id is not None else None
    if offer is None or offer.team_id not in team_ids_of(user):
        raise NotFound(NOT_FOUND_MESSAGE)
    return offer


def list_offers(team_id: int) -> list[SupportOffer]:
    """All offers of one team, active ones first, with their categories (two queries)."""
    return list(db.session.scalars(
        select(SupportOffer).where(SupportOffer.team_id == team_id)
        .options(selectinload(SupportOffer.categories))
        .order_by(SupportOffer.active.desc(), SupportOffer.title, SupportOffer.id)
    ))


def catalogue(*, category_id: int | None = None, page: int = 1):
    """One page of every team's active offers, optionally for one category (constant query count)."""
    query = select(SupportOffer).where(SupportOffer.active)
    if category_id:
        query = query.where(_has_category(category_id))
    query = query.options(selectinload(SupportOffer.categories)).order_by(SupportOffer.title, SupportOffer.id)
    return db.paginate(query, page=page, per_page=CATALOGUE_PAGE_SIZE, error_out=False)


def offer_category_choices(offer: SupportOffer | None = None) -> list[Category]:
    """Active categories, plus any inactive ones the offer already has (so editing keeps them)."""
    current_ids = [c.id for c in offer.categories] if offer is not None else []
    condition = or_(Category.active, Category.id.in_(current_ids)) if current_ids else Category.active
    return list(db.session.scalars(select(Category).where(condition).order_by(*CATEGORY_ORDER)))


def _has_category(category_id: int):
    # Straight on the link table: its category_id index answers it without touching categories.
    return SupportOffer.id.in_(
        select(offer_categories.c.offer_id).where(offer_categories.c.category_id == category_id))


# ---------------------------------------------------------------- suggestions

def suggest_offers(category_id: int, team_ids: list[int], limit: int = 5) -> list[SupportOffer]:
    """Active offers for a category, those of `team_ids` first (in the order given), then the rest.

    One query: the team with its loket/bond is joined; categories are not loaded (don't render them).
    """
    preference = (case({team_id: rank for rank, team_id in enumerate(team_ids)},
                       value=SupportOffer.team_id, else_=len(team_ids))
                  if team_ids else None)
    query = (select(SupportOffer)
             .where(SupportOffer.active, _has_category(category_id)))
    if preference is not None:
        query = query.order_by(preference)
    query = query.order_by(SupportOffer.title, SupportOffer.id).limit(limit)
    return list(db.session.scalars(query))


def suggestion_team_ids(club: Club) -> list[int]:
    """The teams whose offers suit a club best: its gemeente's loket, then the aangesloten bonden of
    its sports (by team id). One query. Landelijke initiatieven serve every club alike, so their offers follow these
    (suggest_offers: the rest, by title).
    """
    conditions = [Team.bond_id.in_(_connected_bonden(club))]
    if club.gemeente.loket_id is not None:
        conditions.append(Team.loket_id == club.gemeente.loket_id)
    return list(db.session.scalars(
        select(Team.id).where(or_(*conditions))
        .order_by(case((Team.kind == "loket", 0), else_=1), Team.id)
    ))


def _connected_bonden(club: Club):
    """The ids of the aangesloten bonden of the club's sports (a subquery)."""
    return (select(bond_sports.c.bond_id)
            .join(Bond, Bond.id == bond_sports.c.bond_id)
            .join(club_sports, club_sports.c.sport_id == bond_sports.c.sport_id)
            .where(club_sports.c.club_id == club.id, Bond.aangesloten))


def suggest_offers_for(club: Club, category_id: int, limit: int = 5) -> list[SupportOffer]:
    """`suggest_offers(category_id, suggestion_team_ids(club), limit)` in one query, the club's teams read inside it:
    active offers for the category, those of the club's loket first, then those of its aangesloten bonden (by team
    id), then the rest; each by title. The team with its loket/bond is joined; categories are not loaded."""
    bond_teams = select(Team.id).where(Team.bond_id.in_(_connected_bonden(club)))
    ranks = [(SupportOffer.team_id.in_(bond_teams), 1)]
    if club.gemeente.loket_id is not None:
        ranks.insert(0, (SupportOffer.team_id.in_(select(Team.id).where(Team.loket_id == club.gemeente.loket_id)), 0))
    return list(db.session.scalars(
        select(SupportOffer).where(SupportOffer.active, _has_category(category_id))
        .order_by(case(*ranks, else_=2), case((SupportOffer.team_id.in_(bond_teams), SupportOffer.team_id), else_=0),
                  SupportOffer.title, SupportOffer.id)
        .limit(limit)))


# ---------------------------------------------------------------- managing

def create_offer(*, actor: User, team_id, title: str, description: str, contact: str | None,
                 category_ids) -> SupportOffer:
    """Add an (active) offer to a team's catalogue. Side effects: commits."""
    team_id = _as_int(team_id)
    if team_id is None or team_id not in team_ids_of(actor):
        raise Forbidden(FORBIDDEN_MESSAGE)
    values, categories = _validate(title=title, description=description, contact=contact,
                                   category_ids=category_ids, offer=None)
    offer = SupportOffer(team_id=team_id, categories=categories, active=True, **values)
    db.session.add(offer)
    commit()
    return offer


def update_offer(offer: SupportOffer, *, actor: User, title: str, description: str, contact: str | None,
                 category_ids) -> SupportOffer:
    """Change an offer's text and categories. Side effects: commits."""
    _require_member(actor, offer)
    values, categories = _validate(title=title, description=description, contact=contact,
                                   category_ids=category_ids, offer=offer)
    for attribute, value in values.items():
        setattr(offer, attribute, value)
    offer.categories = categories
    commit()
    return offer


def set_offer_active(offer: SupportOffer, active: bool, *, actor: User) -> SupportOffer:
    """Show (active) or hide an offer in the catalogue and suggestions. Side effects: commits."""
    _require_member(actor, offer)
    offer.active = bool(active)
    commit()
    return offer


def _require_member(actor: User, offer: SupportOffer) -> None:
    if offer.team_id not in team_ids_of(actor):
        raise Forbidden(FORBIDDEN_MESSAGE)


def _validate(*, title, description, contact, category_ids, offer) -> tuple[dict, list[Category]]:
    errors: dict[str, str] = {}
    values = {"title": " ".join((title or "").split()), "description": (description or "").strip(),
              "contact": " ".join((contact or "").split())}
    if not values["title"]:
        errors["title"] = "Geef het aanbod een titel."
    if not values["description"]:
        errors["description"] = "Beschrijf wat het aanbod inhoudt en voor wie het is."
    for key, limit in LIMITS.items():
        if key not in errors and len(values[key]) > limit:
            errors[key] = f"Dit veld mag maximaal {limit} tekens lang zijn (nu {len(values[key])})."
        elif key not in errors and has_control_characters(values[key], allowed=LINE_CHARACTERS):
            errors[key] = CONTROL_MESSAGE
    ids = {_as_int(value) for value in (category_ids or []) if str(value).strip()}
    allowed = {c.id: c for c in offer_category_choices(offer)}
    if not ids:
        errors["categories"] = "Kies minstens één categorie waar dit aanbod bij hoort."
    elif None in ids or not ids <= allowed.keys():
        errors["categories"] = "Kies categorieën uit de lijst."
    if errors:
        raise InvalidInput(errors)
    values["contact"] = values["contact"] or None
    return values, [allowed[i] for i in sorted(ids, key=lambda i: (allowed[i].position, allowed[i].name))]


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
