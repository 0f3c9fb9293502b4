"""The seed set of request categories (DESIGN §3), inserted where missing; beheer manages them afterwards."""
from sqlalchemy import select

from loket.extensions import db
from loket.models import Category

# (slug, name, scope) in display order.
SEED_CATEGORIES = (
    ("bestuur-organisatie", "Bestuur & organisatie", "generiek"),
    ("financien-subsidies-fondsen", "Financiën, subsidies & fondsen", "generiek"),
    ("vrijwilligers-kader", "Vrijwilligers & kader", "generiek"),
    ("sociaal-veilige-sport", "Sociaal veilige sport", "generiek"),
    ("kwaliteit-kader-opleiding", "Kwaliteit kader & opleiding", "generiek"),
    ("accommodatie-ruimte", "Accommodatie & ruimte", "generiek"),
    ("ledenwerving-toeleiding-inclusie", "Ledenwerving, toeleiding & inclusie", "generiek"),
    ("sport-en-zorg", "Sport & zorg", "generiek"),
    ("jeugd-veelzijdig-bewegen", "Jeugd & veelzijdig bewegen", "generiek"),
    ("sporttechnisch-competitie", "Sporttechnisch & competitie", "sportspecifiek"),
    ("overig", "Overig", "generiek"),
)


def seed_categories() -> int:
    """Insert the seed categories that are missing (by slug); never renames existing ones.

    Returns how many were added. Does not commit: the caller's transaction decides.
    """
    existing = set(db.session.scalars(select(Category.slug)))
    added = 0
    for position, (slug, name, scope) in enumerate(SEED_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, name=name, scope=scope, position=position))
            added += 1
    return added
