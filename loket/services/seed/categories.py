"""The seed set of request categories (DESIGN §3), inserted where missing; beheer manages them afterwards.

Positions are fixed per seed category and never renumbered: a category added to the seed later takes the
position of the neighbour it should follow (equal positions sort by name), so a database seeded years ago and a
fresh one show the same order. "Overig" has LAST_POSITION and stays after everything, also after categories
beheer adds (requests.categories.create_category places those before it).
"""
from sqlalchemy import select

from loket.extensions import db
from loket.models import CATEGORY_LAST_POSITION as LAST_POSITION, Category

# (position, slug, name, scope, description); clubs see them by position, then name. The descriptions say, in a
# club volunteer's words, what belongs where; they are filled in where a category has none and never overwrite
# beheer's text.
SEED_CATEGORIES = (
    (0, "bestuur-organisatie", "Bestuur & organisatie", "generiek",
     "Het bestuur, taken verdelen, vergaderen, statuten, fuseren, beleid en plannen."),
    (1, "financien-subsidies-fondsen", "Financiën, subsidies & fondsen", "generiek",
     "Begroting, contributie, sponsoring, subsidies en fondsen aanvragen."),
    (2, "vrijwilligers-kader", "Vrijwilligers & kader", "generiek",
     "Vrijwilligers werven, behouden en waarderen; een tweede drager naast wie nu alles doet."),
    (3, "sociaal-veilige-sport", "Sociaal veilige sport", "generiek",
     "Vertrouwenscontactpersoon, VOG, gedragsregels, een melding of incident, een veilig sportklimaat."),
    # Trainers & coaches belong here (decided in issue #12): opleiden, begeleiden and coachen of trainers is the
    # quality of the kader, the basiskwalificatie is one of the basiseisen, and the Clubkadercoaches offer it.
    (4, "kwaliteit-kader-opleiding", "Kwaliteit kader & opleiding", "generiek",
     "Trainers en coaches opleiden, begeleiden en ondersteunen; cursussen, bijscholing en de basiskwalificatie."),
    (5, "accommodatie-ruimte", "Accommodatie & ruimte", "generiek",
     "Het sportpark, de zaal of het clubhuis: gebruik, onderhoud, verduurzamen, huur en ruimte delen."),
    (6, "ledenwerving-toeleiding-inclusie", "Ledenwerving, toeleiding & inclusie", "generiek",
     "Nieuwe leden en doelgroepen bereiken en welkom heten; aangepast sporten."),
    (7, "sport-en-zorg", "Sport & zorg", "generiek",
     "Samenwerken met huisarts, fysiotherapeut, buurtsportcoach of welzijn; beweegprogramma's."),
    # Added in issue #12: asked by 27–51 % of the pilot's clubs; shares position 8, so it sorts after "jeugd".
    (8, "samenwerken-met-andere-clubs", "Samenwerken met andere clubs", "generiek",
     "Samen met andere clubs of een school trainers, velden, activiteiten of vrijwilligers delen."),
    (8, "jeugd-veelzijdig-bewegen", "Jeugd & veelzijdig bewegen", "generiek",
     "Jeugdsport, kennismaken met meer sporten, samenwerken met het onderwijs."),
    (9, "sporttechnisch-competitie", "Sporttechnisch & competitie", "sportspecifiek",
     "Spelregels, competitie-indeling, wedstrijden en sporttechnische vragen over jullie sport."),
    (LAST_POSITION, "overig", "Overig", "generiek", "Past je vraag nergens anders bij? Kies dan deze."),
)


def seed_categories() -> int:
    """Insert the seed categories that are missing (by slug) and fill in missing descriptions; never renames
    existing ones or moves them.

    Returns how many were added. Does not commit: the caller's transaction decides.
    """
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    added = 0
    for position, slug, name, scope, description in SEED_CATEGORIES:
        category = existing.get(slug)
        if category is None:
            db.session.add(Category(slug=slug, name=name, scope=scope, position=position, description=description))
            added += 1
        elif category.description is None:
            category.description = description
    return added
