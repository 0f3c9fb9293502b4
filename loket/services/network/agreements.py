"""Agreements between a bond (or brancheorganisatie) and the loketten: per category, who handles questions of
clubs of its sports — the bond, the loket, or both together (`samen`). The bond's lead proposes; the
coördinatiepunt confirms, which replaces what routed before, or rejects the proposal with a reason. Only
confirmed agreements route (services/requests/routing); categories without one keep the default of their scope.
Every change is kept in the bond's history, and the other side is mailed (messaging/agreement_notifications).

Also the reading side: the coördinatiepunt's list of every bond with its state, one bond's page (what routes
now beside a pending proposal, and the history), per sport where a club's question goes (the public pages), and
the agreements that apply to a loket's clubs (the evidence for criterion K8 at an audit)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import (
    AGREEMENT_HANDLERS,
    BOND_KINDS,
    Bond,
    BondAgreement,
    Category,
    Club,
    Gemeente,
    NetworkChange,
    Sport,
    User,
    bond_sports,
    club_sports,
)
from loket.models.base import utcnow
from loket.services import search
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.ids import as_key
from loket.services.messaging import agreement_notifications
from loket.services.network import history
from loket.services.network.bonden import get_bond
from loket.services.network.bonden import matching as bond_matching
from loket.services.network.teams import is_team_lead
from loket.services.pagination import paginate_rows
from loket.services.requests.categories import available_categories, display_key
from loket.services.text import CONTROL_MESSAGE, has_control_characters
from loket.services.transaction import commit

HANDLER_LABELS = {"bond": "de bond", "loket": "het loket", "samen": "samen"}
STATE_LABELS = {"none": "Geen afspraken", "proposed": "Voorstel wacht op bevestiging", "confirmed": "Bevestigd"}
STATES = tuple(STATE_LABELS)
ONLY_THE_LEAD = "Alleen de coördinator van de bond stelt de afspraken voor."
ONLY_THE_COORDINATIEPUNT = "Alleen het landelijk coördinatiepunt bevestigt afspraken."
ONLY_THE_COORDINATIEPUNT_REJECTS = "Alleen het landelijk coördinatiepunt wijst een voorstel af."
NOT_YOURS = "Alleen de bond zelf, het landelijk coördinatiepunt en beheer zien de afspraken van deze bond."
NOTHING_PROPOSED = "Deze bond heeft geen voorstel voor afspraken om te bevestigen."
NOTHING_TO_REJECT = "Deze bond heeft geen voorstel voor afspraken om af te wijzen."
EMPTY_PROPOSAL = "Het voorstel is leeg: kies bij minstens één categorie wie de vraag behandelt."
PROPOSAL_CHANGED = ("Het voorstel is intussen gewijzigd door de bond. Bekijk het nieuwe voorstel en beslis "
                    "opnieuw.")
REASON_MISSING = "Schrijf op waarom je het voorstel afwijst; de coördinator van de bond krijgt dit te lezen."
REASON_MAX = 2000


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
    categories = available_categories()
    rows = list(db.session.scalars(select(BondAgreement).where(BondAgreement.bond_id == bond.id)))
    confirmed = {row.category_id: row.handled_by for row in rows if row.state == "confirmed"}
    pending = {row.category_id: row.handled_by for row in rows if row.state == "proposed"}
    proposed = {c.slug: pending[c.id] for c in categories if c.id in pending}  # in display order
    current = [Agreement(c, confirmed.get(c.id, default_handler(c.scope)), c.id not in confirmed)
               for c in categories]
    state = "proposed" if proposed else "confirmed" if confirmed else "none"
    return BondAgreements(bond=bond, state=state, current=current, proposed=proposed or None)


def proposal_stamp(bond_id: int) -> str | None:
    """The moment of the bond's pending proposal as text (None without one): a form that decides on a proposal
    carries it, so a proposal replaced meanwhile is not confirmed or rejected unseen. One query."""
    moment = db.session.scalar(select(func.max(BondAgreement.proposed_at)).where(
        BondAgreement.bond_id == bond_id, BondAgreement.state == "proposed"))
    return moment.isoformat() if moment else None


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
    agreement_notifications.agreements_proposed(bond, proposer=actor, now=now)
    commit()
    return agreements_of(bond)


def confirm(key: str, *, actor: User, now: datetime | None = None, seen: str | None = None) -> BondAgreements:
    """The coördinatiepunt confirms the bond's proposal: it becomes what routes, replacing the confirmed set.
    `seen`: the proposal_stamp of the proposal the coördinatiepunt looked at (a form sends it; the API may not).
    Side effects: commits, with one history row per category whose handler changes; the bond's leads are mailed.

    :raises Forbidden: not the coördinatiepunt. :raises Conflict: nothing proposed, or another proposal than seen.
    """
    if not actor.has_role("coordinatiepunt"):
        raise Forbidden(ONLY_THE_COORDINATIEPUNT)
    bond = get_bond(key)
    now = now or utcnow()
    before = agreements_of(bond)
    if before.proposed is None:
        raise Conflict(NOTHING_PROPOSED)
    _require_seen(bond, seen)
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
    agreement_notifications.agreements_confirmed(bond, now=now)
    commit()
    return agreements_of(bond)


def reject(key: str, reason: str | None, *, actor: User, now: datetime | None = None,
           seen: str | None = None) -> BondAgreements:
    """The coördinatiepunt rejects the bond's pending proposal, saying why: the proposal is gone and what routed
    before keeps routing. Side effects: commits, with one history row per proposed category (the reason with
    it); the bond's leads are mailed the reason.

    :raises Forbidden: not the coördinatiepunt. :raises InvalidInput: {"reason": …}.
    :raises Conflict: nothing proposed, or another proposal than seen.
    """
    if not actor.has_role("coordinatiepunt"):
        raise Forbidden(ONLY_THE_COORDINATIEPUNT_REJECTS)
    bond = get_bond(key)
    now = now or utcnow()
    reason = " ".join((reason or "").split())
    if has_control_characters(reason):
        raise InvalidInput({"reason": CONTROL_MESSAGE})
    if not reason:
        raise InvalidInput({"reason": REASON_MISSING})
    if len(reason) > REASON_MAX:
        raise InvalidInput({"reason": f"De reden mag maximaal {REASON_MAX} tekens lang zijn (nu {len(reason)})."})
    before = agreements_of(bond)
    if before.proposed is None:
        raise Conflict(NOTHING_TO_REJECT)
    _require_seen(bond, seen)
    names = {a.category.slug: a.category.name for a in before.current}
    db.session.execute(delete(BondAgreement).where(BondAgreement.bond_id == bond.id,
                                                   BondAgreement.state == "proposed"))
    for slug, handled_by in before.proposed.items():
        history.record("bond", "agreement_rejected", f"{names[slug]}: {HANDLER_LABELS[handled_by]}", None,
                       actor=actor, bond_id=bond.id, reason=reason, now=now)
    agreement_notifications.agreements_rejected(bond, reason=reason, now=now)
    commit()
    return agreements_of(bond)


def _require_seen(bond: Bond, seen: str | None) -> None:
    if seen is not None and seen != proposal_stamp(bond.id):
        raise Conflict(PROPOSAL_CHANGED)


def _checked(bond: Bond, entries) -> list[tuple[Category, str]]:
    """The (category, handled_by) pairs of a proposal, every problem in one Dutch message."""
    problems: list[str] = []
    entries = list(entries or [])
    if not entries:
        raise InvalidInput({"agreements": EMPTY_PROPOSAL})
    slugs = [slug for slug, _ in entries]
    categories = {c.slug: c for c in db.session.scalars(select(Category).where(Category.slug.in_(
        [s for s in slugs if as_key(s) is not None]), Category.active))}
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


def decide(scope: str, bonden: list[tuple[Bond, str | None]]) -> tuple[str, Bond | None]:
    """Who handles a category for a club of one sport, as routing decides it when the club's gemeente has an
    operational loket: of the aangesloten bonden (lowest key first) the first whose confirmed agreement (or,
    without one, the scope's default) involves the bond; otherwise the loket. `bonden`: (bond, handled_by or
    None). The same rule as requests.routing.route, for the pages that show it (a test keeps them equal)."""
    default = default_handler(scope)
    for bond, handled_by in sorted((pair for pair in bonden if pair[0].aangesloten), key=lambda pair: pair[0].key):
        handler = handled_by or default
        if handler != "loket":
            return handler, bond
    return "loket", None


def serving(bonden: list[Bond], club_kind: str) -> list[Bond]:
    """The bonden of a sport that serve a club of this kind: an onderneming its brancheorganisaties, other clubs
    their sportbonden, where the sport has one of that kind (as routing reads them)."""
    preferred = "brancheorganisatie" if club_kind == "onderneming" else "bond"
    return [b for b in bonden if b.kind == preferred] or list(bonden)


# ---------------------------------------------------------------- the coördinatiepunt's list

@dataclass(frozen=True)
class BondRow:
    bond: Bond
    state: str  # "none" | "proposed" | "confirmed"
    proposed_at: datetime | None
    confirmed_at: datetime | None


def _state_columns():
    proposed_at = (select(func.max(BondAgreement.proposed_at))
                   .where(BondAgreement.bond_id == Bond.id, BondAgreement.state == "proposed")
                   .correlate(Bond).scalar_subquery())
    confirmed_at = (select(func.max(BondAgreement.confirmed_at))
                    .where(BondAgreement.bond_id == Bond.id, BondAgreement.state == "confirmed")
                    .correlate(Bond).scalar_subquery())
    state = case((proposed_at.is_not(None), "proposed"), (confirmed_at.is_not(None), "confirmed"), else_="none")
    return proposed_at, confirmed_at, state


def list_bonden(*, page: int = 1, per_page: int = 50, text: str | None = None, kind: str | None = None,
                state: str | None = None):
    """Every bond and brancheorganisatie with the state of its agreements, pending proposals first (oldest
    first), then by name; optionally only those whose name, abbreviation, key or a sport contains `text`, of one
    kind or in one state. A page of BondRow; three queries (count, page, sports).

    :raises InvalidInput: {"q": …} for unusable search text.
    """
    text = search.search_text(text)
    proposed_at, confirmed_at, state_column = _state_columns()
    query = (select(Bond, state_column.label("state"), proposed_at.label("proposed_at"),
                    confirmed_at.label("confirmed_at"))
             .options(selectinload(Bond.sports))
             .order_by(case((proposed_at.is_not(None), 0), else_=1), proposed_at, Bond.name, Bond.id))
    if text:
        query = query.where(bond_matching(text))
    if kind in BOND_KINDS:
        query = query.where(Bond.kind == kind)
    if state in STATES:
        query = query.where(state_column == state)
    rows = paginate_rows(query, page=page, per_page=per_page)
    return type(rows)(items=[BondRow(*row) for row in rows.items], page=rows.page, per_page=rows.per_page,
                      total=rows.total)


def state_counts() -> dict[str, int]:
    """How many bonden (and brancheorganisaties) are in each state, for every state. One query."""
    _, _, state_column = _state_columns()
    states = select(state_column.label("state")).select_from(Bond).subquery()
    counts = dict(db.session.execute(select(states.c.state, func.count()).group_by(states.c.state)).all())
    return {state: counts.get(state, 0) for state in STATES}


# ---------------------------------------------------------------- one bond's page

@dataclass(frozen=True)
class Comparison:
    """One category: what routes now, and what the pending proposal would make of it."""

    category: Category
    handled_by: str
    is_default: bool
    proposed: str | None  # None: no proposal pending

    @property
    def changes(self) -> bool:
        return self.proposed is not None and self.proposed != self.handled_by


@dataclass(frozen=True)
class AgreementPage:
    bond: Bond
    state: str
    rows: list[Comparison]
    proposed_by: User | None
    proposed_at: datetime | None
    confirmed_by: User | None
    confirmed_at: datetime | None
    stamp: str | None  # proposal_stamp of the pending proposal
    changes: list[NetworkChange] = field(default_factory=list)  # the agreements' history, newest first
    may_propose: bool = False  # the viewer is the bond's lead
    may_decide: bool = False  # the viewer is the coördinatiepunt and a proposal is pending

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.changes)


def may_read(viewer: User, bond: Bond) -> bool:
    """The coördinatiepunt, beheer and the bond's own members read its agreements."""
    return viewer.has_role("coordinatiepunt", "beheer") or bond.id in viewer.bond_ids


