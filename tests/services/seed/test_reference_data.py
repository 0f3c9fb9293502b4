"""seed_reference loads exactly the shared CSVs, is idempotent, updates changes and refuses bad files."""
import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from loket.extensions import db as _db
from loket.models import Bond, Category, Gemeente, Sport, Team
from loket.services.requests import categories as categories_service
from loket.services.seed.categories import SEED_CATEGORIES, seed_categories
from loket.services.seed.reference_data import ReferenceDataError, seed_reference


@pytest.fixture()
def data_dir(app) -> Path:
    return Path(app.config["REFERENCE_DATA_DIR"])


@pytest.fixture()
def data_copy(data_dir, tmp_path) -> Path:
    """A writable copy of the reference CSVs."""
    copy = tmp_path / "data"
    copy.mkdir()
    for name in ("gemeenten.csv", "bonden.csv"):
        shutil.copy(data_dir / name, copy / name)
    return copy


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    result = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        result[table.name] = [tuple(row) for row in db.session.execute(query)]
    return result


def row_count(db) -> int:
    return sum(len(rows) for rows in snapshot(db).values())


def test_loads_every_gemeente_of_the_csv(db, data_dir):
    rows = read_rows(data_dir / "gemeenten.csv")
    assert len(rows) == 342  # the CSV itself is what we expect; the seed must match it exactly

    summary = seed_reference(data_dir)

    stored = {(g.code, g.name, g.province) for g in db.session.scalars(select(Gemeente))}
    assert stored == {(r["code"], r["name"], r["province"]) for r in rows}
    assert db.session.scalar(select(func.count(Gemeente.id))) == len(rows)
    assert summary.gemeenten.added == len(rows) and summary.gemeenten.updated == 0
    assert db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0363")).name == "Amsterdam"
    # Names with commas and non-ASCII letters survive the round trip.
    names = {g.name for g in db.session.scalars(select(Gemeente))}
    assert {"Nuenen, Gerwen en Nederwetten", "Súdwest-Fryslân", "'s-Gravenhage"} <= names


def test_loads_every_bond_with_its_sports_and_team(db, data_dir):
    rows = read_rows(data_dir / "bonden.csv")

    summary = seed_reference(data_dir)

    bonden = {b.key: b for b in db.session.scalars(select(Bond))}
    assert set(bonden) == {r["key"] for r in rows}
    csv_sports = set()
    for row in rows:
        bond = bonden[row["key"]]
        assert (bond.abbreviation, bond.name) == (row["abbreviation"], row["name"])
        expected = {s.strip() for s in row["sports"].split(";") if s.strip()}
        assert expected, row["key"]
        assert {s.name for s in bond.sports} == expected
        csv_sports |= expected
        assert bond.aangesloten is False  # connecting a bond is a decision, not reference data
    assert set(db.session.scalars(select(Sport.name))) == csv_sports
    assert {"G-voetbal", "BMX"} <= csv_sports  # case kept as given
    assert summary.bonden.added == len(rows)
    assert summary.sports.added == len(csv_sports)

    bond_teams = db.session.scalars(select(Team).where(Team.kind == "bond")).all()
    assert sorted(t.bond_id for t in bond_teams) == sorted(b.id for b in bonden.values())
    # Shared abbreviations are told apart by key.
    assert bonden["knsb-schaatsen"].abbreviation == bonden["knsb-schaken"].abbreviation == "KNSB"
    assert {s.name for s in bonden["knsb-schaken"].sports} == {"schaken"}


def test_loads_categories_and_one_fallback_team(db, data_dir):
    summary = seed_reference(data_dir)

    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    assert set(categories) == {slug for _, slug, _, _, _ in SEED_CATEGORIES}
    assert all(categories[slug].scope == scope for _, slug, _, scope, _ in SEED_CATEGORIES)
    assert all(categories[slug].description for _, slug, _, _, _ in SEED_CATEGORIES)
    assert summary.categories.added == len(SEED_CATEGORIES)
    fallback = db.session.scalars(select(Team).where(Team.kind == "fallback")).all()
    assert len(fallback) == 1
    teams = db.session.scalar(select(func.count(Team.id)))
    assert teams == db.session.scalar(select(func.count(Bond.id))) + 1
    assert summary.teams.added == teams


def test_second_run_changes_nothing(db, data_dir):
    first = seed_reference(data_dir)
    assert first.changed
    before = snapshot(db)
    assert len(before["gemeenten"]) == 342

    second = seed_reference(data_dir)

    _db.session.expire_all()
    assert snapshot(db) == before
    assert not second.changed
    assert all(c.added == 0 and c.updated == 0 for _, c in second.items())


