"""Region sets above the gemeente besides the built-in provinces (the 27 VSG regio's, GGD regions, sportregio's):
imported by beheer from a CSV, read by the overview, its exports and the demand statistics to group gemeenten.

The file (also explained on the upload page, `FORMAT_HELP`), read by `services.csv_text` like the club import:
- UTF-8 with or without byte order mark, columns separated by `;` or `,`;
- the first line names the columns `regio` and `gemeentecode` (any order and case; `region`, `gemeente_code`,
  `code` and `cbs-code` are understood too), no others;
- one gemeente per line: the region's name and the CBS code of the gemeente (GM0344, or just 0344);
- at most REGION_IMPORT_MAX_BYTES bytes and REGION_IMPORT_MAX_ROWS rows (app config).

Every gemeente belongs to at most one region of a set (the primary key of region_gemeenten); gemeenten the file
does not name are "Niet ingedeeld" in that set. Importing is all or nothing: `preview_import` shows every row with
its gemeente or the Dutch message why it cannot be stored, `import_region_set` stores the set only when no row has
an error, in one transaction. Replacing a set of the same name (asked explicitly) keeps its slug and the regions
whose name stays (so an adviseur of such a region keeps it); a region that would disappear while an adviseur
has it refuses the import, as deleting a set with adviseurs is refused: a membership ends through beheer's
user pages, where it is kept in the network's history, never silently through a cascade.
"""
import hashlib
import io
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError

from loket.extensions import db
from loket.models import Gemeente, Membership, Region, RegionGemeente, RegionSet, User
from loket.models.base import utcnow
from loket.services.csv_text import (
    CsvFormat,
    gemeente_code,
    megabytes,
    read_records,
    shown,
    thousands,
    unknown_gemeente_message,
)
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.ids import as_key
from loket.services.text import SLUG_MAX, clean_name, has_control_characters, slugify
from loket.services.transaction import commit

NAME_MAX = 120  # RegionSet.name
REGION_NAME_MAX = 120  # Region.name
NOT_GROUPED = "Niet ingedeeld"
COLUMNS = ("regio", "gemeentecode")
HEADER_ALIASES = {"regio": "regio", "region": "regio", "regionaam": "regio", "gemeentecode": "gemeentecode",
                  "code": "gemeentecode", "cbscode": "gemeentecode", "gemeente": "gemeentecode"}
FIELD = "file"
SHOWN_ERRORS = 5

FORMAT_HELP = ("Een CSV-bestand in UTF-8 met op de eerste regel de kolommen regio;gemeentecode (gescheiden door ; "
               "of ,) en daaronder één gemeente per regel: de naam van de regio en de CBS-code van de gemeente "
               "(bijvoorbeeld GM0344). Een gemeente hoort bij hoogstens één regio.")
EMPTY_MESSAGE = "Het bestand is leeg. Kies een CSV-bestand met een kopregel en minstens één gemeente."
NO_ROWS_MESSAGE = ("Het bestand heeft een kopregel maar geen gemeenten. Zet onder de kopregel één gemeente per "
                   "regel: regio;gemeentecode.")
NOT_FOUND_MESSAGE = "Deze indeling bestaat niet."
NAME_MISSING = "Geef de indeling een naam, bijvoorbeeld ‘VSG-regio’s’."
CONTROL_MESSAGE = "Deze regel bevat stuurtekens (zoals een NUL-teken); haal die weg."
ONLY_BEHEER = "Alleen beheer kan regio-indelingen importeren of verwijderen."


def max_rows() -> int:
    return int(current_app.config["REGION_IMPORT_MAX_ROWS"])


def max_bytes() -> int:
    return int(current_app.config["REGION_IMPORT_MAX_BYTES"])


def too_large_message(limit: int | None = None) -> str:
    return (f"Het bestand is groter dan {megabytes(limit or max_bytes())} MB. Een regio-indeling heeft één regel "
            "per gemeente; controleer of dit het goede bestand is.")


def too_many_rows_message(limit: int) -> str:
    return (f"Het bestand heeft meer dan {thousands(limit)} rijen. Een regio-indeling heeft één regel per gemeente; "
            "controleer of dit het goede bestand is.")


CSV_FORMAT = CsvFormat(columns=COLUMNS, aliases=HEADER_ALIASES, field=FIELD, empty_message=EMPTY_MESSAGE,
                       no_rows_message=NO_ROWS_MESSAGE, too_large=too_large_message,
                       too_many_rows=too_many_rows_message)


def digest(csv_bytes: bytes) -> str:
    """The SHA-256 of an upload: the confirmation carries it to prove it stores the file that was checked."""
    return hashlib.sha256(csv_bytes).hexdigest()


