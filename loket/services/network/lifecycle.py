"""A loket's life cycle and its gemeenten's realisation stages, as beheer and the coördinatiepunt manage them:
status, the gemeenten served, aangehaakt, name and contact data, exploring a loket; the stage counts the
overview shows, per province now and month by month.

Every change is kept as history (`network.history`); a gemeente's stage changes get a 'stage' row each, from
which the counts over time are replayed. Writers validate everything first, then write, then commit once.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import GEMEENTE_STAGES, Gemeente, Loket, NetworkChange, User
from loket.models.base import AMSTERDAM, day_in_amsterdam, last_months, next_month, today_in_amsterdam, utcnow
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import history, loketten, stages
from loket.services.network.regions import PROVINCES, Grouping
from loket.services.network.stages import stage_of
from loket.services.network.teams import leads_of
from loket.services.search import contains, search_text
from loket.services.text import GEMEENTE_CODE_PATTERN, has_control_characters
from loket.services.transaction import commit

CONTACT_FIELDS = tuple(loketten.PUBLIC_DETAIL_LIMITS)
EDITABLE_FIELDS = ("name", "status", "aangehaakt", "aangehaakt_at", "gemeenten", *CONTACT_FIELDS)
REASON_MAX = 1000
GOING_BACK_MESSAGE = ("Een operationeel loket terugzetten naar ‘in oprichting’ kan alleen met een reden: nieuwe "
                      "aanvragen uit zijn gemeenten gaan dan weer naar de opvangwachtrij van het coördinatiepunt.")


# ---------------------------------------------------------------- exploring (stage geen ↔ verkennen)

def set_exploring(gemeente: Gemeente, exploring: bool, *, actor: User, since: date | None = None,
                  now: datetime | None = None) -> Gemeente:
    """Mark a gemeente without a loket as exploring one since `since` (default today), or not any more.

    A gemeente that a loket serves takes its stage from that loket, so it is refused. Commits once, with a
    'stage' history row when the stage changes.
    """
    if gemeente.loket is not None:
        raise InvalidInput({"exploring": f"Gemeente {gemeente.name} wordt al bediend door {gemeente.loket.name}; "
                                         "haar fase volgt de status van dat loket."})
    today = today_in_amsterdam()
    if since is not None and since > today:
        raise InvalidInput({"since": "De datum waarop de gemeente begon met verkennen ligt in de toekomst."})
    old = stage_of(gemeente)
    if exploring and gemeente.exploring_since is None:
        gemeente.exploring_since = since or today
    elif not exploring:
        gemeente.exploring_since = None
    stages.record_stage(gemeente, old, stage_of(gemeente), actor=actor, loket_id=None, now=now)
    commit()
    return gemeente


# ---------------------------------------------------------------- changing a loket

@dataclass
class _Plan:
    """What update_loket will write, decided before anything is written."""

    values: dict  # loket attribute → new value (only those that change)
    added: list[Gemeente]
    removed: list[Gemeente]


def update_loket(loket: Loket, *, actor: User, changes: dict, reason: str | None = None, take_over: bool = False,
                 now: datetime | None = None) -> Loket:
    """Change any of a loket's name, status, aangehaakt (and its date), gemeenten served and contact fields.

    `changes` holds only what is to be set: `gemeenten` is the full list of CBS codes served afterwards;
    `aangehaakt` (bool) sets aangehaakt_at to `aangehaakt_at` if given, else today in the Netherlands, and
    clears it when false. Going back from operationeel to in_oprichting needs a `reason`. A gemeente served by
    another loket is refused unless `take_over`, which moves it here.

    Requests follow the gemeente: when the loket is operational afterwards, the open requests waiting in the
    fallback queue for its newly operational gemeenten move to it, and the open requests a previous loket owns
    for the clubs of a gemeente taken over from it move too (each with a 'moved' event and a notice to the
    club). A gemeente removed without a new loket keeps its open requests where they are (its former loket
    finishes them or refers them on); new filings from it go to the fallback queue by routing. Clubs belong to
    the gemeente, so they move with it; pending aanmeldingen follow the gemeente too.

    Every changed field gets a history row with `reason`; every gemeente whose stage changes a 'stage' row.
    Validates everything first; commits once.
    """
    now = now or utcnow()
    plan = _plan(loket, changes, reason, take_over)
    reason = " ".join((reason or "").split()) or None
    old_stages = {g.id: stage_of(g) for g in [*loket.gemeenten, *plan.added]}
    previous_lokets = {g.id: g.loket for g in plan.added if g.loket is not None}
    was_operational = loket.is_operational

    for field, value in plan.values.items():
        history.record("loket", field, getattr(loket, field), value, actor=actor, loket_id=loket.id,
                       reason=reason, now=now)
        setattr(loket, field, value)
    _move_gemeenten(loket, plan, previous_lokets, actor=actor, reason=reason, now=now)

    stayed = [g for g in loket.gemeenten if g not in plan.removed and g not in plan.added]
    for gemeente in [*stayed, *plan.added]:
        stages.record_stage(gemeente, old_stages[gemeente.id], loket.status, actor=actor, loket_id=loket.id,
                            reason=reason, now=now)
    for gemeente in plan.removed:
        stages.record_stage(gemeente, old_stages[gemeente.id], stages.stage_without_loket(gemeente), actor=actor,
                            loket_id=loket.id, reason=reason, now=now)

    if loket.is_operational:
        newly_operational = [*plan.added, *([] if was_operational else stayed)]
        stages.pull_fallback_requests(loket, newly_operational, actor=actor, now=now)
        by_previous: dict[int, list[Gemeente]] = defaultdict(list)
        for gemeente in plan.added:
            if gemeente.id in previous_lokets:
                by_previous[previous_lokets[gemeente.id].id].append(gemeente)
        for gemeenten in by_previous.values():
            stages.pull_requests_from(loket, previous_lokets[gemeenten[0].id], gemeenten, actor=actor, now=now)
    commit()
    return loket


def _plan(loket: Loket, changes: dict, reason: str | None, take_over: bool) -> _Plan:
    errors: dict[str, str] = {}
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput({name: "Dit veld bestaat niet (of is niet te wijzigen)." for name in unknown})
    values: dict = {}
    if "name" in changes:
        values["name"] = loketten.clean_loket_name(errors, changes["name"])
    if "status" in changes:
        values["status"] = loketten.clean_status(errors, changes["status"])
    reason_text = " ".join((reason or "").split())
    if len(reason_text) > REASON_MAX:
        errors["reason"] = f"De reden mag maximaal {REASON_MAX} tekens lang zijn (nu {len(reason_text)})."
    elif has_control_characters(reason_text):
        errors["reason"] = "De reden kan geen stuurtekens bevatten."
    elif values.get("status") == "in_oprichting" and loket.is_operational and not reason_text:
        errors["reason"] = GOING_BACK_MESSAGE
    _plan_aangehaakt(errors, loket, changes, values)
    values.update(loketten.clean_public_details(errors, changes, [f for f in CONTACT_FIELDS if f in changes]))
    added, removed = [], []
    if "gemeenten" in changes:
        codes = changes["gemeenten"]
        if isinstance(codes, str) or not isinstance(codes, list | tuple):
            errors["gemeenten"] = "Geef de gemeenten als een lijst van CBS-codes."
        else:
            wanted = loketten.gemeenten_to_serve(errors, list(codes), loket=loket, take_over=take_over)
            added = [g for g in wanted if g.loket_id != loket.id]
            removed = [g for g in loket.gemeenten if g not in wanted]
    if errors:
        raise InvalidInput(errors)
    return _Plan(values={k: v for k, v in values.items() if getattr(loket, k) != v}, added=added, removed=removed)


def _plan_aangehaakt(errors: dict, loket: Loket, changes: dict, values: dict) -> None:
    aangehaakt = changes.get("aangehaakt", loket.aangehaakt)
    since = changes.get("aangehaakt_at")
    if not isinstance(aangehaakt, bool):
        errors["aangehaakt"] = "Kies of het loket is aangehaakt (ja of nee)."
        return
    if since is not None and (not isinstance(since, date) or isinstance(since, datetime)):
        errors["aangehaakt_at"] = "Vul de datum van aanhaken in als dag, bijvoorbeeld 2026-03-01."
        return
    if since is not None and since > today_in_amsterdam():
        errors["aangehaakt_at"] = "De datum van aanhaken ligt in de toekomst."
        return
    if since is not None and not aangehaakt:
        errors["aangehaakt_at"] = "Een datum van aanhaken hoort bij een aangehaakt loket; vink ‘aangehaakt’ aan."
        return
    if "aangehaakt" in changes:
        values["aangehaakt"] = aangehaakt
    if not aangehaakt:
        values["aangehaakt_at"] = None
    elif since is not None:
        values["aangehaakt_at"] = since
    elif "aangehaakt" in changes and (not loket.aangehaakt or loket.aangehaakt_at is None):
        values["aangehaakt_at"] = today_in_amsterdam()


def _move_gemeenten(loket: Loket, plan: _Plan, previous_lokets: dict[int, Loket], *, actor: User,
                    reason: str | None, now: datetime) -> None:
    """Serve the added gemeenten and let go of the removed ones, recording each on the lokets concerned.

    The write is guarded by the loket each gemeente had when it was checked, so a concurrent change cannot be
    overwritten unseen.
    """
    expected: dict[int | None, list[int]] = defaultdict(list)
    for gemeente in plan.added:
        expected[gemeente.loket_id].append(gemeente.id)
    for previous_id, ids in expected.items():
        guard = Gemeente.loket_id.is_(None) if previous_id is None else Gemeente.loket_id == previous_id
        moved = db.session.execute(
            update(Gemeente).where(Gemeente.id.in_(ids), guard).values(loket_id=loket.id, exploring_since=None)
            .execution_options(synchronize_session=False)).rowcount
        if moved != len(ids):
            db.session.rollback()
            raise InvalidInput({"gemeenten": "Een van deze gemeenten is net aan een ander loket gekoppeld; "
                                              "bekijk de lijst en probeer het opnieuw."})
    if plan.removed:
        db.session.execute(update(Gemeente).where(Gemeente.id.in_([g.id for g in plan.removed]),
                                                  Gemeente.loket_id == loket.id)
                           .values(loket_id=None).execution_options(synchronize_session=False))
    for gemeente in plan.added:
        previous = previous_lokets.get(gemeente.id)
        old_name = previous.name if previous is not None else None
        history.record("gemeente", "gemeente", old_name, loket.name, actor=actor, loket_id=loket.id,
                       gemeente_id=gemeente.id, reason=reason, now=now)
        if previous is not None:  # the loket that lets go of it keeps the change in its own history too
            history.record("gemeente", "gemeente", old_name, loket.name, actor=actor, loket_id=previous.id,
                           gemeente_id=gemeente.id, reason=reason, now=now)
    for gemeente in plan.removed:
        history.record("gemeente", "gemeente", loket.name, None, actor=actor, loket_id=loket.id,
                       gemeente_id=gemeente.id, reason=reason, now=now)
    for gemeente in [*plan.added, *plan.removed]:
        db.session.expire(gemeente, ["loket_id", "loket", "exploring_since"])
    db.session.expire(loket, ["gemeenten"])
    for previous in previous_lokets.values():
        db.session.expire(previous, ["gemeenten"])


# ---------------------------------------------------------------- reading: pages and counts

@dataclass
class LoketPage:
    loket: Loket
    leads: list[User]
    changes: list[NetworkChange]
    gemeente_names: dict[int, str]  # names of the gemeenten the history mentions


def loket_page(slug: str) -> LoketPage:
    """A loket with its gemeenten, team leads and history, newest first (six queries).

    :raises NotFound: no loket has this slug.
    """
    loket = loketten.get_loket(slug)
    changes = history.of_loket(loket.id)
    ids = {change.gemeente_id for change in changes if change.gemeente_id is not None}
    names = dict(db.session.execute(select(Gemeente.id, Gemeente.name).where(Gemeente.id.in_(ids))).all())
    return LoketPage(loket=loket, leads=leads_of([loket.id]).get(loket.id, []), changes=changes,
                     gemeente_names=names)


def get_gemeente(code: str) -> Gemeente:
    """:raises NotFound: no gemeente has this CBS code."""
    code = (code or "").upper()
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code)
                                 .options(selectinload(Gemeente.loket))) if GEMEENTE_CODE_PATTERN.match(code) else None
    if gemeente is None:
        raise NotFound("Deze gemeente bestaat niet.")
    return gemeente


def _stage_condition(stage: str):
    if stage == "geen":
        return and_(Gemeente.loket_id.is_(None), Gemeente.exploring_since.is_(None))
    if stage == "verkennen":
        return and_(Gemeente.loket_id.is_(None), Gemeente.exploring_since.is_not(None))
    return Gemeente.loket_id.in_(select(Loket.id).where(Loket.status == stage))


def list_gemeenten(*, page: int = 1, per_page: int = 50, search: str | None = None, province: str | None = None,
                   stage: str | None = None):
    """Gemeenten by name with their loket (three queries per page); `search` matches name or code.

    :raises InvalidInput: {'q': …} for search text with a control character or too long.
    """
    query = (select(Gemeente).options(selectinload(Gemeente.loket)).order_by(Gemeente.name, Gemeente.id))
    text = search_text(search)
    if text:
        query = query.where(contains(text, Gemeente.name, Gemeente.code))
    if province:
        query = query.where(Gemeente.province == province)
    if stage in GEMEENTE_STAGES:
        query = query.where(_stage_condition(stage))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def provinces() -> list[str]:
    return list(db.session.scalars(select(Gemeente.province).distinct().order_by(Gemeente.province)))


@dataclass(frozen=True)
class StageCounts:
    """Gemeenten per stage in one province (or in total)."""

    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def stage_counts_by_province() -> tuple[list[StageCounts], StageCounts]:
    """Per province, how many gemeenten are in each stage now; and the national total (one query)."""
    return stage_counts_by_group(PROVINCES)


def stage_counts_by_group(grouping: Grouping) -> tuple[list[StageCounts], StageCounts]:
    """Per group of `grouping` (a province, or a region of a region set then NOT_GROUPED), how many gemeenten are
    in each stage now; and the national total. A gemeente's stage is its loket's status, else verkennen or geen
    (`stages.stage_of`, in SQL). One query by province (the provinces with a gemeente, by name); two by a region
    set (every region of the set, also an empty one, in `grouping.names()` order)."""
    exploring = Gemeente.exploring_since.is_not(None)
    rows = db.session.execute(
        grouping.join(select(grouping.key.label("group"), Loket.status, exploring.label("exploring"),
                             func.count().label("gemeenten")).select_from(Gemeente)
                      .outerjoin(Loket, Loket.id == Gemeente.loket_id))
        .group_by(grouping.key, Loket.status, exploring)).all()
    per_group: dict[str, Counter] = {name: Counter() for name in grouping.names()} if grouping.region_set else {}
    for row in rows:
        key = row.status or ("verkennen" if row.exploring else "geen")
        per_group.setdefault(grouping.name_of(row.group), Counter())[key] += row.gemeenten
    total = Counter()
    for counts in per_group.values():
        total.update(counts)
    groups = per_group.items() if grouping.region_set else sorted(per_group.items())
    return ([StageCounts(name, _all_stages(counts)) for name, counts in groups],
            StageCounts("Nederland", _all_stages(total)))


def _all_stages(counts) -> dict[str, int]:
    return {stage: counts.get(stage, 0) for stage in GEMEENTE_STAGES}


@dataclass(frozen=True)
class StageMonth:
    month: date  # the first day of the month
    counts: dict[str, int]  # at the end of the month (for the current month: now)


def _utc(day: date) -> datetime:
    """Midnight at the start of a Dutch day, as naive UTC."""
    return datetime.combine(day, time(), AMSTERDAM).astimezone(UTC).replace(tzinfo=None)


def stage_counts_over_time(*, months: int = 12, now: datetime | None = None) -> list[StageMonth]:
    """Gemeenten per stage at the end of each of the last `months` months (the current one: now), replayed
    from the 'stage' history rows (two queries, whatever the number of gemeenten or changes).

    Before its first recorded change a gemeente had that change's old stage ('geen' when unknown); a gemeente
    without any stage row has always had the stage it has now.
    """
    now = now or utcnow()
    current = {row.id: row.status or ("verkennen" if row.exploring else "geen") for row in db.session.execute(
        select(Gemeente.id, Loket.status, Gemeente.exploring_since.is_not(None).label("exploring"))
        .outerjoin(Loket, Loket.id == Gemeente.loket_id))}
    changes: dict[int, list] = defaultdict(list)
    for row in db.session.execute(
            select(NetworkChange.gemeente_id, NetworkChange.changed_at, NetworkChange.old_value,
                   NetworkChange.new_value)
            .where(NetworkChange.field == "stage", NetworkChange.gemeente_id.is_not(None),
                   NetworkChange.changed_at <= now)
            .order_by(NetworkChange.gemeente_id, NetworkChange.changed_at, NetworkChange.id)):
        if row.new_value in GEMEENTE_STAGES:
            changes[row.gemeente_id].append(row)
    starts = last_months(months, day_in_amsterdam(now))
    result = [StageMonth(start, _all_stages(Counter(
        _stage_at(current[gemeente_id], changes.get(gemeente_id, ()), _utc(next_month(start)))
        for gemeente_id in current))) for start in starts[:-1]]
    # The month under way ends now: its counts are the stages as they are.
    return [*result, StageMonth(starts[-1], _all_stages(Counter(current.values())))]


def _stage_at(current: str, rows, moment: datetime) -> str:
    if not rows:
        return current
    stage = rows[0].old_value if rows[0].old_value in GEMEENTE_STAGES else "geen"
    for row in rows:
        if row.changed_at > moment:
            break
        stage = row.new_value
    return stage
