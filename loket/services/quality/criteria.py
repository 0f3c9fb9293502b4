"""The national criteria as versioned data (DESIGN §6): the current set, publishing a new version
(thresholds edited, criteria added or retired), and correcting a published version that is not yet in force.
Old measurements and audits keep pointing at the criteria of the version they were made against: a version
in force (valid_from ≤ today) never changes."""
import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from loket.extensions import db
from loket.services.text import CONTROL_MESSAGE, LINE_CHARACTERS, has_control_characters
from loket.models import (
    COMPARISONS,
    CRITERION_KINDS,
    Audit,
    CriteriaCorrection,
    CriteriaSet,
    Criterion,
    Measurement,
    User,
)
from loket.models.base import today_in_amsterdam
from loket.services.errors import Conflict, InvalidInput, NotFound
from loket.services.quality.registry import (
    COUNT,
    DAYS,
    METRICS,
    PERCENT,
    SCORE,
    WORKDAYS,
    unit_of,
)
from loket.services.transaction import commit

VERSION_MAX = 20
CODE_MAX = 10
TITLE_MAX = 200  # the column's length (the form's maxlength)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    kind: str
    metric: str | None = None
    threshold: float | None = None
    comparison: str = ">="
    window_days: int | None = None
    min_count: int | None = None
    description: str | None = None


def current_set(today: date | None = None) -> CriteriaSet | None:
    """The newest set in force today, with its criteria loaded (one query)."""
    today = today or today_in_amsterdam()
    return db.session.execute(
        select(CriteriaSet).where(CriteriaSet.valid_from <= today)
        .options(joinedload(CriteriaSet.criteria))
        .order_by(CriteriaSet.valid_from.desc(), CriteriaSet.id.desc()).limit(1)).unique().scalar_one_or_none()


def all_sets() -> list[CriteriaSet]:
    return list(db.session.scalars(
        select(CriteriaSet).options(selectinload(CriteriaSet.criteria),
                                    selectinload(CriteriaSet.corrections).joinedload(CriteriaCorrection.corrected_by))
        .order_by(CriteriaSet.valid_from.desc(), CriteriaSet.id.desc())))


def publish_set(*, version: str, valid_from: date, criteria: list[CriterionSpec], actor: User,
                notes: str | None = None) -> CriteriaSet:
    """Publish a new version. Validates every criterion; commits."""
    errors: dict[str, str] = {}
    version = (version or "").strip()
    if not version or len(version) > VERSION_MAX:
        errors["version"] = f"Geef de versie een naam van hooguit {VERSION_MAX} tekens, zoals 2027.1."
    elif has_control_characters(version):
        errors["version"] = CONTROL_MESSAGE
    elif db.session.scalar(select(CriteriaSet.id).where(CriteriaSet.version == version)):
        errors["version"] = f"Versie {version} bestaat al; gepubliceerde versies veranderen niet."
    errors.update(_criteria_errors(criteria, notes))
    if errors:
        raise InvalidInput(errors)
    criteria_set = build_set(version, valid_from, criteria, author=actor, notes=notes)
    db.session.add(criteria_set)
    commit()
    return criteria_set


def get_set(set_id: int) -> CriteriaSet:
    criteria_set = db.session.scalar(select(CriteriaSet).where(CriteriaSet.id == set_id).options(
        selectinload(CriteriaSet.criteria),
        selectinload(CriteriaSet.corrections).joinedload(CriteriaCorrection.corrected_by)))
    if criteria_set is None:
        raise NotFound("Deze criteriaversie bestaat niet.")
    return criteria_set


def in_force(criteria_set: CriteriaSet, today: date | None = None) -> bool:
    """Is the version in force (valid_from ≤ today, the same day current_set uses)? Then it never changes."""
    return criteria_set.valid_from <= (today or today_in_amsterdam())


def correctable(criteria_set: CriteriaSet, today: date | None = None) -> None:
    """Raise Conflict (409, Dutch) unless the version may still be corrected: not in force, and nothing measured
    or audited against it yet."""
    if in_force(criteria_set, today):
        raise Conflict(f"Versie {criteria_set.version} is van kracht sinds {criteria_set.valid_from:%d-%m-%Y} en "
                       "verandert niet meer: metingen en audits verwijzen ernaar. Publiceer een nieuwe versie.")
    criterion_ids = select(Criterion.id).where(Criterion.criteria_set_id == criteria_set.id)
    if db.session.scalar(select(exists().where(Measurement.criterion_id.in_(criterion_ids)))) or \
            db.session.scalar(select(exists().where(Audit.criteria_set_id == criteria_set.id))):
        raise Conflict(f"Tegen versie {criteria_set.version} is al gemeten of geaudit; die versie verandert niet "
                       "meer. Publiceer een nieuwe versie.")