def bond_page(key, *, viewer: User) -> AgreementPage:
    """A bond's agreements for its page: per active category what routes now (and whether that is the
    default), the pending proposal beside it, who proposed and confirmed when, and the history of its
    agreements. Reads only; a constant number of queries.

    :raises NotFound: no such bond. :raises Forbidden: not the coördinatiepunt, beheer or a member of the bond.
    """
    bond = get_bond(key)
    if not may_read(viewer, bond):
        raise Forbidden(NOT_YOURS)
    state = agreements_of(bond)
    rows = [Comparison(a.category, a.handled_by, a.is_default,
                       None if state.proposed is None else
                       state.proposed.get(a.category.slug, default_handler(a.category.scope)))
            for a in state.current]
    meta = db.session.execute(select(BondAgreement.state, BondAgreement.proposed_by_id, BondAgreement.proposed_at,
                                     BondAgreement.confirmed_by_id, BondAgreement.confirmed_at)
                              .where(BondAgreement.bond_id == bond.id)).all()
    proposal = max((m for m in meta if m.state == "proposed"), key=lambda m: m.proposed_at, default=None)
    confirmed = max((m for m in meta if m.state == "confirmed"), key=lambda m: m.confirmed_at, default=None)
    user_ids = {proposal.proposed_by_id if proposal else None, confirmed.confirmed_by_id if confirmed else None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids - {None})))} \
        if user_ids - {None} else {}
    return AgreementPage(
        bond=bond, state=state.state, rows=rows,
        proposed_by=users.get(proposal.proposed_by_id) if proposal else None,
        proposed_at=proposal.proposed_at if proposal else None,
        confirmed_by=users.get(confirmed.confirmed_by_id) if confirmed else None,
        confirmed_at=confirmed.confirmed_at if confirmed else None,
        stamp=proposal.proposed_at.isoformat() if proposal else None,
        changes=history.of_bond(bond.id, field_prefix="agreement"),
        may_propose=is_team_lead(viewer, "bond", bond.id),
        may_decide=viewer.has_role("coordinatiepunt") and state.proposed is not None,
    )


