"""Importing a loket's clubs from a CSV file into its register: checked first, stored after confirmation.

1. `preview` reads the upload (with `services.csv_text`, the project's one CSV reader) and keeps a `ClubImport`
   in state `preview`: the valid rows (what each will do: create, update or nothing) and a Dutch message per bad
   row. No club is touched. A file that cannot be read as a whole — too large, too many rows, empty, not UTF-8,
   wrong columns, broken quoting — is refused with one message and nothing is stored; reading stops as soon as a
   limit is passed.
2. `confirm` queues the job `workers.clubs.run_import` through the outbox (state `queued`).
3. `run` (the job) stores the rows in batches of BATCH_SIZE, one commit each, counting `processed_rows` so the
   page can show its progress; then `done` with the created and updated counts (rows that no longer fit, e.g.
   a gemeente that moved to another loket meanwhile, are added to the errors).

The file (also explained on the upload page, `FORMAT_HELP`):
- UTF-8, with or without byte order mark; anything else is refused with a message about the encoding.
- The first line names the columns `naam`, `soort`, `gemeentecode`, `sporten`, `kvk` (any order, case and
  spaces ignored; `kvk-nummer` and `sport` are understood too); no other columns.
- Columns are separated by `;` or `,`: whichever the first line uses most.
- `sporten`: one or more sport names, separated by `|` or `,` (`;` works too); no sport name holds one of
  these. With `,` between columns a list with commas is quoted ("voetbal,tennis"), as spreadsheets do.
- `gemeentecode`: the CBS code (GM0344, or just 0344) of a gemeente the loket serves.
- `kvk`: empty, or 8 digits (spaces ignored).
- At most CLUB_IMPORT_MAX_BYTES bytes and CLUB_IMPORT_MAX_ROWS rows (app config; a werkgebied has far fewer
  clubs than the default 5,000).

Idempotent: a row is the existing club with the same KvK number, else the club with the same normalised name
(`registrations.normalised_name`) in the same gemeente. Such a club is updated, not duplicated: the sports the
file names are added and an empty KvK number is filled in; its name, kind, gemeente and basiseisen stay as the
club or the loket set them (the file never overwrites what someone typed). Importing the same file twice
creates nothing and changes nothing the second time. A match outside the werkgebied, or with a club still
waiting for a decision on its registration, is an error for that row; rejected registrations are ignored.
"""
import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import defer, selectinload

from loket.extensions import db
from loket.models import CLUB_KINDS, Club, ClubImport, Gemeente, Loket, Sport, User
from loket.models.base import utcnow
from loket.models.club import club_sports
from loket.services.csv_text import (
    ENCODING_MESSAGE,  # noqa: F401  (the page and tests name it here)
    CsvFormat,
    Record,
    gemeente_code,
    megabytes,
    read_records,
    shown,
    thousands,
    unknown_gemeente_message,
)
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.messaging import outbox
from loket.services.network import clubs
from loket.services.network.registrations import normalised_name
from loket.services.text import has_control_characters
from loket.services.transaction import commit
from loket.services.ids import as_id

log = logging.getLogger(__name__)

BATCH_SIZE = 200
FILENAME_MAX = 200
RECENT = 10
COLUMNS = ("naam", "soort", "gemeentecode", "sporten", "kvk")
HEADER_ALIASES = {"naam": "naam", "clubnaam": "naam", "soort": "soort", "gemeentecode": "gemeentecode",
                  "gemeente": "gemeentecode", "sporten": "sporten", "sport": "sporten", "kvk": "kvk",
                  "kvknummer": "kvk"}
SPORT_SEPARATORS = "|,;"
JOB = "workers.clubs.run_import"

FORMAT_HELP = ("Een CSV-bestand in UTF-8 met op de eerste regel de kolommen naam;soort;gemeentecode;sporten;kvk "
               "(gescheiden door ; of ,). Soort is vereniging, onderneming of stichting; gemeentecode de CBS-code "
               "(bijvoorbeeld GM0344); meerdere sporten scheid je met | of een komma; kvk is leeg of 8 cijfers.")