def test_changed_rows_in_the_csv_are_updated(db, data_copy):
    seed_reference(data_copy)
    gemeenten = read_rows(data_copy / "gemeenten.csv")
    changed = next(r for r in gemeenten if r["code"] == "GM0164")  # Hengelo
    changed["name"] = "Hengelo (O.)"
    moved = next(r for r in gemeenten if r["code"] == "GM0059")
    moved["province"] = "Friesland"
    with (data_copy / "gemeenten.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(gemeenten[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(gemeenten)
    bonden = read_rows(data_copy / "bonden.csv")
    knltb = next(r for r in bonden if r["key"] == "knltb")
    knltb["name"] = "KNLTB (tennis en padel)"
    knltb["sports"] += ";beachtennis"
    with (data_copy / "bonden.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(bonden[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(bonden)
    before = snapshot(db)

    summary = seed_reference(data_copy)

    _db.session.expire_all()
    assert (summary.gemeenten.added, summary.gemeenten.updated) == (0, 2)
    assert (summary.bonden.added, summary.bonden.updated) == (0, 1)
    assert (summary.sports.added, summary.bond_sports.added) == (1, 1)
    hengelo = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0164"))
    assert hengelo.name == "Hengelo (O.)"
    assert db.session.scalar(select(Gemeente.province).where(Gemeente.code == "GM0059")) == "Friesland"
    bond = db.session.scalar(select(Bond).where(Bond.key == "knltb"))
    assert bond.name == "KNLTB (tennis en padel)"
    assert {s.name for s in bond.sports} == {"tennis", "padel", "beachtennis"}
    after = snapshot(db)
    # Only those rows changed: same ids, everything else equal.
    assert [r[0] for r in after["gemeenten"]] == [r[0] for r in before["gemeenten"]]
    differing = [a for a, b in zip(after["gemeenten"], before["gemeenten"]) if a != b]
    assert len(differing) == 2
    assert after["teams"] == before["teams"]


def test_progress_sees_every_row(db, data_dir):
    seen = {}

    def progress(rows, label):
        seen[label] = 0
        for row in rows:
            seen[label] += 1
            yield row

    seed_reference(data_dir, progress=progress)

    assert seen == {"Gemeenten": 342, "Bonden": len(read_rows(data_dir / "bonden.csv"))}


@pytest.mark.parametrize("missing", ["gemeenten.csv", "bonden.csv"])
def test_missing_file_names_the_file_and_stores_nothing(db, data_copy, missing):
    (data_copy / missing).unlink()

    with pytest.raises(ReferenceDataError, match=missing.replace(".", r"\.")):
        seed_reference(data_copy)

    assert row_count(db) == 0


@pytest.mark.parametrize("file_name, header, complaint", [
    ("gemeenten.csv", "code,naam,province,year_of_list", "name"),
    ("gemeenten.csv", "gemeentecode;name;province", "code"),
    ("bonden.csv", "key,abbreviation,name,source", "sports"),
])
def test_bad_header_names_the_file_and_column_and_stores_nothing(db, data_copy, file_name, header,
                                                                complaint):
    path = data_copy / file_name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as raised:
        seed_reference(data_copy)

    message = str(raised.value)
    assert file_name in message and complaint in message
    assert row_count(db) == 0


def test_bad_row_late_in_the_second_file_stores_nothing(db, data_copy):
    """The gemeenten are fine, a bond row is broken: the whole load is refused, not half done."""
    path = data_copy / "bonden.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("knvb,KNVB,Dubbele voetbalbond,voetbal,\n")

    with pytest.raises(ReferenceDataError, match=r"bonden\.csv regel \d+: key 'knvb' komt dubbel voor"):
        seed_reference(data_copy)

    assert row_count(db) == 0


def test_failure_while_writing_rolls_back(db, data_dir, monkeypatch):
    """Anything going wrong after the first writes leaves the database as it was."""
    import loket.services.seed.reference_data as reference_data

    def explode():
        raise RuntimeError("boom")

    monkeypatch.setattr(reference_data, "seed_categories", explode)

    with pytest.raises(RuntimeError, match="boom"):
        seed_reference(data_dir)

    assert row_count(db) == 0


# The seed before issue #12: eleven categories at positions 0–9 and Overig (moved to the end by the migration).
OLD_SEED = [(0, "bestuur-organisatie"), (1, "financien-subsidies-fondsen"), (2, "vrijwilligers-kader"),
            (3, "sociaal-veilige-sport"), (4, "kwaliteit-kader-opleiding"), (5, "accommodatie-ruimte"),
            (6, "ledenwerving-toeleiding-inclusie"), (7, "sport-en-zorg"), (8, "jeugd-veelzijdig-bewegen"),
            (9, "sporttechnisch-competitie"), (1000, "overig")]


def _order() -> list[str]:
    return list(_db.session.scalars(select(Category.slug).order_by(Category.position, Category.name)))


def test_a_database_seeded_before_gets_the_new_category_in_the_same_order_as_a_fresh_one(db):
    seed_categories()
    db.session.commit()
    fresh = _order()
    db.session.execute(delete(Category))
    db.session.add_all(Category(slug=slug, name=f"Eigen naam {position}", position=position, scope="generiek",
                                description="Door beheer geschreven" if slug == "sport-en-zorg" else None)
                       for position, slug in OLD_SEED)
    db.session.commit()
    ids = dict(db.session.execute(select(Category.slug, Category.id)).all())

    assert seed_categories() == 1
    db.session.commit()

    assert _order() == fresh
    assert fresh[-1] == "overig" and "samenwerken-met-andere-clubs" in fresh
    rows = {c.slug: c for c in db.session.scalars(select(Category))}
    # Nothing renumbered or renamed; descriptions filled in only where beheer wrote none.
    assert all(rows[slug].id == ids[slug] and rows[slug].position == position
               and rows[slug].name == f"Eigen naam {position}" for position, slug in OLD_SEED)
    assert rows["sport-en-zorg"].description == "Door beheer geschreven"
    assert rows["bestuur-organisatie"].description.startswith("Het bestuur")
    assert rows["samenwerken-met-andere-clubs"].name == "Samenwerken met andere clubs"


def test_a_category_beheer_adds_sorts_before_overig(db):
    seed_categories()
    db.session.commit()
    categories_service.create_category("Vervoer naar wedstrijden", "generiek")
    assert _order()[-2:] == ["vervoer-naar-wedstrijden", "overig"]
