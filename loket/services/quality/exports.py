"""Every table of the national overview as CSV and as XLSX, from one definition per table.

A `*_table` function turns overview data into a Table (typed columns + rows); `to_csv` and `to_xlsx`
write any Table, so both formats always hold the same numbers as the page.

CSV follows what Dutch Excel opens correctly on a double click (the audience is the coördinatiepunt):
UTF-8 with a byte order mark, `;` between fields, a decimal comma, CRLF line ends, RFC 4180 quoting.
That is also R's `read.csv2` and pandas' `read_csv(sep=";", decimal=",")`. Months are `JJJJ-MM`,
yes/no is `ja`/`nee`, no value is an empty field. XLSX keeps types: integers and decimals are numbers
(a share stays a fraction, 0.92, with its unit in its own column), months are dates shown as JJJJ-MM.

Text that a spreadsheet would run as a formula (starting with = + - @ tab or CR) is written as text:
prefixed with an apostrophe in CSV (OWASP's advice), as an explicit string cell in XLSX.
"""
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from loket.formatting import number, percent
from loket.services.quality.overview import (
    STATUS_FILTERS,
    TREND_LABELS,
    LoketDetail,
    Overview,
    Targets,
)
from loket.services.quality.registry import PERCENT, UNIT_LABELS
from loket.services.reporting.demand import Demand

TEXT, INTEGER, NUMBER, MONTH, YESNO = "text", "integer", "number", "month", "yesno"
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
CSV_DECIMALS = 6
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LOKET_STATUS_LABELS = {"operationeel": "operationeel", "in_oprichting": "in oprichting"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    name: str  # file name stem, e.g. "loketten"
    title: str  # sheet title (at most 31 characters)
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


# ---------------------------------------------------------------- the tables

def targets_table(targets: Targets) -> Table:
    rows = (
        ("Gemeenten gedekt door een operationeel loket", targets.gemeenten_covered, targets.target_gemeenten),
        ("Loketten aangehaakt bij het coördinatiepunt", targets.loketten_aangehaakt, targets.loketten_total),
        ("Loketten die voldoen aan de kwaliteitscriteria", targets.loketten_voldoen,
         targets.target_loketten_voldoen),
        ("Bonden aangesloten", targets.bonden_aangesloten, targets.target_bonden),
    )
    return Table("doelen", "Doelen 2026",
                 (Column("Doel"), Column("Stand", INTEGER), Column("Doel 2026", INTEGER)), rows)


def loketten_table(overview: Overview, *, province: str | None = None, status: str | None = None,
                   region: str | None = None) -> Table:
    """The loketten of the overview; grouped by a region set (overview.grouping) with a column of each loket's
    regions in that set, and optionally only those of one `region`."""
    codes = [c.code for c in overview.criteria]
    region_set = overview.grouping.region_set
    by_region = (Column(f"Regio’s in {region_set.name}"),) if region_set else ()
    columns = (Column("Slug"), Column("Loket"), Column("Status"), Column("Provincies"), *by_region,
               Column("Gemeenten", INTEGER), Column("Aangehaakt", YESNO), Column("Voldoet", YESNO),
               *(Column(code, YESNO) for code in codes), Column("Trend"))
    rows = tuple(
        (row.slug, row.name, LOKET_STATUS_LABELS.get(row.status, row.status), ", ".join(row.provinces),
         *((", ".join(row.regions),) if region_set else ()),
         row.gemeenten, row.aangehaakt, row.voldoet, *(row.criteria.get(code) for code in codes),
         TREND_LABELS.get(row.trend_direction, "").lower())
        for row in overview.filtered(province=province, status=status, region=region))
    suffix = "-".join(_slug(part) for part in (region_set.slug if region_set else None, province, region, status)
                      if part)
    title = "Loketten" + (f" ({STATUS_FILTERS[status].lower()})" if status else "")
    return Table("loketten" + (f"-{suffix}" if suffix else ""), title, columns, rows)


def history_table(detail: LoketDetail, code: str | None = None) -> Table:
    """The measurements of one loket, one row per criterion and month (optionally one criterion)."""
    columns = (Column("Code"), Column("Criterium"), Column("Maand", MONTH), Column("Waarde", NUMBER),
               Column("Eenheid"), Column("Voldoet", YESNO), Column("Norm"), Column("Teller", NUMBER),
               Column("Noemer", NUMBER), Column("Waarnemingen", NUMBER), Column("Criteriaversie"))
    rows = tuple(
        (h.criterion.code, h.criterion.title, p.period, p.value, UNIT_LABELS[h.unit], p.passed,
         _norm(p.comparison, p.threshold, h.unit), p.numerator, p.denominator, p.count, p.version)
        for h in detail.histories if code in (None, h.criterion.code) for p in h.points)
    name = f"metingen-{_slug(detail.row.slug)}" + (f"-{_slug(code)}" if code else "")
    return Table(name, f"Metingen {code or ''}".strip(), columns, rows)


def demand_table(demand: Demand, *, by: str, indeling: str = "") -> Table:
    """One row per category (by="categorie"), province (by="provincie") or region (by="regio", `indeling` the
    region set's slug for the file name), one column per month."""
    columns = (Column(by.capitalize()), *(Column(month.strftime("%Y-%m"), INTEGER) for month in demand.months),
               Column("Totaal", INTEGER))
    rows = tuple((s.label, *s.counts, s.total) for s in demand.series)
    rows += (("Totaal", *demand.totals, demand.total),)
    return Table(f"vraag-per-{by}" + (f"-{_slug(indeling)}" if indeling else ""), f"Vraag per {by}", columns, rows)


def _norm(comparison: str, threshold: float | None, unit: str) -> str:
    if threshold is None:
        return ""
    return f"{comparison} {percent(threshold, None) if unit == PERCENT else number(threshold, None)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# ---------------------------------------------------------------- the formats

def filename(table: Table, fmt: str, today: date) -> str:
    """ASCII only, so a plain Content-Disposition filename works in every browser."""
    return f"loket-{table.name}-{today.isoformat()}.{fmt}"


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value, column.kind) for value, column in zip(row, table.columns)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == YESNO:
        return "ja" if value else "nee"
    if kind == MONTH:
        return value.strftime("%Y-%m")
    if kind == INTEGER:
        return str(int(value))
    if kind == NUMBER:
        return number(value, CSV_DECIMALS)
    return _safe_text(str(value))


def _safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", table.title)[:31] or "Tabel"
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for values in table.rows:
        sheet.append([_xlsx_value(value, column.kind) for value, column in zip(values, table.columns)])
        row = sheet.max_row
        for index, (value, column) in enumerate(zip(values, table.columns), start=1):
            cell = sheet.cell(row=row, column=index)
            if column.kind == MONTH and value is not None:
                cell.number_format = "yyyy-mm"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        widest = max([len(column.header), *(len(str(r[index - 1] or "")) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, widest + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value, kind: str):
    if value is None:
        return None
    if kind == YESNO:
        return "ja" if value else "nee"
    if kind == INTEGER:
        return int(value)
    if kind == NUMBER:
        return float(value)
    if kind == MONTH:
        return value
    return str(value)


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """(body, mimetype) of a table in `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return to_xlsx(table), XLSX_MIMETYPE
    return to_csv(table), f"{CSV_MIMETYPE}; charset=utf-8"