FIELD = "file"
EMPTY_MESSAGE = "Het bestand is leeg. Kies een CSV-bestand met een kopregel en minstens één club."
NO_ROWS_MESSAGE = "Het bestand heeft een kopregel maar geen clubs. Zet onder de kopregel één club per regel."
NOTHING_TO_IMPORT = "Er staat geen goede rij in dit bestand, dus er is niets te importeren."
NOT_FOUND_MESSAGE = "Deze import bestaat niet of hoort niet bij jouw loket."
ALREADY_CONFIRMED = "Deze import is al bevestigd."
INTERRUPTED_MESSAGE = ("Het importeren is onderbroken door een storing. De clubs tot hier zijn opgeslagen; upload "
                       "het bestand opnieuw om de rest te importeren (wat er al staat, wordt niet dubbel gemaakt).")


def max_rows() -> int:
    return int(current_app.config["CLUB_IMPORT_MAX_ROWS"])


def max_bytes() -> int:
    return int(current_app.config["CLUB_IMPORT_MAX_BYTES"])


def too_large_message(limit: int | None = None) -> str:
    return (f"Het bestand is groter dan {megabytes(limit or max_bytes())} MB. Een werkgebied heeft minder clubs; "
            "importeer het in delen.")


def too_many_rows_message(limit: int) -> str:
    return (f"Het bestand heeft meer dan {thousands(limit)} rijen. Een werkgebied heeft minder clubs; controleer het "
            "bestand of importeer het in delen.")


CSV_FORMAT = CsvFormat(columns=COLUMNS, aliases=HEADER_ALIASES, field=FIELD, empty_message=EMPTY_MESSAGE,
                       no_rows_message=NO_ROWS_MESSAGE, too_large=too_large_message,
                       too_many_rows=too_many_rows_message)


# ---------------------------------------------------------------- step 1: the preview

def preview(loket: Loket, *, actor: User, filename: str | None, stream) -> ClubImport:
    """Check an uploaded CSV (a binary file object) and keep the result as an import in state `preview`.

    Raises InvalidInput({"file": message}) — and stores nothing — when the file as a whole cannot be used.
    Side effects: one ClubImport row; commits.
    """
    if loket.id not in actor.loket_ids:
        raise Forbidden("Je kunt alleen clubs importeren in het register van een loket waar je werkt.")
    records = read_records(stream, CSV_FORMAT, max_bytes=max_bytes(), max_rows=max_rows())
    rows, errors = _RowChecker(loket).check(records)
    matcher = _Matcher(loket)
    matcher.load_kvk(row["kvk"] for row in rows)
    stored = []
    for row in rows:
        action, problem = matcher.plan(row)
        if problem:
            errors.append(_error(row["line"], row["name"], problem))
        else:
            stored.append({**row, "action": action})
    errors.sort(key=lambda e: e["line"] or 0)
    club_import = ClubImport(loket_id=loket.id, created_by_id=actor.id, filename=_filename(filename),
                             state="preview", total_rows=len(stored), rows=stored, errors=errors,
                             created_at=utcnow())
    db.session.add(club_import)
    commit()
    return club_import


def _error(line: int | None, name: str, message: str) -> dict:
    return {"line": line, "name": shown(name or ""), "message": message}


