"""The national overview, its exports and the demand statistics grouped by a region set instead of the province:
each loket's regions, a region filter, stage counts and demand per region (summing to the province numbers),
"Niet ingedeeld" for gemeenten outside the set, in a constant number of queries.

The quality network: VSG "Regio Utrecht" = Utrecht, Bunnik, Zeist; "Regio Eemland" = Amersfoort, Leusden;
Barneveld and Arnhem (Gelderland) are in no VSG region."""
import csv
import io
from datetime import date, datetime

import pytest

from loket.services.network import regions
from loket.services.network.regions import NOT_GROUPED
from loket.services.quality import exports, overview
from loket.services.reporting import demand as demand_service
from tests.factories import ClubFactory, make_region_set
from tests.support.db import count_queries
from tests.support.quality import stored_request

TODAY = date(2026, 11, 24)


def _rows(result):
    return {row.slug: row for row in result.loketten}


def test_loketten_carry_their_regions_in_the_set(quality):
    result = overview.national_overview(TODAY, region_set=quality.vsg)
    rows = _rows(result)
    assert rows["utrecht"].regions == ("Regio Utrecht",) and rows["bunnik"].regions == ("Regio Utrecht",)
    assert rows["eemland"].regions == ("Regio Eemland", NOT_GROUPED)  # Barneveld is in no VSG region
    assert rows["arnhem"].regions == (NOT_GROUPED,)
    assert rows["eemland"].provinces == ("Gelderland", "Utrecht") and rows["eemland"].gemeenten == 3
    assert result.regions == ["Regio Eemland", "Regio Utrecht", NOT_GROUPED]
    assert result.grouping.region_set.id == quality.vsg.id
    assert overview.national_overview(TODAY).loketten[0].regions == ()  # by province: no regions


@pytest.mark.parametrize("region, expected", [
    ("Regio Utrecht", ["bunnik", "utrecht"]), ("Regio Eemland", ["eemland"]),
    (NOT_GROUPED, ["arnhem", "eemland"]), (None, ["arnhem", "bunnik", "eemland", "utrecht"]),
])
def test_filter_by_region(quality, region, expected):
    result = overview.national_overview(TODAY, region_set=quality.vsg)
    assert [row.slug for row in result.filtered(region=region)] == expected


def test_unknown_regions_mean_no_filter(quality):
    grouped = overview.national_overview(TODAY, region_set=quality.vsg)
    assert overview.clean_region(grouped, "Atlantis") is None
    assert overview.clean_region(grouped, "Regio Utrecht") == "Regio Utrecht"
    assert overview.clean_region(overview.national_overview(TODAY), "Regio Utrecht") is None  # no set chosen


def test_the_overview_runs_a_constant_number_of_queries_per_grouping(app, quality):
    with count_queries(app) as by_province:
        overview.national_overview(TODAY)
    vsg = regions.region_set("vsg")  # loaded, as the page has it
    with count_queries(app) as by_region:
        overview.national_overview(TODAY, region_set=vsg)
    make_region_set("Groot", {f"R{i}": [quality.arnhem] if i == 0 else [] for i in range(5)}, slug="groot")
    groot = regions.region_set("groot")
    with count_queries(app) as bigger:
        overview.national_overview(TODAY, region_set=groot)
    assert len(by_region) == len(by_province) + 1 == len(bigger)


# ---------------------------------------------------------------- realisation

def test_stage_counts_per_region_sum_to_the_province_counts(quality):
    by_province = overview.realisation(TODAY)
    by_region = overview.realisation(TODAY, region_set=quality.vsg)
    counts = {row.name: row.counts for row in by_region.groups}
    assert list(counts) == ["Regio Eemland", "Regio Utrecht", NOT_GROUPED]
    assert counts["Regio Utrecht"] == {"geen": 1, "verkennen": 0, "in_oprichting": 1, "operationeel": 1}
    assert counts["Regio Eemland"] == {"geen": 0, "verkennen": 0, "in_oprichting": 0, "operationeel": 2}
    assert counts[NOT_GROUPED] == {"geen": 0, "verkennen": 0, "in_oprichting": 0, "operationeel": 2}
    assert by_region.total.counts == by_province.total.counts
    for stage in by_province.total.counts:
        assert sum(row.counts[stage] for row in by_region.groups) == sum(
            row.counts[stage] for row in by_province.groups)