def _only_beheer(actor: User | None) -> None:
    if actor is None or not actor.has_role("beheer"):
        raise Forbidden(ONLY_BEHEER)


# ---------------------------------------------------------------- the import: preview

@dataclass(frozen=True)
class PreviewRow:
    line: int
    region: str  # as it will be stored (whitespace collapsed; the first spelling of a name in the file)
    code: str  # as typed (safe to show)
    gemeente: str | None  # the gemeente's name, None when the code names none
    gemeente_id: int | None = None
    error: str | None = None


@dataclass
class ImportPreview:
    name: str
    slug: str
    digest: str
    rows: list[PreviewRow]
    gemeenten_total: int
    replacing: RegionSet | None = None  # the existing set whose regions the import replaces
    removed_regions: list[str] = field(default_factory=list)  # regions of `replacing` the file leaves out
    blocked: str | None = None  # why the import cannot be stored although every row is good

    @property
    def errors(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.error]

    @property
    def ok(self) -> bool:
        return not self.errors and self.blocked is None

    @property
    def regions(self) -> list[tuple[str, int]]:
        """(region, number of gemeenten) of the good rows, by name."""
        counts: dict[str, int] = {}
        for row in self.rows:
            if not row.error:
                counts[row.region] = counts.get(row.region, 0) + 1
        return sorted(counts.items(), key=lambda item: item[0].casefold())

    @property
    def covered(self) -> int:
        return sum(1 for row in self.rows if not row.error)

    @property
    def not_grouped(self) -> int:
        return self.gemeenten_total - self.covered


def preview_import(name: str | None, csv_bytes: bytes, *, replace: bool = False) -> ImportPreview:
    """Check a region set's name and CSV: every row with its gemeente or a Dutch message. Stores nothing.

    :raises InvalidInput: {"name": …} for a missing or taken name (unless `replace`), {"file": …} for a file that
        cannot be read as a whole (empty, only a header, wrong columns, not UTF-8, too large, too many rows).
    """
    errors: dict[str, str] = {}
    name = _name(errors, name)
    slug = slugify(name) if name else ""
    existing = _existing(name, slug) if name and not errors else None
    if existing is not None and not replace:
        errors["name"] = (f"Er is al een indeling ‘{existing.name}’. Kies een andere naam, of kies ‘Bestaande "
                          "indeling vervangen’ om haar regio’s te vervangen door die uit dit bestand.")
    try:
        records = read_records(io.BytesIO(csv_bytes or b""), CSV_FORMAT, max_bytes=max_bytes(), max_rows=max_rows())
    except InvalidInput as error:
        errors.update(error.errors)
        records = []
    if errors:
        raise InvalidInput(errors)
    gemeenten = {code: (gid, gname) for gid, code, gname in db.session.execute(
        select(Gemeente.id, Gemeente.code, Gemeente.name))}
    rows = _check_rows(records, gemeenten)
    preview = ImportPreview(name=name, slug=existing.slug if existing else slug, digest=digest(csv_bytes),
                            rows=rows, gemeenten_total=len(gemeenten), replacing=existing)
    if existing is not None:
        _plan_replacement(preview, existing)
    return preview


def _name(errors: dict, name: str | None) -> str:
    if name and has_control_characters(name):
        errors["name"] = "De naam bevat stuurtekens (zoals een NUL-teken); haal die weg."
        return ""
    name = clean_name(errors, name, NAME_MAX, missing=NAME_MISSING)
    if name and not errors and not slugify(name):
        errors["name"] = "De naam moet letters of cijfers bevatten."
    return name


def _existing(name: str, slug: str) -> RegionSet | None:
    """The set this name means: the same name (without case) or the same slug."""
    return db.session.scalar(select(RegionSet).where(
        (func.lower(RegionSet.name) == name.lower()) | (RegionSet.slug == slug)).order_by(RegionSet.id).limit(1))


