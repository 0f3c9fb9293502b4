"""Agreements between a bond (or brancheorganisatie) and the loketten: per category, who handles questions of
clubs of its sports — the bond, the loket, or both together (`samen`). The bond's lead proposes; the
coördinatiepunt confirms, which replaces what routed before. Only confirmed agreements route
(services/requests/routing); categories without one keep the default of their scope. Every change is kept in the
bond's history."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from loket.extensions import db
from loket.models import AGREEMENT_HANDLERS, Bond, BondAgreement, Category, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.network import history
from loket.services.network.bonden import get_bond
from loket.services.network.teams import is_team_lead
from loket.services.transaction import commit

HANDLER_LABELS = {"bond": "de bond", "loket": "het loket", "samen": "samen"}
ONLY_THE_LEAD = "Alleen de coördinator van de bond stelt de afspraken voor."
ONLY_THE_COORDINATIEPUNT = "Alleen het landelijk coördinatiepunt bevestigt afspraken."
NOTHING_PROPOSED = "Deze bond heeft geen voorstel voor afspraken om te bevestigen."


def default_handler(scope: str) -> str:
    """Who handles a category while a bond has no confirmed agreement for it: its scope decides."""
    return "bond" if scope == "sportspecifiek" else "loket"


@dataclass(frozen=True)
class Agreement:
    category: Category
    handled_by: str
    is_default: bool  # no confirmed agreement: the category's scope decides


@dataclass(frozen=True)
class BondAgreements:
    bond: Bond
    state: str  # "none" | "proposed" | "confirmed"
    current: list[Agreement]  # what routes now, for every active category
    proposed: dict[str, str] | None  # category slug → handled_by of the pending proposal


def agreements_of(bond: Bond) -> BondAgreements:
    """What routes now for every active category, and the pending proposal if any (two queries)."""
    categories = list(db.session.scalars(select(Category).where(Category.active).order_by(Category.position,
                                                                                          Category.id)))
    rows = list(db.session.scalars(select(BondAgreement).where(BondAgreement.bond_id == bond.id)))
    confirmed = {row.category_id: row.handled_by for row in rows if row.state == "confirmed"}
    pending = {row.category_id: row.handled_by for row in rows if row.state == "proposed"}
    proposed = {c.slug: pending[c.id] for c in categories if c.id in pending}  # in display order
    current = [Agreement(c, confirmed.get(c.id, default_handler(c.scope)), c.id not in confirmed)
               for c in categories]
    state = "proposed" if proposed else "confirmed" if confirmed else "none"
    return BondAgreements(bond=bond, state=state, current=current, proposed=proposed or None)


def propose(key: str, entries: list[tuple[str, str]], *, actor: User, now: datetime | None = None) -> BondAgreements:
    """The bond's lead proposes who handles which category (slug, handled_by); categories left out keep their
    default. Replaces an earlier proposal. Side effects: commits the proposal and its history.

    :raises Forbidden: not the bond's lead. :raises InvalidInput: {"agreements": Dutch}, nothing stored.
    """
    bond = get_bond(key)
    if not is_team_lead(actor, "bond", bond.id):
        raise Forbidden(ONLY_THE_LEAD)
    now = now or utcnow()
    chosen = _checked(bond, entries)
    db.session.execute(delete(BondAgreement).where(BondAgreement.bond_id == bond.id,
                                                   BondAgreement.state == "proposed"))
    for category, handled_by in chosen:
        db.session.add(BondAgreement(bond_id=bond.id, category_id=category.id, handled_by=handled_by,
                                     state="proposed", proposed_by_id=actor.id, proposed_at=now))
        history.record("bond", "agreement_proposed", None, f"{category.name}: {HANDLER_LABELS[handled_by]}",
                       actor=actor, bond_id=bond.id, now=now)
    commit()
    return agreements_of(bond)


def confirm(key: str, *, actor: User, now: datetime | None = None) -> BondAgreements:
    """The coördinatiepunt confirms the bond's proposal: it becomes what routes, replacing the confirmed set.
    Side effects: commits, with one history row per category whose handler changes.

    :raises Forbidden: not the coördinatiepunt. :raises Conflict: nothing proposed.
    """
    if not actor.has_role("coordinatiepunt"):
        raise Forbidden(ONLY_THE_COORDINATIEPUNT)
    bond = get_bond(key)
    now = now or utcnow()
    before = agreements_of(bond)
    if before.proposed is None:
        raise Conflict(NOTHING_PROPOSED)
    # Still valid now? (the bond may have been disconnected since the proposal)
    _checked(bond, list(before.proposed.items()))
    db.session.execute(delete(BondAgreement).where(BondAgreement.bond_id == bond.id,
                                                   BondAgreement.state == "confirmed"))
    db.session.execute(update(BondAgreement).where(BondAgreement.bond_id == bond.id,
                                                   BondAgreement.state == "proposed")
                       .values(state="confirmed", confirmed_by_id=actor.id, confirmed_at=now)
                       .execution_options(synchronize_session=False))
    for agreement in before.current:
        new = before.proposed.get(agreement.category.slug, default_handler(agreement.category.scope))
        history.record("bond", "agreement", f"{agreement.category.name}: {HANDLER_LABELS[agreement.handled_by]}",
                       f"{agreement.category.name}: {HANDLER_LABELS[new]}", actor=actor, bond_id=bond.id, now=now)
    commit()
    return agreements_of(bond)


def _checked(bond: Bond, entries) -> list[tuple[Category, str]]:
    """The (category, handled_by) pairs of a proposal, every problem in one Dutch message."""
    problems: list[str] = []
    entries = list(entries or [])
    slugs = [slug for slug, _ in entries]
    categories = {c.slug: c for c in db.session.scalars(select(Category).where(Category.slug.in_(
        [s for s in slugs if isinstance(s, str) and s.isprintable() and len(s) <= 80]), Category.active))}
    chosen, seen = [], set()
    for slug, handled_by in entries:
        category = categories.get(slug) if isinstance(slug, str) else None
        if category is None:
            problems.append(f"De categorie ‘{slug}’ bestaat niet (of wordt niet meer gebruikt).")
        elif slug in seen:
            problems.append(f"De categorie ‘{category.name}’ staat twee keer in het voorstel.")
        elif handled_by not in AGREEMENT_HANDLERS:
            problems.append(f"Kies bij ‘{category.name}’ wie de vraag behandelt: bond, loket of samen.")
        elif handled_by != "loket" and not bond.aangesloten and not category.is_sport_specific:
            problems.append(f"{bond.name} is nog niet aangesloten bij het netwerk, dus kan ‘{category.name}’ niet "
                            "(mee) behandelen; laat die vraag bij het loket tot de bond is aangesloten.")
        else:
            chosen.append((category, handled_by))
        if isinstance(slug, str):
            seen.add(slug)
    if problems:
        raise InvalidInput({"agreements": " ".join(problems)})
    return chosen