def for_proposal(key, *, actor: User) -> AgreementPage:
    """The page behind the lead's proposal form (pre-filled with the pending proposal or what routes now).

    :raises NotFound: no such bond. :raises Forbidden: not the bond's lead.
    """
    bond = get_bond(key)
    if not is_team_lead(actor, "bond", bond.id):
        raise Forbidden(ONLY_THE_LEAD)
    return bond_page(key, viewer=actor)


# ---------------------------------------------------------------- per sport, where a question goes (public)

@dataclass(frozen=True)
class Destination:
    handled_by: str  # "bond" | "samen" | "loket"
    bond_name: str | None  # the bond (alone or with the loket); None for the loket
    categories: tuple[str, ...]  # category names in display order


@dataclass(frozen=True)
class Audience:
    """Where questions of one kind of club go; `clubs` None = every club of the sport, else "verenigingen" or
    "ondernemingen" (a sport with both a sportbond and a brancheorganisatie)."""

    clubs: str | None
    destinations: tuple[Destination, ...]  # the bonden's first, the loket's ("the rest") last


@dataclass(frozen=True)
class SportQuestions:
    """Sports whose questions go the same way (a bond's sports usually do), by name."""

    sports: tuple[str, ...]
    audiences: tuple[Audience, ...]


@dataclass(frozen=True)
class QuestionsBySport:
    sports: list[SportQuestions]  # only sports of an aangesloten bond with confirmed agreements, by first name
    sport_specific: tuple[str, ...]  # the categories that go to an aangesloten bond by default