def correct_set(criteria_set: CriteriaSet, *, valid_from: date, criteria: list[CriterionSpec], actor: User,
                notes: str | None = None, today: date | None = None) -> CriteriaSet:
    """Correct a published version that is not yet in force: its criteria become `criteria` (matched by code:
    kept criteria are edited in place, missing ones retired, new ones added), valid_from may move (not into the
    past). The same validation as publishing; records who corrected it and when; commits. A version in force
    is refused with Conflict (409)."""
    today = today or today_in_amsterdam()
    correctable(criteria_set, today)
    errors = _criteria_errors(criteria, notes)
    if valid_from is None or valid_from < today:
        errors["valid_from"] = f"Kies vandaag ({today:%d-%m-%Y}) of een latere dag; een versie begint niet in het verleden."
    if errors:
        raise InvalidInput(errors)
    changes = changes_between(criteria_set, valid_from=valid_from, criteria=criteria, notes=notes)
    if not changes:
        return criteria_set  # nothing to record: the version stays as it was
    existing = {c.code: c for c in criteria_set.criteria}
    kept = []
    for position, spec in enumerate(criteria):
        fields = _fields_of(spec)
        row = existing.get(fields["code"])
        if row is None:
            row = Criterion(**fields)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
        row.position = position
        kept.append(row)
    criteria_set.criteria = kept  # retired criteria are orphans: deleted (nothing points at them, checked above)
    criteria_set.valid_from = valid_from
    criteria_set.notes = notes
    criteria_set.corrections.append(
        CriteriaCorrection(corrected_by_id=actor.id if actor else None, changes=changes))
    commit()
    return criteria_set


# The criterion fields a correction may change, in the order a change list names them.
CORRECTABLE_FIELDS = ("title", "kind", "metric", "comparison", "threshold", "window_days", "min_count", "description")


def changes_between(criteria_set: CriteriaSet, *, valid_from: date, criteria: list[CriterionSpec],
                    notes: str | None) -> list[dict]:
    """What a correction changes, as {"field", "code", "from", "to"} (plus "metric" beside a threshold, to
    show it in its unit): the version's valid_from and notes (code None), criteria added ("added", to: title)
    and retired ("retired", from: title), and each changed field of a kept criterion."""
    changes = []
    if valid_from != criteria_set.valid_from:
        changes.append(_change("valid_from", None, criteria_set.valid_from.isoformat(), valid_from.isoformat()))
    if (notes or None) != (criteria_set.notes or None):
        changes.append(_change("notes", None, criteria_set.notes, notes))
    existing = {c.code: c for c in criteria_set.criteria}
    wanted = {fields["code"]: fields for fields in map(_fields_of, criteria)}
    for code, row in existing.items():
        if code not in wanted:
            changes.append(_change("retired", code, row.title, None))
    for code, fields in wanted.items():
        row = existing.get(code)
        if row is None:
            changes.append(_change("added", code, None, fields["title"]))
            continue
        for name in CORRECTABLE_FIELDS:
            before, after = getattr(row, name), fields[name]
            if before != after:
                change = _change(name, code, before, after)
                if name == "threshold":
                    change["metric"] = fields["metric"] or row.metric
                changes.append(change)
    return changes


def _change(field: str, code: str | None, before, after) -> dict:
    return {"field": field, "code": code, "from": before, "to": after}


def _criteria_errors(criteria: list[CriterionSpec], notes: str | None = None) -> dict[str, str]:
    """Field → Dutch message for the criteria of a version (publishing and correcting alike)."""
    errors: dict[str, str] = {}
    if not criteria:
        errors["criteria"] = "Een criteriaset heeft minstens één criterium."
    codes = [spec.code.strip() for spec in criteria]
    if len(set(codes)) != len(codes):
        errors["criteria"] = "Elke code mag maar één keer voorkomen."
    for spec in criteria:
        problem = _spec_problem(spec)
        if problem:
            errors[f"criteria.{spec.code or '?'}"] = problem
    if has_control_characters(notes or "", allowed=LINE_CHARACTERS):
        errors["notes"] = CONTROL_MESSAGE
    return errors


# Beyond these a number is a typing error, and the database's integer would overflow.
WINDOW_DAYS_MAX = 3660  # ten years back
MIN_COUNT_MAX = 100_000