class _RowChecker:
    """Checks rows with the clubs service's field rules; gemeenten and sports are looked up from two queries
    made once, not per row."""

    def __init__(self, loket: Loket):
        self.loket = loket
        self.gemeenten = {code: (gid, name, loket_id) for gid, code, name, loket_id in db.session.execute(
            select(Gemeente.id, Gemeente.code, Gemeente.name, Gemeente.loket_id))}
        self.sports = {name.casefold(): (sid, name) for sid, name in db.session.execute(select(Sport.id, Sport.name))}

    def check(self, records) -> tuple[list[dict], list[dict]]:
        rows, errors = [], []
        seen_kvk: dict[str, int] = {}
        seen_name: dict[tuple[int, str], int] = {}
        for record in records:
            name = record.values["naam"]
            if record.width_error:
                errors.append(_error(record.line, name, record.width_error))
                continue
            if any(has_control_characters(value) for value in record.values.values()):
                errors.append(_error(record.line, name, "Deze regel bevat stuurtekens (zoals een NUL-teken); "
                                                        "haal die weg."))
                continue
            row, messages = self._row(record)
            if not messages:
                key = (row["gemeente_id"], normalised_name(row["name"]))
                earlier = seen_kvk.get(row["kvk"]) if row["kvk"] else None
                earlier = earlier or seen_name.get(key)
                if earlier:
                    messages.append(f"Deze club staat al eerder in het bestand (regel {earlier}).")
                else:
                    if row["kvk"]:
                        seen_kvk[row["kvk"]] = record.line
                    seen_name[key] = record.line
            if messages:
                errors.append(_error(record.line, name, " ".join(messages)))
            else:
                rows.append(row)
        return rows, errors

    def _row(self, record: Record) -> tuple[dict, list[str]]:
        values, found = record.values, {}
        name = clubs.club_name(found, values["naam"])
        kind = values["soort"].strip().casefold()
        if kind not in CLUB_KINDS:
            found["kind"] = (f"Onbekende soort ‘{shown(values['soort'])}’: kies vereniging, onderneming of "
                             "stichting." if kind else clubs.KIND_MESSAGE)
        gemeente = self._gemeente(found, values["gemeentecode"])
        sports = self._sports(found, values["sporten"])
        kvk_number = clubs.kvk(found, values["kvk"], field="kvk")
        row = {"line": record.line, "name": name, "kind": kind, "kvk": kvk_number,
               "gemeente_id": gemeente[0] if gemeente else None, "gemeente": gemeente[1] if gemeente else None,
               "sport_ids": [s[0] for s in sports], "sports": [s[1] for s in sports]}
        return row, list(found.values())

    def _gemeente(self, found: dict, typed: str):
        code = gemeente_code(typed)
        gemeente = self.gemeenten.get(code) if code else None
        if gemeente is None:
            found["gemeente"] = unknown_gemeente_message(typed)
            return None
        gemeente_id, gemeente_name, loket_id = gemeente
        if loket_id != self.loket.id:
            found["gemeente"] = f"Gemeente {gemeente_name} ({code}) hoort niet bij het werkgebied van {self.loket.name}."
            return None
        return gemeente_id, gemeente_name

    def _sports(self, found: dict, typed: str) -> list[tuple[int, str]]:
        names = [typed]
        for separator in SPORT_SEPARATORS:
            names = [part for name in names for part in name.split(separator)]
        names = [" ".join(n.split()) for n in names if n.strip()]
        unknown = [n for n in names if n.casefold() not in self.sports]
        if unknown:
            found["sports"] = (f"Onbekende sport{'' if len(unknown) == 1 else 'en'}: "
                               f"{', '.join(shown(n) for n in unknown)}. Gebruik de namen uit de sportenlijst.")
            return []
        if not names:
            found["sports"] = "Vul minstens één sport in."
            return []
        chosen = {self.sports[n.casefold()] for n in names}
        return sorted(chosen, key=lambda s: (clubs.sport_sort_key(s[1]), s[1]))


@dataclass
class _Known:
    """What matching needs of an existing club, as plain values (they survive the commit after each batch)."""

    id: int
    name: str
    gemeente_id: int
    loket_id: int | None
    status: str
    kvk: str | None
    sport_ids: set = field(default_factory=set)