AUDIENCES = (("verenigingen", "vereniging"), ("ondernemingen", "onderneming"))


def where_questions_go(sport_ids: list[int] | None = None) -> QuestionsBySport:
    """Per sport where a club's question in each category goes, for the sports of aangesloten bonden with
    confirmed agreements (of `sport_ids` only, when given): to a bond, to the loket together with a bond, or to the
    loket; sports whose questions go the same way come together. Other sports keep the default: `sport_specific` names the categories that go to their bond.
    Only public facts (bond names, categories). One query: every bond of those sports × every active category,
    with the bond's confirmed agreement for it.
    """
    agreed = (select(bond_sports.c.sport_id)
              .join(Bond, Bond.id == bond_sports.c.bond_id)
              .join(BondAgreement, BondAgreement.bond_id == Bond.id)
              .where(Bond.aangesloten.is_(True), BondAgreement.state == "confirmed"))
    if sport_ids is not None:
        agreed = agreed.where(bond_sports.c.sport_id.in_(list(sport_ids)))
    rows = db.session.execute(
        select(Sport.id, Sport.name, Bond, Category, BondAgreement.handled_by).select_from(bond_sports)
        .join(Sport, Sport.id == bond_sports.c.sport_id).join(Bond, Bond.id == bond_sports.c.bond_id)
        .join(Category, Category.active.is_(True))
        .outerjoin(BondAgreement, (BondAgreement.bond_id == Bond.id) & (BondAgreement.category_id == Category.id)
                   & (BondAgreement.state == "confirmed"))
        .where(bond_sports.c.sport_id.in_(agreed.distinct()))).all()
    categories = sorted({row.Category for row in rows}, key=display_key)
    handled = {(row.Bond.id, row.Category.id): row.handled_by for row in rows if row.handled_by}
    by_sport: dict[tuple[str, int], dict[int, Bond]] = {}
    for row in rows:
        by_sport.setdefault((row.name, row.id), {})[row.Bond.id] = row.Bond
    alike: dict[tuple[Audience, ...], list[str]] = {}  # sports whose questions go the same way, together
    for (sport_name, _), found in sorted(by_sport.items(), key=lambda item: (item[0][0].casefold(), item[0][1])):
        bonden = sorted(found.values(), key=lambda b: b.key)
        groups = [(label, serving(bonden, kind)) for label, kind in AUDIENCES]
        if {b.id for b in groups[0][1]} == {b.id for b in groups[1][1]}:
            groups = [(None, groups[0][1])]
        audiences = tuple(_audience(label, group, categories, handled) for label, group in groups)
        alike.setdefault(audiences, []).append(sport_name)
    sports = [SportQuestions(tuple(names), audiences) for audiences, names in alike.items()]
    return QuestionsBySport(sports=sports,
                            sport_specific=tuple(c.name for c in categories if c.is_sport_specific))


