"""The national overview: targets, the loketten table with filters and trend, the drill-down, and the
CSV/XLSX tables — all checked against numbers worked out by hand for a small network."""
import csv
import io
from datetime import date, datetime

import pytest

from loket.extensions import db as _db
from loket.services.errors import NotFound
from loket.services.quality import exports, overview, registry, voldoet
from loket.services.reporting import demand as demand_service
from tests.factories import (
    CriteriaSetFactory,
    CriterionFactory,
    GemeenteFactory,
    LoketFactory,
    MeasurementFactory,
)
from tests.support.db import count_queries
from tests.support.lookups import METRIC_CODES
from tests.support.quality import (
    NOVEMBER,
    OCTOBER,
    SEPTEMBER,
    measure_month,
    measured_loket,
    stored_request,
)

TODAY = date(2026, 11, 24)


def _rows(result):
    return {row.slug: row for row in result.loketten}


# ---------------------------------------------------------------- targets

def test_targets_match_the_network_counted_by_hand(quality):
    targets = overview.national_overview(TODAY).targets
    assert (targets.gemeenten_total, targets.gemeenten_covered) == (7, 5)  # Bunnik in oprichting, Zeist none
    assert (targets.loketten_total, targets.loketten_operational, targets.loketten_aangehaakt) == (4, 3, 3)
    assert targets.loketten_voldoen == 1
    assert (targets.bonden_total, targets.bonden_aangesloten) == (2, 1)
    assert (targets.target_gemeenten, targets.target_loketten_voldoen, targets.target_bonden) == (342, 100, 2)


def test_a_gemeente_counts_as_covered_only_when_its_loket_is_operational(quality):
    quality.loket_bunnik.status = "operationeel"
    _db.session.commit()
    assert overview.national_overview(TODAY).targets.gemeenten_covered == 6
    quality.loket_arnhem.status = "in_oprichting"
    _db.session.commit()
    assert overview.national_overview(TODAY).targets.gemeenten_covered == 5


def test_an_empty_network_has_zero_everywhere_and_still_the_targets(db):
    result = overview.national_overview(TODAY)
    assert result.loketten == [] and result.criteria_set is None
    targets = result.targets
    assert (targets.gemeenten_total, targets.gemeenten_covered, targets.loketten_voldoen) == (0, 0, 0)
    assert (targets.target_gemeenten, targets.target_loketten_voldoen) == (342, 100)


# ---------------------------------------------------------------- the loketten table

def test_each_loket_row_takes_its_verdict_from_voldoet_evaluate(quality):
    measure_month(LoketFactory(slug="zonder-audit", gemeenten=[GemeenteFactory()]), NOVEMBER, 8)
    result = overview.national_overview(TODAY)
    verdicts = voldoet.evaluate([row.id for row in result.loketten], today=TODAY)
    for row in result.loketten:
        assert row.criteria == verdicts[row.id].criteria, row.slug
        assert row.voldoet == verdicts[row.id].voldoet, row.slug
    rows = _rows(result)
    assert rows["utrecht"].voldoet and not rows["eemland"].voldoet
    assert rows["utrecht"].criteria == {code: True for code in (*METRIC_CODES, "K8", "K9")}
    assert rows["arnhem"].criteria["K5"] is False and rows["arnhem"].criteria["K8"] is None
    # Every measurement passes, but without an audit it does not voldoen.
    assert rows["zonder-audit"].voldoet is False
    assert "Er is nog geen afgeronde audit." in rows["zonder-audit"].quality.reasons


def test_rows_show_status_provinces_gemeenten_and_aangehaakt(quality):
    rows = _rows(overview.national_overview(TODAY))
    assert [row.slug for row in overview.national_overview(TODAY).loketten] == [
        "arnhem", "bunnik", "eemland", "utrecht"]  # by name
    assert rows["eemland"].provinces == ("Gelderland", "Utrecht") and rows["eemland"].gemeenten == 3
    assert rows["utrecht"].provinces == ("Utrecht",) and rows["utrecht"].gemeenten == 1
    assert (rows["bunnik"].status, rows["arnhem"].aangehaakt) == ("in_oprichting", False)