def _check_rows(records, gemeenten: dict[str, tuple[int, str]]) -> list[PreviewRow]:
    rows: list[PreviewRow] = []
    spelling: dict[str, str] = {}  # casefolded region name → the first spelling in the file
    seen: dict[int, PreviewRow] = {}  # gemeente id → its first good row
    for record in records:
        typed_region, typed_code = record.values["regio"], record.values["gemeentecode"]
        region = " ".join(typed_region.split())
        region = spelling.setdefault(region.casefold(), region) if region else ""
        code = gemeente_code(typed_code)
        gemeente = gemeenten.get(code) if code else None
        error = None
        if record.width_error:
            error = record.width_error
        elif has_control_characters(typed_region) or has_control_characters(typed_code):
            error = CONTROL_MESSAGE
        else:
            problems = []
            if not region:
                problems.append("Vul de naam van de regio in.")
            elif region.casefold() == NOT_GROUPED.casefold():
                problems.append(f"‘{NOT_GROUPED}’ is de naam voor de gemeenten zonder regio; geef deze regio een "
                                "andere naam, of laat de gemeente weg.")
            elif len(region) > REGION_NAME_MAX:
                problems.append(f"De naam van de regio mag maximaal {REGION_NAME_MAX} tekens lang zijn "
                                f"(nu {len(region)}).")
            if gemeente is None:
                problems.append(unknown_gemeente_message(typed_code))
            elif gemeente[0] in seen:
                first = seen[gemeente[0]]
                problems.append(f"Gemeente {gemeente[1]} ({code}) staat al op regel {first.line} (regio "
                                f"{first.region}); een gemeente hoort bij hoogstens één regio van een indeling.")
            error = " ".join(problems) or None
        row = PreviewRow(line=record.line, region=shown(region) if error else region, code=shown(typed_code),
                         gemeente=gemeente[1] if gemeente else None,
                         gemeente_id=gemeente[0] if gemeente else None, error=error)
        if error is None:
            seen[gemeente[0]] = row
        rows.append(row)
    return rows


def _plan_replacement(preview: ImportPreview, existing: RegionSet) -> None:
    """Which regions of the existing set disappear, and whether an adviseur still has one of them (one query)."""
    kept = {name.casefold() for name, _ in preview.regions}
    removed = [row for row in _regions_with_adviseurs(existing.id) if row.name.casefold() not in kept]
    preview.removed_regions = [row.name for row in removed]
    holding = [row for row in removed if row.adviseurs]
    if holding:
        count = sum(row.adviseurs for row in holding)
        names = ", ".join(f"‘{row.name}’" for row in holding)
        preview.blocked = (f"{'De regio' if len(holding) == 1 else 'De regio’s'} {names} "
                           f"{'staat' if len(holding) == 1 else 'staan'} niet meer in het bestand, maar "
                           f"{count} {'adviseur heeft' if count == 1 else 'adviseurs hebben'} daar nog een rol. "
                           "Geef hen eerst een andere regio of neem de rol af (Beheer → Gebruikers), of houd de "
                           "regio in het bestand.")


def _regions_with_adviseurs(set_id: int):
    """(id, name, adviseurs) of every region of the set, by name: how many adviseurs have it (one query)."""
    return db.session.execute(
        select(Region.id, Region.name, func.count(Membership.id).label("adviseurs"))
        .outerjoin(Membership, and_(Membership.region_id == Region.id, Membership.role == "adviseur"))
        .where(Region.region_set_id == set_id).group_by(Region.id, Region.name).order_by(Region.name)).all()


# ---------------------------------------------------------------- the import: storing

def import_region_set(name: str | None, csv_bytes: bytes, *, actor: User, replace: bool = False) -> RegionSet:
    """Store a new region set from a CSV, or (with `replace`) replace the regions of the set of that name.

    All or nothing: any bad row, or a replaced region that an adviseur still has, raises InvalidInput with the
    Dutch messages and stores nothing. One transaction.

    :raises Forbidden: the actor is not beheer.
    :raises InvalidInput: {"name": …} / {"file": …}.
    :raises Conflict: someone stored a set with this name in the meantime.
    """
    _only_beheer(actor)
    preview = preview_import(name, csv_bytes, replace=replace)
    if preview.errors:
        count = len(preview.errors)
        listed = " ".join(f"Regel {row.line}: {row.error}" for row in preview.errors[:SHOWN_ERRORS])
        more = f" En nog {count - SHOWN_ERRORS} andere." if count > SHOWN_ERRORS else ""
        raise InvalidInput({FIELD: f"{count} {'rij heeft' if count == 1 else 'rijen hebben'} een fout, dus er is "
                                   f"niets opgeslagen. {listed}{more}"})
    if preview.blocked:
        raise InvalidInput({FIELD: preview.blocked})
    region_set = preview.replacing
    if region_set is None:
        region_set = RegionSet(name=preview.name, slug=preview.slug[:SLUG_MAX])
        db.session.add(region_set)
        regions: dict[str, Region] = {}
    else:
        region_set.name = preview.name
        regions = {r.name.casefold(): r for r in db.session.scalars(
            select(Region).where(Region.region_set_id == region_set.id))}
        db.session.execute(delete(RegionGemeente).where(RegionGemeente.region_set_id == region_set.id))
        gone = [r.id for key, r in regions.items() if key not in {n.casefold() for n, _ in preview.regions}]
        if gone:
            db.session.execute(delete(Region).where(Region.id.in_(gone)))
        regions = {key: r for key, r in regions.items() if r.id not in gone}
    region_set.imported_at, region_set.imported_by_id = utcnow(), actor.id
    for region_name, _ in preview.regions:
        region = regions.get(region_name.casefold())
        if region is None:
            regions[region_name.casefold()] = Region(region_set=region_set, name=region_name)
            db.session.add(regions[region_name.casefold()])
        else:
            region.name = region_name
    try:
        db.session.flush()
        db.session.execute(RegionGemeente.__table__.insert(), [
            {"region_set_id": region_set.id, "gemeente_id": row.gemeente_id,
             "region_id": regions[row.region.casefold()].id} for row in preview.rows])
        set_id = region_set.id
        commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Er is net een indeling met deze naam opgeslagen. Laad de lijst opnieuw en kies een andere "
                       "naam of vervang die indeling.") from None
    return db.session.get(RegionSet, set_id)

