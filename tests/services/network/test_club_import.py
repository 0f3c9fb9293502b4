"""Importing clubs from CSV into a loket's register: the preview refuses what it cannot read with one Dutch
message and stores nothing, keeps a message per bad row, and storing is idempotent (KvK, else name+gemeente)."""
import io

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Club, ClubImport
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import club_import
from tests.factories import ClubFactory, SportFactory
from tests.support.db import count_rows

HEADER = "naam;soort;gemeentecode;sporten;kvk\n"


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8", bom: bool = False) -> io.BytesIO:
    data = (header + "".join(line + "\n" for line in lines)).encode(encoding)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


def preview(network, stream, who="ondersteuner", loket="loket_utrecht", filename="clubs.csv"):
    return club_import.preview(getattr(network, loket), actor=getattr(network, who), filename=filename,
                               stream=stream)


def refused(network, stream, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        preview(network, stream, **kwargs)
    assert count_rows(ClubImport) == 0
    return caught.value.errors["file"]


def import_all(network, stream, **kwargs) -> ClubImport:
    """Preview and confirm (jobs run inline in tests, so the import is stored on return)."""
    done = club_import.confirm(preview(network, stream, **kwargs), actor=network.ondersteuner)
    assert done.state == "done", done.errors
    return done


def clubs_named(name):
    return list(_db.session.scalars(select(Club).where(Club.name == name)))


# ---------------------------------------------------------------- the file as a whole

def test_a_valid_file_gives_a_preview_and_stores_no_club(network):
    before = count_rows(Club)
    result = preview(network, csv_file("VV Domstad;vereniging;GM0344;voetbal;12345678",
                                       "Tennis Oost;Stichting;gm0344;tennis | voetbal;",
                                       "Sportschool Fit;onderneming;0344;voetbal,tennis; 8765 4321"))
    assert result.state == "preview" and result.total_rows == 3 and result.errors == []
    assert [(r["name"], r["kind"], r["sports"], r["kvk"], r["action"]) for r in result.rows] == [
        ("VV Domstad", "vereniging", ["voetbal"], "12345678", "create"),
        ("Tennis Oost", "stichting", ["tennis", "voetbal"], None, "create"),
        ("Sportschool Fit", "onderneming", ["tennis", "voetbal"], "87654321", "create"),
    ]
    assert count_rows(Club) == before


def test_comma_delimiter_bom_and_headers_in_any_case_and_order_are_read(network):
    stream = csv_file('"VV Domstad",GM0344,"voetbal,tennis",vereniging,12345678',
                      header="Naam,GemeenteCode,Sporten,SOORT,KvK-nummer\n", bom=True)
    result = preview(network, stream)
    assert result.errors == [] and result.rows[0]["sports"] == ["tennis", "voetbal"]
    assert result.rows[0]["kind"] == "vereniging" and result.rows[0]["kvk"] == "12345678"


@pytest.mark.parametrize("header, expected", [
    ("naam;soort;gemeente code;sport\n", "ontbrekende kolom: kvk"),
    ("naam;soort;plaats;sporten;kvk\n", "ontbrekende kolom: gemeentecode; onbekende kolom: ‘plaats’"),
    ("naam;soort;gemeentecode;sporten;kvk;naam\n", "dubbele kolom: naam"),
    ("name;kind;code;sports;kvk\n", "ontbrekende kolommen: naam, soort, gemeentecode, sporten"),
])
def test_wrong_columns_are_refused_with_one_message_naming_them(network, header, expected):
    message = refused(network, csv_file("VV Domstad;vereniging;GM0344;voetbal;", header=header))
    assert expected in message
    assert "Gebruik precies de kolommen naam;soort;gemeentecode;sporten;kvk." in message


def test_an_empty_file_and_a_file_with_only_a_header_are_refused(network):
    assert refused(network, io.BytesIO(b"")) == club_import.EMPTY_MESSAGE
    assert refused(network, io.BytesIO(b"\n\n")) == club_import.EMPTY_MESSAGE
    assert refused(network, csv_file()) == club_import.NO_ROWS_MESSAGE


def test_latin1_bytes_are_refused_with_a_message_about_the_encoding(network):
    message = refused(network, csv_file("Vélo Club Utrecht;vereniging;GM0344;voetbal;", encoding="latin-1"))
    assert message == club_import.ENCODING_MESSAGE and "UTF-8" in message


def test_utf16_is_refused_as_well(network):
    assert refused(network, csv_file("Club;vereniging;GM0344;voetbal;", encoding="utf-16")) == \
        club_import.ENCODING_MESSAGE


def test_broken_quoting_is_refused_with_the_line(app, network, monkeypatch):
    monkeypatch.setitem(app.config, "CLUB_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    stream = io.BytesIO(HEADER.encode() + b'"VV Domstad;vereniging;GM0344;voetbal;\n' + b"x" * 200_000)
    assert "geen geldige CSV" in refused(network, stream)


def test_a_hundred_thousand_rows_are_refused_quickly_by_size(network):
    stream = csv_file(*(f"Club {i};vereniging;GM0344;voetbal;" for i in range(100_000)))
    assert refused(network, stream).startswith("Het bestand is groter dan 1,0 MB.")


def test_beyond_the_row_limit_the_file_is_refused_without_reading_further(app, network, monkeypatch):
    """With a generous byte limit the row limit still holds, and reading stops at the first row too many."""
    monkeypatch.setitem(app.config, "CLUB_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
    monkeypatch.setitem(app.config, "CLUB_IMPORT_MAX_ROWS", 5_000)
    lines_read = []

    class CountingStream(io.BytesIO):
        def __next__(self):
            lines_read.append(1)
            return super().__next__()

    stream = CountingStream(csv_file(*(f"Club {i};vereniging;GM0344;voetbal;" for i in range(100_000))).read())
    message = refused(network, stream)
    assert message == ("Het bestand heeft meer dan 5.000 rijen. Een werkgebied heeft minder clubs; controleer "
                       "het bestand of importeer het in delen.")
    assert len(lines_read) <= 5_002  # the header, 5,000 rows and the one too many


def test_only_a_member_of_the_loket_can_import_into_it(network):
    with pytest.raises(Forbidden):
        preview(network, csv_file("VV Domstad;vereniging;GM0344;voetbal;"), who="ondersteuner_eemland")
    assert count_rows(ClubImport) == 0


# ---------------------------------------------------------------- rows

def test_each_bad_row_gets_its_own_dutch_message_and_good_rows_stay(network):
    result = preview(network, csv_file(
        "Goede Club;vereniging;GM0344;voetbal;",  # line 2
        "Kapotte Soort;vereniginkje;GM0344;voetbal;",  # 3
        "Buiten;vereniging;GM0307;voetbal;",  # 4: Amersfoort is Eemland's
        "Nergens;vereniging;GM9999;voetbal;",  # 5
        "Onbekend;vereniging;GM0344;curling|voetbal;",  # 6
        "Slecht KvK;vereniging;GM0344;voetbal;1234",  # 7
        ";vereniging;GM0344;voetbal;",  # 8
        "Te kort;vereniging;GM0344",  # 9
        "Nul\x00teken;vereniging;GM0344;voetbal;",  # 10
        "Geen sport;stichting;GM0344;;",  # 11
    ))
    assert [r["name"] for r in result.rows] == ["Goede Club"] and result.total_rows == 1
    messages = {e["line"]: e["message"] for e in result.errors}
    assert messages[3] == "Onbekende soort ‘vereniginkje’: kies vereniging, onderneming of stichting."
    assert messages[4] == "Gemeente Amersfoort (GM0307) hoort niet bij het werkgebied van Sportloket Utrecht."
    assert messages[5] == "Onbekende gemeentecode ‘GM9999’; gebruik de CBS-code, bijvoorbeeld GM0344."
    assert messages[6] == "Onbekende sport: curling. Gebruik de namen uit de sportenlijst."
    assert messages[7].startswith("Een KvK-nummer bestaat uit precies 8 cijfers.")
    assert messages[8] == "Vul de naam van de club in."
    assert "kolommen" in messages[9]
    assert "stuurtekens" in messages[10]
    assert messages[11] == "Vul minstens één sport in."
    assert sorted(messages) == list(range(3, 12))


def test_duplicates_within_the_file_are_errors_pointing_at_the_first(network):
    result = preview(network, csv_file(
        "VV Domstad;vereniging;GM0344;voetbal;12345678",
        "V.V. Domstad;vereniging;GM0344;tennis;",  # same name once normalised
        "Heel Andere Naam;stichting;GM0344;voetbal;12345678",  # same KvK
        "Tennis Oost;vereniging;GM0344;tennis;",
    ))
    assert [r["name"] for r in result.rows] == ["VV Domstad", "Tennis Oost"]
    assert [(e["line"], e["message"]) for e in result.errors] == [
        (3, "Deze club staat al eerder in het bestand (regel 2)."),
        (4, "Deze club staat al eerder in het bestand (regel 2)."),
    ]


def test_a_kvk_number_of_a_club_outside_the_werkgebied_is_an_error_for_that_row(network):
    network.club_amersfoort.kvk_number = "11112222"
    _db.session.commit()
    result = preview(network, csv_file("HC Amersfoort;vereniging;GM0344;voetbal;11112222"))
    assert result.rows == []
    assert "buiten jullie werkgebied" in result.errors[0]["message"]


def test_a_club_waiting_for_its_registration_is_not_imported_over(network):
    ClubFactory(name="Wachtende Club", gemeente=network.utrecht, status="aangemeld")
    _db.session.commit()
    result = preview(network, csv_file("Wachtende Club;vereniging;GM0344;voetbal;"))
    assert result.rows == [] and "wacht op een besluit" in result.errors[0]["message"]


def test_a_same_name_with_another_kvk_number_is_an_error(network):
    network.club_utrecht.kvk_number = "11112222"
    _db.session.commit()
    result = preview(network, csv_file("VV Utrechtse Boys;vereniging;GM0344;voetbal;33334444"))
    assert result.rows == [] and "ander KvK-nummer (11112222)" in result.errors[0]["message"]


# ---------------------------------------------------------------- storing, idempotent

def test_confirming_stores_the_rows_as_active_clubs(network):
    done = import_all(network, csv_file("VV Domstad;vereniging;GM0344;voetbal|tennis;12345678",
                                        "Tennis Oost;stichting;GM0344;tennis;"))
    assert (done.created_count, done.updated_count, done.processed_rows) == (2, 0, 2)
    club = clubs_named("VV Domstad")[0]
    assert club.status == "actief" and club.gemeente == network.utrecht and club.kvk_number == "12345678"
    assert [s.name for s in club.sports] == ["tennis", "voetbal"]
    assert all(club.basiseis_status(key) == "onbekend" for key in ("vog", "vcp", "gedragsregels", "kwalificatie"))


def test_an_existing_club_is_matched_by_kvk_number_and_updated_not_duplicated(network):
    network.club_utrecht.kvk_number = "11112222"
    network.club_utrecht.sports = [network.voetbal]
    _db.session.commit()
    padel = SportFactory(name="padel")
    _db.session.commit()
    done = import_all(network, csv_file("Utrechtse Boys (officieel);stichting;GM0344;padel;11112222"))
    assert (done.created_count, done.updated_count) == (0, 1)
    assert clubs_named("Utrechtse Boys (officieel)") == []
    club = _db.session.get(Club, network.club_utrecht.id)
    assert {s.name for s in club.sports} == {"voetbal", padel.name}
    assert (club.name, club.kind) == ("VV Utrechtse Boys", "vereniging")  # the file never overwrites these


def test_an_existing_club_is_matched_by_normalised_name_and_gemeente(network):
    network.club_utrecht.sports = [network.voetbal]
    _db.session.commit()
    done = import_all(network, csv_file("v.v. utrechtse boys;vereniging;GM0344;tennis;99998888"))
    assert (done.created_count, done.updated_count) == (0, 1)
    club = _db.session.get(Club, network.club_utrecht.id)
    assert club.kvk_number == "99998888" and {s.name for s in club.sports} == {"voetbal", "tennis"}
    assert len(clubs_named("v.v. utrechtse boys")) == 0


def test_the_same_name_in_another_gemeente_is_another_club(network):
    eemland = preview(network, csv_file("HC Amersfoort;vereniging;GM0327;voetbal;"), who="ondersteuner_eemland",
                      loket="loket_eemland")
    assert eemland.rows[0]["action"] == "create"  # Leusden, not Amersfoort


def test_importing_the_same_file_twice_creates_and_changes_nothing_the_second_time(network):
    lines = ("VV Domstad;vereniging;GM0344;voetbal;12345678", "Tennis Oost;stichting;GM0344;tennis;",
             "VV Utrechtse Boys;vereniging;GM0344;voetbal;")
    first = import_all(network, csv_file(*lines))
    assert (first.created_count, first.updated_count) == (2, 0)
    clubs_after_first = count_rows(Club)
    again = preview(network, csv_file(*lines))
    assert [r["action"] for r in again.rows] == ["unchanged", "unchanged", "unchanged"]
    second = club_import.confirm(again, actor=network.ondersteuner)
    assert (second.state, second.created_count, second.updated_count, second.errors) == ("done", 0, 0, [])
    assert count_rows(Club) == clubs_after_first


def test_a_confirmed_import_cannot_be_confirmed_again_and_only_its_loket_sees_it(network):
    done = import_all(network, csv_file("VV Domstad;vereniging;GM0344;voetbal;"))
    with pytest.raises(Conflict):
        club_import.confirm(done, actor=network.ondersteuner)
    with pytest.raises(NotFound):
        club_import.get_import(network.ondersteuner_eemland, done.id)
    with pytest.raises(NotFound):
        club_import.get_import(network.ondersteuner, 2**40)
    assert club_import.get_import(network.collega, done.id).id == done.id


def test_a_preview_without_good_rows_cannot_be_confirmed(network):
    result = preview(network, csv_file("Nergens;vereniging;GM9999;voetbal;"))
    with pytest.raises(InvalidInput):
        club_import.confirm(result, actor=network.ondersteuner)
    assert _db.session.get(ClubImport, result.id).state == "preview"


def test_a_gemeente_that_left_the_werkgebied_after_the_preview_becomes_a_row_error(network):
    result = preview(network, csv_file("VV Domstad;vereniging;GM0344;voetbal;", "Oost;vereniging;GM0344;tennis;"))
    network.utrecht.loket = network.loket_eemland
    _db.session.commit()
    done = club_import.confirm(result, actor=network.ondersteuner)
    assert (done.state, done.created_count) == ("done", 0)
    assert [e["line"] for e in done.errors] == [2, 3]
    assert "hoort inmiddels niet meer bij het werkgebied" in done.errors[0]["message"]