class _Matcher:
    """Finds the existing club of a row: same KvK number, else same normalised name in the same gemeente.

    Loads the werkgebied's clubs and their sports once (two queries), and clubs elsewhere with a KvK number of
    the file when asked (`load_kvk`, one query per chunk)."""

    def __init__(self, loket: Loket):
        self.loket = loket
        self.by_id: dict[int, _Known] = {}
        self.by_kvk: dict[str, _Known] = {}
        self.by_name: dict[tuple[int, str], _Known] = {}
        self.looked_up: set[str] = set()
        rows = db.session.execute(
            select(Club.id, Club.name, Club.gemeente_id, Gemeente.loket_id, Club.status, Club.kvk_number)
            .join(Gemeente, Gemeente.id == Club.gemeente_id)
            .where(Gemeente.loket_id == loket.id, Club.status != "afgewezen").order_by(Club.id))
        for row in rows:
            self.remember(_Known(*row))
        if self.by_id:
            for club_id, sport_id in db.session.execute(
                    select(club_sports.c.club_id, club_sports.c.sport_id)
                    .join(Club, Club.id == club_sports.c.club_id)
                    .join(Gemeente, Gemeente.id == Club.gemeente_id).where(Gemeente.loket_id == loket.id)):
                if club_id in self.by_id:
                    self.by_id[club_id].sport_ids.add(sport_id)

    def remember(self, known: _Known) -> None:
        self.by_id[known.id] = known
        if known.kvk:
            self.by_kvk.setdefault(known.kvk, known)
        if known.loket_id == self.loket.id:
            self.by_name.setdefault((known.gemeente_id, normalised_name(known.name)), known)

    def load_kvk(self, numbers) -> None:
        """Look up clubs outside the werkgebied holding any of these KvK numbers (in chunks of 500)."""
        wanted = sorted({n for n in numbers if n and n not in self.by_kvk and n not in self.looked_up})
        self.looked_up.update(wanted)
        for start in range(0, len(wanted), 500):
            for row in db.session.execute(
                    select(Club.id, Club.name, Club.gemeente_id, Gemeente.loket_id, Club.status, Club.kvk_number)
                    .join(Gemeente, Gemeente.id == Club.gemeente_id)
                    .where(Club.kvk_number.in_(wanted[start:start + 500]), Club.status != "afgewezen")
                    .order_by(Club.id)):
                self.remember(_Known(*row))

    def find(self, row: dict) -> tuple[_Known | None, str | None]:
        """The club this row is (or None: a new one), or a message why the row cannot be stored."""
        if row["kvk"] and row["kvk"] not in self.looked_up:
            self.load_kvk([row["kvk"]])
        known = self.by_kvk.get(row["kvk"]) if row["kvk"] else None
        if known is None:
            known = self.by_name.get((row["gemeente_id"], normalised_name(row["name"])))
            if known is not None and row["kvk"] and known.kvk and known.kvk != row["kvk"]:
                return None, (f"Er staat al een club met deze naam in {row['gemeente']}, met een ander KvK-nummer "
                              f"({known.kvk}). Controleer het KvK-nummer.")
        if known is None:
            return None, None
        if known.loket_id != self.loket.id:
            return None, ("Er staat al een club met dit KvK-nummer in Loket, buiten jullie werkgebied. Neem contact "
                          "op met het landelijk coördinatiepunt.")
        if known.status != "actief":
            return None, (f"‘{known.name}’ is aangemeld en wacht op een besluit. Beslis eerst over de aanmelding "
                          "(Wachtrij → Aanmeldingen).")
        return known, None

    def plan(self, row: dict) -> tuple[str, str | None]:
        """What storing the row will do: create, update or unchanged (or the message why it cannot)."""
        known, problem = self.find(row)
        if problem:
            return "", problem
        if known is None:
            return "create", None
        return ("update" if _changes(known, row) else "unchanged"), None


def _changes(known: _Known, row: dict) -> bool:
    return bool(set(row["sport_ids"]) - known.sport_ids) or (bool(row["kvk"]) and not known.kvk)