@pytest.mark.parametrize("province, status, expected", [
    (None, None, ["arnhem", "bunnik", "eemland", "utrecht"]),
    ("Gelderland", None, ["arnhem", "eemland"]),
    ("Utrecht", None, ["bunnik", "eemland", "utrecht"]),
    (None, "operationeel", ["arnhem", "eemland", "utrecht"]),
    (None, "in_oprichting", ["bunnik"]),
    (None, "voldoet", ["utrecht"]),
    (None, "voldoet_niet", ["arnhem", "bunnik", "eemland"]),
    ("Gelderland", "voldoet_niet", ["arnhem", "eemland"]),
    ("Gelderland", "voldoet", []),
])


def test_filters_by_province_and_status(quality, province, status, expected):
    result = overview.national_overview(TODAY)
    assert [row.slug for row in result.filtered(province=province, status=status)] == expected


def test_unknown_filter_values_mean_no_filter(quality):
    result = overview.national_overview(TODAY)
    assert result.provinces == ["Gelderland", "Utrecht"]
    assert overview.clean_filters(result, "Atlantis", "kapot") == (None, None)
    assert overview.clean_filters(result, "Gelderland", "voldoet") == ("Gelderland", "voldoet")


def test_trend_compares_passing_criteria_in_the_two_latest_measured_months(quality):
    rows = _rows(overview.national_overview(TODAY))
    assert rows["utrecht"].trend == overview.Trend(NOVEMBER, 8, OCTOBER, 6)
    assert rows["utrecht"].trend_direction == "beter"
    assert rows["eemland"].trend_direction == "slechter"
    assert rows["bunnik"].trend_direction == "gelijk"  # September's 8 is older than the two latest months
    assert rows["arnhem"].trend == overview.Trend(NOVEMBER, 4) and rows["arnhem"].trend_direction is None


def test_trend_skips_a_gap_and_compares_measured_months(network):
    measure_month(network.loket_utrecht, date(2026, 6, 1), 7)
    measure_month(network.loket_utrecht, NOVEMBER, 5)
    trend = _rows(overview.national_overview(TODAY))["utrecht"].trend
    assert (trend.previous_period, trend.direction) == (date(2026, 6, 1), "slechter")


def test_the_overview_uses_a_constant_number_of_queries(app, network):
    def grow(count):
        for _ in range(count):
            measured_loket(network, OCTOBER, NOVEMBER)

    grow(1)
    with count_queries(app) as few:
        assert len(overview.national_overview(TODAY).loketten) == 4
    grow(9)
    with count_queries(app) as many:
        assert len(overview.national_overview(TODAY).loketten) == 13
    assert len(many) == len(few) <= 10, "\n".join(many)


# ---------------------------------------------------------------- drill-down

def test_drill_down_has_every_measured_month_per_metric_criterion(quality):
    detail = overview.loket_detail("bunnik", TODAY)
    assert [h.criterion.code for h in detail.histories] == list(METRIC_CODES)
    k1 = detail.histories[0]
    assert [p.period for p in k1.points] == [SEPTEMBER, OCTOBER, NOVEMBER]
    assert [p.passed for p in k1.points] == [True, True, True]
    k3 = detail.histories[2]
    assert [p.passed for p in k3.points] == [True, False, False]
    assert k3.latest.period == NOVEMBER and k3.points[0].version == "2026.1"
    assert [(c.code, passed) for c, passed in detail.assessments] == [("K8", None), ("K9", None)]
    assert detail.row.trend_direction == "gelijk" and detail.row.voldoet is False
    assert detail.gemeenten == [("Bunnik", "Utrecht")]


def test_drill_down_keeps_numbers_from_the_details_and_drops_text(network):
    measure_month(network.loket_utrecht, NOVEMBER, 8, values={"K2": 0.9},
                  details={"K2": {"numerator": 9, "denominator": 10, "count": 10, "note": "vrije tekst"}})
    k2 = overview.loket_detail("utrecht", TODAY).histories[1]
    point = k2.latest
    assert (point.value, point.details) == (0.9, {"numerator": 9, "denominator": 10, "count": 10})
    assert point.basis == "9 van 10" and k2.unit == registry.PERCENT


def test_drill_down_of_an_unknown_loket_is_not_found(network):
    with pytest.raises(NotFound):
        overview.loket_detail("bestaat-niet", TODAY)


# ---------------------------------------------------------------- tables for export

