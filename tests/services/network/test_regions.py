"""Region sets from CSV: the preview shows every row with its gemeente or a Dutch message; storing is all or
nothing; a gemeente is in at most one region per set; replacing keeps regions by name; deleting is refused while
an adviseur has a region of the set; grouping puts gemeenten outside the set in "Niet ingedeeld"."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Membership, Region, RegionGemeente, RegionSet
from loket.services.csv_text import ENCODING_MESSAGE
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import regions
from tests.factories import make_user
from tests.support.db import count_rows

HEADER = "regio;gemeentecode\n"


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = False, encoding: str = "utf-8") -> bytes:
    data = (header + "".join(line + "\n" for line in lines)).encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def stored_rows() -> tuple[int, int, int]:
    return count_rows(RegionSet), count_rows(Region), count_rows(RegionGemeente)


def refused(network, name, data, *, replace=False) -> dict:
    before = stored_rows()
    with pytest.raises(InvalidInput) as caught:
        regions.import_region_set(name, data, actor=network.beheerder, replace=replace)
    assert stored_rows() == before
    return caught.value.errors


def members(region_set_slug) -> dict[str, list[str]]:
    found = regions.region_set_detail(region_set_slug)
    return {r.name: [name for _, name in r.gemeenten] for r in found.regions}


# ---------------------------------------------------------------- preview

def test_preview_shows_each_row_with_its_gemeente_and_stores_nothing(network):
    before = stored_rows()
    preview = regions.preview_import("GGD-regio's", csv_bytes("GGD Utrecht;GM0344", "GGD Utrecht;0355",
                                                              "GGD Eemland;gm0307"))
    assert stored_rows() == before
    assert [(r.line, r.region, r.gemeente, r.error) for r in preview.rows] == [
        (2, "GGD Utrecht", "Utrecht", None), (3, "GGD Utrecht", "Zeist", None), (4, "GGD Eemland", "Amersfoort", None)]
    assert preview.ok and preview.regions == [("GGD Eemland", 1), ("GGD Utrecht", 2)]
    assert preview.slug == "ggd-regio-s" and preview.covered == 3 and preview.not_grouped == 2
    assert preview.replacing is None and preview.digest == regions.digest(preview_bytes := csv_bytes(
        "GGD Utrecht;GM0344", "GGD Utrecht;0355", "GGD Eemland;gm0307")) and len(preview_bytes) > 0


def test_bom_semicolon_comma_and_header_aliases_are_read(network):
    for data in (csv_bytes("Midden;GM0344", bom=True),
                 csv_bytes('"Midden, oost",GM0344', header="Gemeente_Code,Region\n".replace(
                     "Gemeente_Code,Region", "region,gemeente_code")),
                 csv_bytes("GM0344;Midden", header="Code;Regio\n")):
        preview = regions.preview_import("Test", data)
        assert preview.ok and preview.rows[0].gemeente == "Utrecht", preview.rows


def test_row_errors_unknown_code_empty_region_twice_and_control_characters(network):
    preview = regions.preview_import("Test", csv_bytes(
        "Noord;GM9999", ";GM0344", "Noord;GM0307", "Zuid;GM0307", "Noord;GM0307", "Noord\x00;GM0327",
        "Noord;", "Noord;GM0312;extra", "niet  ingedeeld;GM0355", "Noord;³⁴⁴"))
    errors = {r.line: r.error for r in preview.errors}
    assert "Onbekende gemeentecode ‘GM9999’" in errors[2]
    assert errors[3] == "Vul de naam van de regio in."
    assert 4 not in errors
    assert "Gemeente Amersfoort (GM0307) staat al op regel 4 (regio Noord)" in errors[5]  # another region
    assert "staat al op regel 4" in errors[6]  # the same region again
    assert "stuurtekens" in errors[7]
    assert errors[8] == "Vul de gemeentecode in, bijvoorbeeld GM0344."
    assert "3 kolommen" in errors[9]
    assert "‘Niet ingedeeld’ is de naam voor de gemeenten zonder regio" in errors[10]
    assert "Onbekende gemeentecode ‘³⁴⁴’" in errors[11]  # superscript digits: a row error, not a crash
    assert not preview.ok and preview.covered == 1


@pytest.mark.parametrize("data, expected", [
    (b"", regions.EMPTY_MESSAGE),
    (b"\n\n", regions.EMPTY_MESSAGE),
    (csv_bytes(), regions.NO_ROWS_MESSAGE),
    (csv_bytes("Noord;GM0344", header="regio;plaats\n"), "ontbrekende kolom: gemeentecode; onbekende kolom: ‘plaats’"),
    (csv_bytes("Noord;GM0307", header="Midden;GM0344\n"), "De kopregel klopt niet"),  # no header at all
    (csv_bytes("Noord;GM0344;x", header="regio;gemeentecode;regio\n"), "dubbele kolom: regio"),
    ("regio;gemeentecode\nNoordé;GM0344\n".encode("latin-1"), ENCODING_MESSAGE),
    (csv_bytes("Noord"), "Regel 2: Deze regel heeft 1 kolom; de kopregel heeft er 2."),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(network, data, expected):
    errors = refused(network, "Test", data)
    assert expected in errors["file"]


def test_too_many_rows_and_too_many_bytes_are_refused(network, app):
    app.config["REGION_IMPORT_MAX_ROWS"] = 2
    try:
        assert "meer dan 2 rijen" in refused(network, "Test", csv_bytes("A;GM0344", "A;GM0307", "A;GM0327"))["file"]
    finally:
        app.config["REGION_IMPORT_MAX_ROWS"] = 2000
    app.config["REGION_IMPORT_MAX_BYTES"] = 30
    try:
        assert "groter dan" in refused(network, "Test", csv_bytes("A;GM0344", "A;GM0307", "A;GM0327"))["file"]
    finally:
        app.config["REGION_IMPORT_MAX_BYTES"] = 256 * 1024


@pytest.mark.parametrize("name, expected", [
    ("", regions.NAME_MISSING), ("   ", regions.NAME_MISSING), ("x" * 121, "maximaal 120 tekens"),
    ("Regio\x00s", "stuurtekens"), ("!!!", "letters of cijfers"),
    ("vsg-regio's", "Er is al een indeling ‘VSG-regio's’"),  # the same name in other case
])
def test_bad_or_taken_names_are_refused(network, name, expected):
    errors = refused(network, name, csv_bytes("Noord;GM0344"))
    assert expected in errors["name"]


def test_name_and_file_errors_come_together(network):
    errors = refused(network, "", b"")
    assert set(errors) == {"name", "file"}


# ---------------------------------------------------------------- storing

def test_import_stores_the_set_with_its_regions_in_one_go(network):
    created = regions.import_region_set("  GGD   regio's ", csv_bytes("GGD Utrecht;GM0344", "ggd utrecht;GM0355",
                                                                      "GGD Eemland;GM0307"),
                                        actor=network.beheerder)
    assert (created.name, created.slug, created.imported_by_id) == ("GGD regio's", "ggd-regio-s",
                                                                     network.beheerder.id)
    assert members("ggd-regio-s") == {"GGD Eemland": ["Amersfoort"], "GGD Utrecht": ["Utrecht", "Zeist"]}


def test_any_bad_row_stores_nothing_and_says_which_lines(network):
    errors = refused(network, "GGD", csv_bytes("A;GM0344", "B;GM0344", "C;GM9999"))
    assert errors["file"].startswith("2 rijen hebben een fout, dus er is niets opgeslagen.")
    assert "Regel 3: Gemeente Utrecht (GM0344) staat al op regel 2" in errors["file"]
    assert "Regel 4: Onbekende gemeentecode" in errors["file"]


def test_only_beheer_imports_or_deletes(network):
    with pytest.raises(Forbidden):
        regions.import_region_set("GGD", csv_bytes("A;GM0344"), actor=network.coordinator)
    with pytest.raises(Forbidden):
        regions.delete_region_set("vsg", actor=network.coordinator)
    assert count_rows(RegionSet) == 1


def test_replacing_keeps_the_slug_and_the_regions_whose_name_stays(network):
    regio_utrecht_id = network.regio_utrecht.id
    replaced = regions.import_region_set("VSG-regio's", csv_bytes(
        "Regio Utrecht;GM0344", "Regio Utrecht;GM0312", "Regio Heuvelrug;GM0355", "Regio Eemland;GM0307"),
        actor=network.beheerder, replace=True)
    assert replaced.slug == "vsg" and count_rows(RegionSet) == 1
    assert members("vsg") == {"Regio Eemland": ["Amersfoort"], "Regio Heuvelrug": ["Zeist"],
                              "Regio Utrecht": ["Bunnik", "Utrecht"]}
    # the adviseur's region is the same row: their role stays
    assert _db.session.scalar(select(Membership.region_id).where(Membership.user_id == network.adviseur.id)) \
        == regio_utrecht_id


def test_replacing_is_refused_when_a_region_with_an_adviseur_disappears(network):
    preview = regions.preview_import("VSG-regio's", csv_bytes("Regio Eemland;GM0307"), replace=True)
    assert preview.removed_regions == ["Regio Utrecht"] and "1 adviseur heeft daar nog een rol" in preview.blocked
    errors = refused(network, "VSG-regio's", csv_bytes("Regio Eemland;GM0307"), replace=True)
    assert "‘Regio Utrecht’" in errors["file"]
    assert members("vsg")["Regio Utrecht"] == ["Bunnik", "Utrecht", "Zeist"]


def test_replacing_drops_a_region_without_adviseurs(network):
    regions.import_region_set("VSG-regio's", csv_bytes("Regio Utrecht;GM0344"), actor=network.beheerder,
                              replace=True)
    assert members("vsg") == {"Regio Utrecht": ["Utrecht"]}
    assert regions.region_set_detail("vsg").summary.not_grouped == 4


# ---------------------------------------------------------------- listing, detail, deleting

def test_region_sets_lists_counts(network):
    regions.import_region_set("GGD", csv_bytes("A;GM0344"), actor=network.beheerder)
    listed = {s.slug: s for s in regions.region_sets()}
    assert (listed["vsg"].regions, listed["vsg"].gemeenten, listed["vsg"].adviseurs) == (2, 5, 1)
    assert (listed["ggd"].regions, listed["ggd"].gemeenten, listed["ggd"].not_grouped) == (1, 1, 4)
    assert listed["ggd"].imported_by == network.beheerder.name


def test_detail_lists_regions_and_the_gemeenten_left_out(network):
    regions.import_region_set("GGD", csv_bytes("A;GM0344"), actor=network.beheerder)
    detail = regions.region_set_detail("ggd")
    assert [(r.name, r.gemeenten, r.adviseurs) for r in detail.regions] == [("A", [("GM0344", "Utrecht")], 0)]
    assert [name for _, name in detail.not_grouped] == ["Amersfoort", "Bunnik", "Leusden", "Zeist"]


@pytest.mark.parametrize("slug", ["bestaat-niet", "", "x" * 200, "vsg\x00", None, 12])
def test_unknown_slugs_are_not_found(network, slug):
    with pytest.raises(NotFound):
        regions.region_set(slug)
    if slug:  # no indeling at all is by province
        with pytest.raises(NotFound):
            regions.grouping(slug)


def test_deleting_is_refused_while_an_adviseur_has_a_region(network):
    with pytest.raises(Conflict) as caught:
        regions.delete_region_set("vsg", actor=network.beheerder)
    assert "1 adviseur heeft nog een regio van ‘VSG-regio's’" in caught.value.message
    assert stored_rows() == (1, 2, 5)


def test_deleting_a_set_removes_its_regions_and_memberships_rows(network):
    regions.import_region_set("GGD", csv_bytes("A;GM0344", "B;GM0307"), actor=network.beheerder)
    assert regions.delete_region_set("ggd", actor=network.beheerder) == "GGD"
    assert stored_rows() == (1, 2, 5)
    with pytest.raises(NotFound):
        regions.region_set("ggd")


def test_a_deleted_name_can_be_imported_again(network):
    regions.import_region_set("GGD", csv_bytes("A;GM0344"), actor=network.beheerder)
    regions.delete_region_set("ggd", actor=network.beheerder)
    assert regions.import_region_set("GGD", csv_bytes("B;GM0344"), actor=network.beheerder).slug == "ggd"


# ---------------------------------------------------------------- grouping

def test_grouping_names_regions_then_niet_ingedeeld(network):
    assert regions.grouping("vsg").names() == ["Regio Eemland", "Regio Utrecht"]  # covers every gemeente
    regions.import_region_set("GGD", csv_bytes("A;GM0344"), actor=network.beheerder)
    assert regions.grouping("ggd").names() == ["A", regions.NOT_GROUPED]
    assert regions.grouping("").names() == regions.grouping("provincie").names() == sorted(
        {network.utrecht.province, network.amersfoort.province, network.leusden.province})


def test_a_second_adviseur_counts(network):
    make_user("adviseur", network.regio_utrecht, name="Tweede Adviseur")
    _db.session.commit()
    assert {s.slug: s.adviseurs for s in regions.region_sets()}["vsg"] == 2