def test_a_set_covering_every_gemeente_has_no_niet_ingedeeld(quality):
    everything = make_region_set("Alles", {"Midden": [quality.utrecht, quality.bunnik, quality.zeist,
                                                      quality.amersfoort, quality.leusden],
                                           "Oost": [quality.barneveld, quality.arnhem]}, slug="alles")
    names = [row.name for row in overview.realisation(TODAY, region_set=everything).groups]
    assert names == ["Midden", "Oost"]


def test_an_empty_region_still_appears_with_zeros(quality):
    sparse = make_region_set("Dun", {"Leeg": [], "Utrecht": [quality.utrecht]}, slug="dun")
    counts = {row.name: row.total for row in overview.realisation(TODAY, region_set=sparse).groups}
    assert counts == {"Leeg": 0, "Utrecht": 1, NOT_GROUPED: 6}


# ---------------------------------------------------------------- demand

def test_demand_per_region_sums_to_the_demand_per_province(quality):
    stored_request(quality.club_utrecht, "overig", datetime(2026, 11, 2))
    stored_request(quality.club_zeist, "overig", datetime(2026, 11, 3))
    stored_request(quality.club_amersfoort, "overig", datetime(2026, 10, 3))
    stored_request(ClubFactory(gemeente=quality.arnhem), "overig", datetime(2026, 11, 5))
    stored_request(ClubFactory(gemeente=quality.barneveld), "overig", datetime(2026, 9, 5))
    by_region = demand_service.demand_by_region(quality.vsg, TODAY)
    series = {s.key: s for s in by_region.series}
    assert list(series) == ["Regio Eemland", "Regio Utrecht", NOT_GROUPED]
    assert series["Regio Utrecht"].counts[-1] == 2 and series["Regio Utrecht"].total == 2
    assert series["Regio Eemland"].counts[-2:] == (1, 0)
    assert series[NOT_GROUPED].counts[-3:] == (1, 0, 1)
    by_province = demand_service.demand_by_province(TODAY)
    assert by_region.totals == by_province.totals and by_region.total == by_province.total == 5


def test_demand_per_region_runs_two_queries(app, quality):
    vsg = regions.region_set("vsg")
    with count_queries(app) as few:
        demand_service.demand_by_region(vsg, TODAY)
    for month in range(1, 12):
        stored_request(ClubFactory(gemeente=quality.arnhem), "overig", datetime(2026, month, 2))
        stored_request(quality.club_utrecht, "overig", datetime(2026, month, 3))
    vsg = regions.region_set("vsg")
    with count_queries(app) as many:
        demand_service.demand_by_region(vsg, TODAY)
    assert len(few) == len(many) == 2


# ---------------------------------------------------------------- exports

def _csv(table):
    return list(csv.reader(io.StringIO(exports.to_csv(table).decode("utf-8-sig")), delimiter=";"))


def test_the_loketten_export_has_the_regions_column_and_filter(quality):
    grouped = overview.national_overview(TODAY, region_set=quality.vsg)
    table = exports.loketten_table(grouped, region=NOT_GROUPED)
    rows = _csv(table)
    assert rows[0][:5] == ["Slug", "Loket", "Status", "Provincies", "Regio’s in VSG-regio's"]
    assert [(row[0], row[4]) for row in rows[1:]] == [("arnhem", NOT_GROUPED),
                                                      ("eemland", f"Regio Eemland, {NOT_GROUPED}")]
    assert table.name == "loketten-vsg-niet-ingedeeld"
    plain = _csv(exports.loketten_table(overview.national_overview(TODAY)))
    assert "Provincies" in plain[0] and not any(header.startswith("Regio") for header in plain[0])


def test_the_demand_export_per_region(quality):
    stored_request(quality.club_utrecht, "overig", datetime(2026, 11, 2))
    table = exports.demand_table(demand_service.demand_by_region(quality.vsg, TODAY), by="regio", indeling="vsg")
    rows = _csv(table)
    assert rows[0][0] == "Regio" and [row[0] for row in rows[1:]] == [
        "Regio Eemland", "Regio Utrecht", NOT_GROUPED, "Totaal"]
    assert rows[2][-1] == "1" and rows[-1][-1] == "1"
    assert table.name == "vraag-per-regio-vsg"
    assert exports.to_xlsx(table)[:2] == b"PK"
