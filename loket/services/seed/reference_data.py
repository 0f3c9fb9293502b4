"""Reference data (DESIGN §3): gemeenten and bonden from the shared CSVs, seed categories, fallback team.

`seed_reference` is an idempotent upsert in one transaction: a second run changes nothing, a changed
name in the CSV updates the row, and a missing or malformed file stores nothing at all.
It never deletes: rows that left the CSV are kept, because clubs and requests may point at them.
"""
import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from sqlalchemy import select

from loket.extensions import db
from loket.models import Bond, Gemeente, Sport
from loket.services.network.teams import ensure_team
from loket.services.seed.categories import seed_categories
from loket.services.seed.criteria import seed_criteria
from loket.services.transaction import commit

GEMEENTEN_FILE = "gemeenten.csv"
BONDEN_FILE = "bonden.csv"
GEMEENTEN_COLUMNS = ("code", "name", "province")
BONDEN_COLUMNS = ("key", "abbreviation", "name", "sports")

# progress(rows, label) -> the same rows, e.g. wrapped in a progress bar by the CLI.
Progress = Callable[[list[dict], str], Iterable[dict]]


class ReferenceDataError(Exception):
    """A reference CSV is missing or malformed; the message names the file (Dutch, for the operator)."""


@dataclass
class Counts:
    added: int = 0
    updated: int = 0

    def __str__(self):
        return f"{self.added} toegevoegd, {self.updated} bijgewerkt"


@dataclass
class ReferenceSummary:
    gemeenten: Counts = field(default_factory=Counts)
    bonden: Counts = field(default_factory=Counts)
    sports: Counts = field(default_factory=Counts)
    # Bond ↔ sport links; "updated" stays 0 (links are only added).
    bond_sports: Counts = field(default_factory=Counts)
    categories: Counts = field(default_factory=Counts)
    teams: Counts = field(default_factory=Counts)
    criteria_sets: Counts = field(default_factory=Counts)

    def items(self) -> list[tuple[str, Counts]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    @property
    def changed(self) -> bool:
        return any(c.added or c.updated for _, c in self.items())


def seed_reference(data_dir, progress: Progress | None = None) -> ReferenceSummary:
    """Load gemeenten.csv and bonden.csv from data_dir, the seed categories and the fallback team.

    Both files are read and checked before anything is written. Side effects: commits once at the
    end; on any error rolls back and raises (ReferenceDataError for a bad file).
    """
    data_dir = Path(data_dir)
    gemeenten = _read_csv(data_dir / GEMEENTEN_FILE, GEMEENTEN_COLUMNS, unique="code")
    bonden = _read_csv(data_dir / BONDEN_FILE, BONDEN_COLUMNS, unique="key")
    progress = progress or (lambda rows, label: rows)
    summary = ReferenceSummary()
    try:
        _upsert_gemeenten(progress(gemeenten, "Gemeenten"), summary)
        _upsert_bonden(progress(bonden, "Bonden"), summary)
        summary.categories.added = seed_categories()
        summary.criteria_sets.added = int(seed_criteria())
        _ensure_teams(summary)
        commit()
    except BaseException:
        db.session.rollback()
        raise
    return summary


def _read_csv(path: Path, required: tuple[str, ...], *, unique: str) -> list[dict]:
    """All rows of a UTF-8 CSV as dicts of stripped strings, checked for columns, blanks and duplicates."""
    if not path.is_file():
        raise ReferenceDataError(f"Referentiebestand {path.name} niet gevonden (gezocht: {path}).")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in required if name not in header]
            if missing:
                raise ReferenceDataError(
                    f"{path.name}: kolom(men) {', '.join(missing)} ontbreken in de kopregel; "
                    f"verwacht {','.join(required)}, gevonden {','.join(header) or '(leeg)'}."
                )
            reader.fieldnames = header
            rows = []
            seen = set()
            for row in reader:
                line = reader.line_num
                values = {name: (row.get(name) or "").strip() for name in required}
                blank = [name for name in required if not values[name] and name != "sports"]
                if blank:
                    raise ReferenceDataError(f"{path.name} regel {line}: {', '.join(blank)} is leeg.")
                if values[unique] in seen:
                    raise ReferenceDataError(
                        f"{path.name} regel {line}: {unique} '{values[unique]}' komt dubbel voor."
                    )
                seen.add(values[unique])
                rows.append(values)
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{path.name} is geen geldige UTF-8: {error}.") from None
    except csv.Error as error:
        raise ReferenceDataError(f"{path.name} is geen geldige CSV: {error}.") from None
    if not rows:
        raise ReferenceDataError(f"{path.name} bevat geen gegevensregels.")
    return rows


def _set(obj, values: dict) -> bool:
    """Assign only the attributes that differ; True when something changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert_gemeenten(rows: Iterable[dict], summary: ReferenceSummary) -> None:
    existing = {g.code: g for g in db.session.scalars(select(Gemeente))}
    for row in rows:
        values = {"name": row["name"], "province": row["province"]}
        gemeente = existing.get(row["code"])
        if gemeente is None:
            gemeente = existing[row["code"]] = Gemeente(code=row["code"], **values)
            db.session.add(gemeente)
            summary.gemeenten.added += 1
        elif _set(gemeente, values):
            summary.gemeenten.updated += 1


def _upsert_bonden(rows: Iterable[dict], summary: ReferenceSummary) -> None:
    known = {b.key: b for b in db.session.scalars(select(Bond))}
    sports = {s.name: s for s in db.session.scalars(select(Sport))}
    for row in rows:
        values = {"abbreviation": row["abbreviation"], "name": row["name"]}
        bond = known.get(row["key"])
        if bond is None:
            bond = known[row["key"]] = Bond(key=row["key"], **values)
            db.session.add(bond)
            summary.bonden.added += 1
        elif _set(bond, values):
            summary.bonden.updated += 1
        for name in _split_sports(row["sports"]):
            sport = sports.get(name)
            if sport is None:
                sport = sports[name] = Sport(name=name)
                db.session.add(sport)
                summary.sports.added += 1
            if sport not in bond.sports:
                bond.sports.append(sport)
                summary.bond_sports.added += 1


def _split_sports(value: str) -> list[str]:
    names = []
    for name in (part.strip() for part in value.split(";")):
        if name and name not in names:
            names.append(name)
    return names


def _ensure_teams(summary: ReferenceSummary) -> None:
    db.session.flush()  # new bonden need their ids before their teams are looked up
    for bond in db.session.scalars(select(Bond).order_by(Bond.id)):
        if ensure_team("bond", bond) in db.session.new:
            summary.teams.added += 1
    if ensure_team("fallback") in db.session.new:
        summary.teams.added += 1