def _audience(label, bonden: list[Bond], categories: list[Category], handled: dict) -> Audience:
    places: dict[tuple[str, str | None], list[str]] = {}
    for category in categories:
        handler, bond = decide(category.scope, [(b, handled.get((b.id, category.id))) for b in bonden])
        places.setdefault((handler, bond.name if bond else None), []).append(category.name)
    order = {"bond": 0, "samen": 1, "loket": 2}
    return Audience(label, tuple(Destination(handler, name, tuple(names)) for (handler, name), names
                                 in sorted(places.items(), key=lambda item: (order[item[0][0]], item[0][1] or ""))))


# ---------------------------------------------------------------- evidence for K8 at an audit

@dataclass(frozen=True)
class BondEvidence:
    """A bond's confirmed agreements, as they apply to a loket's clubs."""

    bond: Bond
    sports: tuple[str, ...]  # the sports of the loket's clubs that the bond covers
    by_bond: tuple[str, ...]  # categories the bond handles
    samen: tuple[str, ...]  # categories the loket handles with the bond
    by_loket: tuple[str, ...]  # categories agreed to stay at the loket
    confirmed_at: datetime | None
    confirmed_by: str | None


@dataclass(frozen=True)
class LoketEvidence:
    agreements: list[BondEvidence]  # bonden with confirmed agreements, by name
    without: list[Bond]  # aangesloten bonden of the clubs' sports without confirmed agreements, by name


def evidence_for_loket(loket_id: int) -> LoketEvidence:
    """The confirmed agreements that apply to a loket's clubs: those of the bonden (and brancheorganisaties) of
    the sports of the active clubs in the gemeenten it serves, with who handles what and when it was confirmed;
    and the aangesloten bonden of those sports that have none. Two queries."""
    pairs = db.session.execute(
        select(Bond, Sport.name).select_from(Club)
        .join(Gemeente, Gemeente.id == Club.gemeente_id)
        .join(club_sports, club_sports.c.club_id == Club.id)
        .join(Sport, Sport.id == club_sports.c.sport_id)
        .join(bond_sports, bond_sports.c.sport_id == Sport.id)
        .join(Bond, Bond.id == bond_sports.c.bond_id)
        .where(Gemeente.loket_id == loket_id, Club.status == "actief").distinct()).all()
    bonden: dict[int, Bond] = {}
    sports: dict[int, set[str]] = {}
    for bond, sport in pairs:
        bonden[bond.id] = bond
        sports.setdefault(bond.id, set()).add(sport)
    rows = db.session.execute(
        select(BondAgreement, User.name).outerjoin(User, User.id == BondAgreement.confirmed_by_id)
        .where(BondAgreement.state == "confirmed", BondAgreement.bond_id.in_(list(bonden)))).all() if bonden else []
    agreed: dict[int, list[tuple[BondAgreement, str | None]]] = {}
    for row, name in rows:
        agreed.setdefault(row.bond_id, []).append((row, name))
    evidence = []
    for bond_id, found in agreed.items():
        found.sort(key=lambda pair: display_key(pair[0].category))

        def named(handler, found=found):
            return tuple(row.category.name for row, _ in found if row.handled_by == handler)
        latest = max(found, key=lambda pair: pair[0].confirmed_at or datetime.min)
        evidence.append(BondEvidence(bonden[bond_id], tuple(sorted(sports[bond_id], key=str.casefold)),
                                     named("bond"), named("samen"), named("loket"),
                                     latest[0].confirmed_at, latest[1]))
    evidence.sort(key=lambda item: (item.bond.name.casefold(), item.bond.id))
    without = sorted((b for b in bonden.values() if b.aangesloten and b.id not in agreed),
                     key=lambda b: (b.name.casefold(), b.id))
    return LoketEvidence(evidence, without)