# ---------------------------------------------------------------- reading sets

@dataclass(frozen=True)
class RegionSetSummary:
    id: int
    slug: str
    name: str
    imported_at: object
    imported_by: str | None
    regions: int
    gemeenten: int  # gemeenten in one of its regions
    adviseurs: int  # adviseurs with a region of this set
    gemeenten_total: int

    @property
    def not_grouped(self) -> int:
        return max(0, self.gemeenten_total - self.gemeenten)


def region_sets() -> list[RegionSetSummary]:
    """Every region set by name with its counts (one query, whatever the number of sets)."""
    regions = (select(func.count()).select_from(Region).where(Region.region_set_id == RegionSet.id)
               .correlate(RegionSet).scalar_subquery())
    gemeenten = (select(func.count()).select_from(RegionGemeente)
                 .where(RegionGemeente.region_set_id == RegionSet.id).correlate(RegionSet).scalar_subquery())
    adviseurs = (select(func.count(Membership.id)).join(Region, Region.id == Membership.region_id)
                 .where(Region.region_set_id == RegionSet.id, Membership.role == "adviseur")
                 .correlate(RegionSet).scalar_subquery())
    total = select(func.count()).select_from(Gemeente).scalar_subquery()
    rows = db.session.execute(
        select(RegionSet.id, RegionSet.slug, RegionSet.name, RegionSet.imported_at, User.name.label("imported_by"),
               regions.label("regions"), gemeenten.label("gemeenten"), adviseurs.label("adviseurs"),
               total.label("total"))
        .outerjoin(User, User.id == RegionSet.imported_by_id).order_by(RegionSet.name, RegionSet.id))
    return [RegionSetSummary(row.id, row.slug, row.name, row.imported_at, row.imported_by, row.regions,
                             row.gemeenten, row.adviseurs, row.total) for row in rows]


def set_choices() -> list[tuple[str, str]]:
    """(slug, name) of every region set by name, for an "Indeling" choice (one query)."""
    return [(row.slug, row.name) for row in db.session.execute(
        select(RegionSet.slug, RegionSet.name).order_by(RegionSet.name, RegionSet.id))]


def region_set(slug) -> RegionSet:
    """The set with this slug; NotFound for anything else (also text that is no slug)."""
    if as_key(slug) is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    found = db.session.scalar(select(RegionSet).where(RegionSet.slug == slug))
    if found is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


@dataclass(frozen=True)
class RegionDetail:
    id: int
    name: str
    gemeenten: list[tuple[str, str]]  # (code, name) by name
    adviseurs: int


@dataclass(frozen=True)
class RegionSetDetail:
    summary: RegionSetSummary
    regions: list[RegionDetail]
    not_grouped: list[tuple[str, str]]  # (code, name) of gemeenten in no region of the set


def region_set_detail(slug) -> RegionSetDetail:
    """A set with its regions, their gemeenten and adviseurs, and the gemeenten it leaves out (four queries)."""
    found = region_set(slug)
    summary = next(s for s in region_sets() if s.id == found.id)
    members = db.session.execute(
        select(RegionGemeente.region_id, Gemeente.code, Gemeente.name)
        .join(Gemeente, Gemeente.id == RegionGemeente.gemeente_id)
        .where(RegionGemeente.region_set_id == found.id).order_by(Gemeente.name)).all()
    per_region: dict[int, list[tuple[str, str]]] = {}
    for row in members:
        per_region.setdefault(row.region_id, []).append((row.code, row.name))
    regions = _regions_with_adviseurs(found.id)
    grouped = (select(RegionGemeente.gemeente_id).where(RegionGemeente.region_set_id == found.id))
    outside = [(row.code, row.name) for row in db.session.execute(
        select(Gemeente.code, Gemeente.name).where(Gemeente.id.not_in(grouped)).order_by(Gemeente.name))]
    return RegionSetDetail(summary, [RegionDetail(r.id, r.name, per_region.get(r.id, []), r.adviseurs)
                                     for r in regions], outside)


