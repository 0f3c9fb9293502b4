"""Request categories (DESIGN §3): data in a table; what clubs file under and queues filter on; beheer manages them."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from loket.extensions import db
from loket.models import CATEGORY_LAST_POSITION as LAST_POSITION, CATEGORY_SCOPES, Category
from loket.services import search
from loket.services.errors import InvalidInput, NotFound
from loket.services.text import SLUG_MAX, SLUG_PATTERN, has_control_characters, slugify
from loket.services.transaction import commit


# The order categories are shown in everywhere: by position (seed.categories), then name. ORDER for a query,
# display_key for categories already loaded.
ORDER = (Category.position, Category.name, Category.id)


def display_key(category: Category) -> tuple:
    return category.position, category.name, category.id


def available_categories() -> list[Category]:
    """The categories a club can file under, in display order."""
    return list(db.session.scalars(select(Category).where(Category.active).order_by(*ORDER)))


def by_slug(slug: str | None) -> Category | None:
    """The category with this slug (active or not), or None."""
    return db.session.scalar(select(Category).where(Category.slug == slug)) if slug else None


def queue_filter_categories() -> list[Category]:
    """Every category, deactivated ones last (old requests keep them, so queues can filter on them)."""
    return list(db.session.scalars(select(Category).order_by(Category.active.desc(), *ORDER)))


# ---------------------------------------------------------------- managed by beheer

NAME_MAX = 120
DESCRIPTION_MAX = 300
NOT_FOUND_MESSAGE = "Deze categorie bestaat niet."


def search_categories(*, text: str | None = None, page: int = 1, per_page: int = 50):
    """One page of categories, active or not, in display order, whose name or slug contains `text` (two
    queries). :raises InvalidInput: {"q": …} for unusable search text."""
    text = search.search_text(text)
    query = select(Category).order_by(*ORDER)
    if text:
        query = query.where(search.contains(text, Category.name, Category.slug))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_category(category_id) -> Category:
    try:
        category = db.session.get(Category, int(category_id))
    except (TypeError, ValueError):
        category = None
    if category is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return category


def create_category(name: str, scope: str, slug: str | None = None) -> Category:
    """Add a category at the end of the list, before "Overig". Without a slug one is derived from the name.

    Side effects: commits.
    """
    errors: dict[str, str] = {}
    name = _validate_name(errors, name, exclude_id=None)
    if scope not in CATEGORY_SCOPES:
        errors["scope"] = "Kies of de categorie generiek of sportspecifiek is."
    slug = (slug or "").strip().lower()
    taken = set(db.session.scalars(select(Category.slug)))
    if slug:
        if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
            errors["slug"] = (f"Een slug bestaat uit kleine letters, cijfers en streepjes "
                              f"(hooguit {SLUG_MAX} tekens), bijvoorbeeld ‘sport-en-zorg’.")
        elif slug in taken:
            errors["slug"] = f"De slug ‘{slug}’ is al in gebruik; kies een andere."
    elif name and "name" not in errors:
        slug = _free_slug(slugify(name), taken)
        if not slug:
            errors["name"] = "Gebruik in de naam minstens één letter of cijfer."
    if errors:
        raise InvalidInput(errors)
    highest = db.session.scalar(select(func.max(Category.position)).where(Category.position < LAST_POSITION))
    position = min((highest or 0) + 1, LAST_POSITION - 1)
    category = Category(slug=slug, name=name, scope=scope, position=position, active=True)
    db.session.add(category)
    _commit_unique()
    return category


def rename_category(category_id, name: str, *, description: str | None = None) -> Category:
    """Give a category a new name and, when given, a new explanation for clubs ("" clears it, and the seed then
    leaves it empty); its slug stays, so links and seeds keep working. Commits."""
    category = get_category(category_id)
    errors: dict[str, str] = {}
    name = _validate_name(errors, name, exclude_id=category.id)
    if description is not None:
        description = " ".join(description.split())
        if len(description) > DESCRIPTION_MAX:
            errors["description"] = f"De uitleg mag maximaal {DESCRIPTION_MAX} tekens lang zijn (nu {len(description)})."
        elif has_control_characters(description):
            errors["description"] = "De uitleg kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    if errors:
        raise InvalidInput(errors)
    category.name = name
    if description is not None:
        category.description = description
    _commit_unique()
    return category


def set_category_active(category_id, active: bool) -> Category:
    """(De)activate a category. Inactive ones cannot be chosen for new requests or offers;
    existing requests keep theirs. Commits.
    """
    category = get_category(category_id)
    if not active and category.active:
        others = db.session.scalar(
            select(func.count()).select_from(Category).where(Category.active, Category.id != category.id))
        if not others:
            raise InvalidInput({"active": "Er moet minstens één actieve categorie overblijven, "
                                          "anders kunnen clubs geen aanvraag meer indienen."})
    category.active = bool(active)
    commit()
    return category


def _validate_name(errors: dict, name: str | None, *, exclude_id: int | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Geef de categorie een naam."
    elif len(name) > NAME_MAX:
        errors["name"] = f"De naam mag maximaal {NAME_MAX} tekens lang zijn (nu {len(name)})."
    elif has_control_characters(name):
        errors["name"] = "De naam kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."
    else:
        # The table is small; comparing in Python folds case the same way on every database.
        for other_id, other_name in db.session.execute(select(Category.id, Category.name)):
            if other_id != exclude_id and other_name.casefold() == name.casefold():
                errors["name"] = f"Er bestaat al een categorie met de naam ‘{other_name}’."
                break
    return name


def _free_slug(base: str, taken: set[str]) -> str:
    if not base or base not in taken:
        return base
    suffix = 2
    while True:
        candidate = f"{base[:SLUG_MAX - len(str(suffix)) - 1]}-{suffix}"
        if candidate not in taken:
            return candidate
        suffix += 1


def _commit_unique() -> None:
    try:
        commit()
    except IntegrityError:
        # A simultaneous create took the same slug between our check and the commit.
        db.session.rollback()
        raise InvalidInput(
            {"slug": "Deze slug is net door iemand anders in gebruik genomen; probeer het opnieuw."}) from None