def _parse_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_loketten_table_as_csv_reads_back_as_the_table(quality):
    result = overview.national_overview(TODAY)
    table = exports.loketten_table(result, province="Gelderland")
    parsed = _parse_csv(exports.to_csv(table))
    assert parsed[0] == ["Slug", "Loket", "Status", "Provincies", "Gemeenten", "Aangehaakt", "Voldoet",
                         *METRIC_CODES[:7], "K8", "K9", "K10", "Trend"]
    assert parsed[1] == ["arnhem", "Sportloket Arnhem", "operationeel", "Gelderland", "1", "nee", "nee",
                         "ja", "ja", "ja", "ja", "nee", "nee", "nee", "", "", "nee", ""]
    assert parsed[2][:7] == ["eemland", "Sportloket Eemland", "operationeel", "Gelderland, Utrecht", "3", "ja", "nee"]
    assert parsed[2][-1] == "slechter" and len(parsed) == 3


def test_csv_writes_decimal_commas_months_and_defuses_formulas(network):
    table = exports.Table("t", "T", (exports.Column("Naam"), exports.Column("Waarde", exports.NUMBER),
                                     exports.Column("Maand", exports.MONTH), exports.Column("Ja", exports.YESNO)),
                          (("=HYPERLINK(\"x\")", 0.925, NOVEMBER, True), ("-1", 3.0, None, None)))
    body = exports.to_csv(table)
    assert body.endswith(b"\r\n")
    assert _parse_csv(body)[1:] == [["'=HYPERLINK(\"x\")", "0,925", "2026-11", "ja"], ["'-1", "3", "", ""]]


def test_xlsx_cells_are_typed_and_never_formulas(network):
    from openpyxl import load_workbook

    table = exports.Table("t", "Tabel: met/tekens?", (
        exports.Column("Naam"), exports.Column("Aantal", exports.INTEGER), exports.Column("Waarde", exports.NUMBER),
        exports.Column("Maand", exports.MONTH), exports.Column("Ja", exports.YESNO)),
        (("=1+1", 7, 0.5, NOVEMBER, False),))
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert sheet.title == "Tabel- met-tekens-"
    assert [c.value for c in sheet[1]] == ["Naam", "Aantal", "Waarde", "Maand", "Ja"]
    name, count, value, month, yes = sheet[2]
    assert (name.value, name.data_type) == ("=1+1", "s")
    assert (count.value, count.data_type) == (7, "n") and (value.value, value.data_type) == (0.5, "n")
    assert month.value == datetime(2026, 11, 1) and month.number_format == "yyyy-mm"
    assert yes.value == "nee"


def test_history_and_demand_tables_hold_the_numbers_of_the_page(quality):
    measure_month(quality.loket_utrecht, date(2026, 12, 1), 8, values={"K2": 0.95},
                  details={"K2": {"numerator": 19, "denominator": 20, "count": 20}})
    detail = overview.loket_detail("utrecht", date(2026, 12, 2))
    table = exports.history_table(detail, "K2")
    assert table.name == "metingen-utrecht-k2"
    assert [row[2] for row in table.rows] == [OCTOBER, NOVEMBER, date(2026, 12, 1)]
    assert table.rows[-1][3:10] == (0.95, "aandeel (0–1)", True, ">= 90 %", 19, 20, 20)
    assert len(exports.history_table(detail).rows) == 3 * len(METRIC_CODES)
    stored_request(quality.club_utrecht, "overig", datetime(2026, 11, 2))
    demand = demand_service.demand_by_category(TODAY)
    table = exports.demand_table(demand, by="categorie")
    assert table.headers[1] == "2025-12" and table.headers[-1] == "Totaal"
    assert table.rows[-1] == ("Totaal", *([0] * 11), 1, 1)


def test_filename_is_ascii_and_dated(network):
    table = exports.loketten_table(overview.national_overview(TODAY), province="Noord-Brabant", status="voldoet")
    assert exports.filename(table, "xlsx", TODAY) == "loket-loketten-noord-brabant-voldoet-2026-11-24.xlsx"


def test_measurements_of_an_older_criteria_set_are_left_out_of_the_trend(network):
    old = CriteriaSetFactory(version="2025.9", valid_from=date(2025, 9, 1))
    old_k1 = CriterionFactory(criteria_set=old, code="K1", title="Oud", kind="metric",
                              metric="contact_reviewed_days", threshold=100, comparison="<=")
    MeasurementFactory(loket=network.loket_utrecht, criterion=old_k1, period=NOVEMBER, value=1, passed=True)
    _db.session.commit()
    measure_month(network.loket_utrecht, OCTOBER, 2)
    trend = _rows(overview.national_overview(TODAY))["utrecht"].trend
    assert trend == overview.Trend(OCTOBER, 2)  # November only has a measurement of the old set