def _spec_problem(spec: CriterionSpec) -> str | None:
    if not spec.code.strip() or len(spec.code) > CODE_MAX:
        return f"Geef elk criterium een code van hooguit {CODE_MAX} tekens."
    if not spec.title.strip():
        return f"{spec.code}: geef het criterium een titel."
    if has_control_characters(spec.code + spec.title + (spec.kind or "") + (spec.metric or "")
                              + spec.comparison) or has_control_characters(spec.description or "",
                                                                           allowed=LINE_CHARACTERS):
        return f"{spec.code}: {CONTROL_MESSAGE[0].lower()}{CONTROL_MESSAGE[1:]}"
    if spec.window_days is not None and not 0 <= spec.window_days <= WINDOW_DAYS_MAX:
        return f"{spec.code}: een periode ligt tussen 0 en {WINDOW_DAYS_MAX} dagen."
    if spec.min_count is not None and not 0 <= spec.min_count <= MIN_COUNT_MAX:
        return f"{spec.code}: een minimum aantal ligt tussen 0 en {MIN_COUNT_MAX:,}.".replace(",", ".")
    if spec.threshold is not None and not math.isfinite(spec.threshold):
        return f"{spec.code}: vul als drempelwaarde een gewoon getal in."
    if spec.kind not in CRITERION_KINDS:
        return f"{spec.code}: soort moet 'metric' of 'assessment' zijn."
    if spec.kind == "metric":
        if spec.metric not in METRICS:
            return f"{spec.code}: onbekende meting '{spec.metric}'."
        if spec.threshold is None:
            return f"{spec.code}: een meting heeft een drempelwaarde nodig."
        if spec.comparison not in COMPARISONS:
            return f"{spec.code}: vergelijking moet een van {', '.join(COMPARISONS)} zijn."
        return _range_problem(spec.code, unit_of(spec.metric), spec.threshold)
    return None


# The range of a stored threshold per unit (percentages are stored as a share), and what to say outside it.
THRESHOLD_RANGES = {
    PERCENT: (0, 1, "een percentage ligt tussen 0 en 100 %."),
    SCORE: (1, 5, "een score ligt tussen 1 en 5."),
    DAYS: (0, None, "vul 0 of meer dagen in."),
    WORKDAYS: (0, None, "vul 0 of meer werkdagen in."),
    COUNT: (0, None, "vul een aantal van 0 of meer in."),
}


def _range_problem(code: str, unit: str, threshold: float) -> str | None:
    low, high, message = THRESHOLD_RANGES[unit]
    if threshold < low or (high is not None and threshold > high):
        return f"{code}: {message}"
    return None


def stored_threshold(metric: str | None, typed: float | None) -> float | None:
    """A threshold as typed in the unit it is shown in → the value stored and compared with measurements.

    Percentages are typed as percentages ('90', '90,5', '0,5 %') and stored as a share (0.9): typed and shown
    the same way. Other units are stored as typed.
    """
    if typed is None or unit_of(metric) != PERCENT:
        return typed
    return round(typed / 100, 10)


def shown_threshold(metric: str | None, stored: float | None) -> float | None:
    """The stored threshold in the unit it is typed and shown in: a share as a percentage (0.9 → 90)."""
    if stored is None or unit_of(metric) != PERCENT:
        return stored
    return round(stored * 100, 8)


def build_set(version, valid_from, specs, *, author, notes=None) -> CriteriaSet:
    return CriteriaSet(
        version=version, valid_from=valid_from, published_by_id=author.id if author else None, notes=notes,
        criteria=[Criterion(**_fields_of(s), position=i) for i, s in enumerate(specs)])


def _fields_of(s: CriterionSpec) -> dict:
    """A spec as the columns of its criterion row."""
    return dict(code=s.code.strip(), title=s.title.strip(), description=s.description, kind=s.kind,
                metric=s.metric if s.kind == "metric" else None,
                threshold=s.threshold if s.kind == "metric" else None, comparison=s.comparison,
                window_days=s.window_days, min_count=s.min_count)


def specs_of(criteria_set: CriteriaSet) -> list[CriterionSpec]:
    """The specs of an existing set: the starting point for editing the next version."""
    return [CriterionSpec(c.code, c.title, c.kind, c.metric, c.threshold, c.comparison, c.window_days,
                          c.min_count, c.description) for c in criteria_set.criteria]


def compare(value: float | None, comparison: str, threshold: float) -> bool | None:
    """Does a measured value pass? None when there is no value (not measurable)."""
    if value is None:
        return None
    return {">=": value >= threshold, "<=": value <= threshold, ">": value > threshold,
            "<": value < threshold, "==": value == threshold}[comparison]