def _filename(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return shown(base)[:FILENAME_MAX] or "clubs.csv"


# ---------------------------------------------------------------- reading imports

def get_import(user: User, import_id, *, with_rows: bool = True) -> ClubImport:
    """An import of a loket `user` works at; NotFound otherwise (no hint whether it exists). Without `with_rows`
    the stored rows are not loaded (the progress page refreshes often)."""
    number = as_id(import_id)
    if number is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    query = select(ClubImport).where(ClubImport.id == number)
    if not with_rows:
        query = query.options(defer(ClubImport.rows))
    club_import = db.session.scalar(query)
    if club_import is None or club_import.loket_id not in user.loket_ids:
        raise NotFound(NOT_FOUND_MESSAGE)
    return club_import


def recent_imports(loket: Loket, *, limit: int = RECENT) -> list[ClubImport]:
    """The loket's latest imports, newest first, without their rows (ix_club_imports_loket_created)."""
    return list(db.session.scalars(
        select(ClubImport).where(ClubImport.loket_id == loket.id).options(defer(ClubImport.rows))
        .order_by(ClubImport.created_at.desc(), ClubImport.id.desc()).limit(limit)))


# ---------------------------------------------------------------- step 2: confirm

def confirm(club_import: ClubImport, *, actor: User) -> ClubImport:
    """Queue a previewed import for storing (the job runs inline without Redis, so it may be done on return).
    Conflict when it was confirmed before. Side effects: state queued and the outbox job; commits."""
    if club_import.loket_id not in actor.loket_ids:
        raise NotFound(NOT_FOUND_MESSAGE)
    if club_import.state != "preview":
        raise Conflict(ALREADY_CONFIRMED)
    if not club_import.total_rows:
        raise InvalidInput({"_form": NOTHING_TO_IMPORT})
    claimed = db.session.execute(update(ClubImport).where(ClubImport.id == club_import.id,
                                                          ClubImport.state == "preview")
                                 .values(state="queued").execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # a second click, in another tab, was first
        db.session.rollback()
        raise Conflict(ALREADY_CONFIRMED)
    outbox.add_job(JOB, args=[club_import.id], key=f"club-import:{club_import.id}")
    import_id = club_import.id
    commit()
    return db.session.get(ClubImport, import_id)


# ---------------------------------------------------------------- step 3: the job

def run(import_id: int, *, batch_size: int | None = None) -> ClubImport | None:
    """Store a confirmed import batch by batch (idempotent: a done or failed import is left alone, a running one
    continues where it stopped). An unexpected error marks it failed with a message and is not raised: the
    import row is the record, and what the committed batches stored stays (a new upload skips it)."""
    club_import = db.session.get(ClubImport, import_id)
    if club_import is None or club_import.state not in ("queued", "running"):
        db.session.rollback()
        return club_import
    club_import.state = "running"
    commit()
    loket = db.session.get(Loket, club_import.loket_id)
    try:
        matcher = _Matcher(loket)
        while store_batch(import_id, matcher, batch_size=batch_size or BATCH_SIZE):
            pass
        club_import = db.session.get(ClubImport, import_id)
        club_import.state, club_import.finished_at = "done", utcnow()
        commit()
    except Exception:  # noqa: BLE001  (recorded on the import; the page shows it)
        log.exception("Club import %s failed", import_id)
        db.session.rollback()
        club_import = db.session.get(ClubImport, import_id)
        club_import.state, club_import.finished_at = "failed", utcnow()
        club_import.errors = [*club_import.errors, _error(None, "", INTERRUPTED_MESSAGE)]
        commit()
    return club_import


def store_batch(import_id: int, matcher: "_Matcher", *, batch_size: int = BATCH_SIZE) -> bool:
    """Store the next `batch_size` rows of a running import in one transaction; True while rows remain.

    The import row is locked (PostgreSQL) so a second worker on the same import waits and then continues after
    this batch instead of storing it twice."""
    query = select(ClubImport).where(ClubImport.id == import_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    club_import = db.session.scalar(query.execution_options(populate_existing=True))
    start = club_import.processed_rows
    batch = club_import.rows[start:start + batch_size]
    if not batch:
        db.session.rollback()
        return False
    loket = db.session.get(Loket, club_import.loket_id)
    serving = set(db.session.scalars(select(Gemeente.id).where(Gemeente.loket_id == loket.id)))
    matcher.load_kvk(row["kvk"] for row in batch)
    sports = {s.id: s for s in db.session.scalars(
        select(Sport).where(Sport.id.in_(sorted({i for row in batch for i in row["sport_ids"]}))))}
    plans, errors = [], []
    for row in batch:
        if row["gemeente_id"] not in serving:
            errors.append(_error(row["line"], row["name"], f"Gemeente {row['gemeente']} hoort inmiddels niet meer "
                                                           f"bij het werkgebied van {loket.name}."))
            continue
        known, problem = matcher.find(row)
        if problem:
            errors.append(_error(row["line"], row["name"], problem))
        else:
            plans.append((row, known))
    existing = {c.id: c for c in db.session.scalars(
        select(Club).where(Club.id.in_([known.id for _, known in plans if known]))
        .options(selectinload(Club.sports)))} if any(known for _, known in plans) else {}
    created, updated, new = 0, 0, []
    now = utcnow()
    for row, known in plans:
        chosen = [sports[i] for i in row["sport_ids"] if i in sports]
        if known is None:
            club = Club(name=row["name"], kind=row["kind"], gemeente_id=row["gemeente_id"], kvk_number=row["kvk"],
                        sports=chosen, status="actief", created_at=now)
            db.session.add(club)
            new.append((club, row))
            created += 1
        elif _changes(known, row):
            club = existing[known.id]
            club.sports = [*club.sports, *(s for s in chosen if s.id not in known.sport_ids)]
            if row["kvk"] and not club.kvk_number:
                club.kvk_number = known.kvk = row["kvk"]
                matcher.by_kvk.setdefault(row["kvk"], known)
            known.sport_ids |= {s.id for s in chosen}
            updated += 1
    db.session.flush()
    for club, row in new:  # later batches (and a second run) find these
        matcher.remember(_Known(club.id, club.name, club.gemeente_id, loket.id, "actief", club.kvk_number,
                                 set(row["sport_ids"])))
    club_import.processed_rows = start + len(batch)
    club_import.created_count += created
    club_import.updated_count += updated
    if errors:
        club_import.errors = [*club_import.errors, *errors]
    more = club_import.processed_rows < len(club_import.rows)
    commit()
    return more


def percent_done(club_import: ClubImport) -> int:
    if not club_import.total_rows:
        return 100 if club_import.state == "done" else 0
    return min(100, round(100 * club_import.processed_rows / club_import.total_rows))