# ---------------------------------------------------------------- deleting a set

def delete_region_set(slug, *, actor: User) -> str:
    """Delete a set with its regions; returns its name. Refused (Conflict) while an adviseur has one of its
    regions: their role ends through beheer's user pages, where the change is kept in the network's history."""
    _only_beheer(actor)
    found = region_set(slug)
    adviseurs = db.session.scalar(
        select(func.count(Membership.id)).join(Region, Region.id == Membership.region_id)
        .where(Region.region_set_id == found.id, Membership.role == "adviseur"))
    if adviseurs:
        raise Conflict(f"{adviseurs} {'adviseur heeft' if adviseurs == 1 else 'adviseurs hebben'} nog een regio van "
                       f"‘{found.name}’. Geef hen eerst een regio van een andere indeling of neem de rol af "
                       "(Beheer → Gebruikers); dan kun je de indeling verwijderen.")
    name, set_id = found.name, found.id
    # Explicit, not through ON DELETE CASCADE: SQLite does not enforce foreign keys here.
    db.session.execute(delete(RegionGemeente).where(RegionGemeente.region_set_id == set_id))
    db.session.execute(delete(Region).where(Region.region_set_id == set_id))
    db.session.execute(delete(RegionSet).where(RegionSet.id == set_id))
    db.session.expunge(found)
    commit()
    return name


# ---------------------------------------------------------------- grouping gemeenten

@dataclass(frozen=True)
class Grouping:
    """How gemeenten are grouped above the gemeente: by province (no region set) or by the regions of a set.

    `key` is the SQL expression of a gemeente's group (a province, a region name, or NULL for a gemeente outside
    every region of the set: NOT_GROUPED); `join(query)` adds the two outer joins it needs to a query that has
    `Gemeente` in its FROM (along the region_gemeenten primary key, and ix_region_gemeenten_region).
    """

    region_set: RegionSet | None = None

    @property
    def slug(self) -> str:
        return self.region_set.slug if self.region_set else ""

    @property
    def label(self) -> str:
        """The group's name in a table heading."""
        return "Regio" if self.region_set else "Provincie"

    @property
    def plural(self) -> str:
        return "regio’s" if self.region_set else "provincies"

    @property
    def title(self) -> str:
        """'provincie' or 'regio (VSG-regio’s)' for a sentence."""
        return f"regio ({self.region_set.name})" if self.region_set else "provincie"

    @property
    def key(self):
        return Region.name if self.region_set else Gemeente.province

    def join(self, query):
        if self.region_set is None:
            return query
        return (query.outerjoin(RegionGemeente, and_(RegionGemeente.region_set_id == self.region_set.id,
                                                     RegionGemeente.gemeente_id == Gemeente.id))
                .outerjoin(Region, Region.id == RegionGemeente.region_id))

    @staticmethod
    def name_of(key) -> str:
        return key if key is not None else NOT_GROUPED

    def names(self) -> list[str]:
        """Every group, in order (one query): provinces with a gemeente; or the set's regions, then NOT_GROUPED
        when the set leaves a gemeente out."""
        if self.region_set is None:
            return list(db.session.scalars(select(Gemeente.province).distinct().order_by(Gemeente.province)))
        outside = (select(func.count()).select_from(Gemeente).where(Gemeente.id.not_in(
            select(RegionGemeente.gemeente_id).where(RegionGemeente.region_set_id == self.region_set.id)))
            .scalar_subquery())
        rows = db.session.execute(select(Region.name, outside.label("outside"))
                                  .where(Region.region_set_id == self.region_set.id).order_by(Region.name)).all()
        if not rows:
            return [NOT_GROUPED]
        return [row.name for row in rows] + ([NOT_GROUPED] if rows[0].outside else [])


PROVINCES = Grouping()


def grouping(slug) -> Grouping:
    """The grouping an `?indeling=` names: empty or "provincie" is by province; else a region set's slug.

    :raises NotFound: no set has this slug.
    """
    if slug in (None, "", "provincie"):
        return PROVINCES
    return Grouping(region_set(slug))
