"""The werkgebied pages over HTTP: a loket's club register (list, add, basiseisen, CSV import with preview and
result) and the bond's view. Permission edges: a supporter of loket A never sees loket B's clubs or imports
(404); clubs, the coördinatiepunt and beheer are refused (403); bad input is a 400 with Dutch messages and
stores nothing."""
import io

import pytest

from loket.extensions import db as _db
from loket.models import Club, ClubContact, ClubImport
from tests.factories import ClubFactory, MembershipFactory
from tests.support.db import count_queries, count_rows, reloaded

CSV = "naam;soort;gemeentecode;sporten;kvk\n"
GET_PAGES = ("/werkgebied/clubs", "/werkgebied/clubs/nieuw", "/werkgebied/import")


def upload(client, content: bytes, filename="clubs.csv", **data):
    return client.post("/werkgebied/import", data={"file": (io.BytesIO(content), filename), **data},
                       content_type="multipart/form-data")


def page(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- who may open what

@pytest.mark.parametrize("who", ["club_contact", "coordinator", "beheerder", "bondsspecialist"])
@pytest.mark.parametrize("path", GET_PAGES)
def test_only_clubondersteuners_open_the_register_pages(login_as, network, who, path):
    assert login_as(who).get(path).status_code == 403


@pytest.mark.parametrize("who", ["club_contact", "coordinator", "beheerder", "bondsspecialist"])
def test_posts_of_the_register_are_refused_for_other_roles(login_as, network, who):
    client = login_as(who)
    before = count_rows(Club)
    assert client.post("/werkgebied/clubs/nieuw", data={"name": "X"}).status_code == 403
    assert client.post(f"/werkgebied/clubs/{network.club_utrecht.id}/basiseisen", data={}).status_code == 403
    assert upload(client, (CSV + "X;vereniging;GM0344;voetbal;\n").encode()).status_code == 403
    assert count_rows(Club) == before and count_rows(ClubImport) == 0


@pytest.mark.parametrize("who", ["ondersteuner", "club_contact", "coordinator", "beheerder"])
def test_only_bondsspecialisten_open_the_bonds_view(login_as, network, who):
    assert login_as(who).get("/werkgebied/bond/clubs").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    assert client.get("/werkgebied/clubs").status_code == 302


def test_a_supporter_of_loket_a_never_sees_loket_bs_clubs_or_imports(login_as, network):
    eemland = login_as("ondersteuner_eemland")
    assert "HC Amersfoort" in page(eemland.get("/werkgebied/clubs"))
    assert upload(eemland, (CSV + "Leusden Club;vereniging;GM0327;voetbal;\n").encode()).status_code == 303
    import_id = _db.session.scalar(_db.select(ClubImport.id))

    utrecht = login_as("ondersteuner")
    register = page(utrecht.get("/werkgebied/clubs"))
    assert "VV Utrechtse Boys" in register and "HC Amersfoort" not in register
    assert utrecht.get("/werkgebied/clubs?loket=eemland").status_code == 404
    assert utrecht.get("/werkgebied/clubs/nieuw?loket=eemland").status_code == 404
    assert utrecht.get(f"/werkgebied/clubs/{network.club_amersfoort.id}/basiseisen").status_code == 404
    assert utrecht.get(f"/werkgebied/import/{import_id}").status_code == 404
    assert utrecht.post(f"/werkgebied/import/{import_id}/bevestigen").status_code == 404
    assert utrecht.post(f"/werkgebied/clubs/{network.club_amersfoort.id}/basiseisen",
                        data={"basiseis_vog_status": "voldoet"}).status_code == 404
    assert utrecht.post("/werkgebied/clubs/nieuw", data={"loket": "eemland", "name": "X"}).status_code == 404
    assert upload(utrecht, b"x", loket="eemland").status_code == 404
    assert reloaded(_db.session.get(ClubImport, import_id)).state == "preview"


@pytest.mark.parametrize("path", ["/werkgebied/clubs/2147483648/basiseisen", "/werkgebied/clubs/99999999999/basiseisen",
                                  "/werkgebied/import/2147483648", "/werkgebied/import/99999999999999999999"])
def test_ids_beyond_the_database_are_404(login_as, network, path):
    assert login_as("ondersteuner").get(path).status_code == 404


def test_a_supporter_of_two_loketten_chooses_the_register(login_as, network):
    MembershipFactory(user=network.ondersteuner, role="clubondersteuner", club=None, loket=network.loket_eemland)
    _db.session.commit()
    client = login_as("ondersteuner")
    default = page(client.get("/werkgebied/clubs"))
    assert "VV Utrechtse Boys" in default and 'id="f-loket"' in default
    chosen = page(client.get("/werkgebied/clubs?loket=eemland"))
    assert "HC Amersfoort" in chosen and "VV Utrechtse Boys" not in chosen
    assert "loket=eemland" in chosen  # links keep the choice
    assert client.get(f"/werkgebied/clubs/{network.club_amersfoort.id}/basiseisen").status_code == 200


# ---------------------------------------------------------------- the register page

def test_the_register_filters_and_searches_and_tolerates_odd_parameters(login_as, network):
    ClubFactory(name="Zwemclub Leusden", gemeente=network.leusden, sports=[network.tennis])
    _db.session.commit()
    client = login_as("ondersteuner_eemland")
    assert "Zwemclub Leusden" not in page(client.get("/werkgebied/clubs?gemeente=GM0307"))
    found = page(client.get("/werkgebied/clubs?zoek=zwem"))
    assert "Zwemclub Leusden" in found and "HC Amersfoort" not in found
    for odd in ("sport=99999999999999", "sport=-1", "soort=%00", "basiseisen=x", "status=afgewezen",
                "zoek=%00%1b", "gemeente=GM0344", "pagina=1e20"):
        response = client.get(f"/werkgebied/clubs?{odd}")
        assert response.status_code in (200, 302), odd


def test_the_register_page_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("ondersteuner")
    with count_queries(app) as few:
        assert client.get("/werkgebied/clubs").status_code == 200
    for i in range(12):
        ClubFactory(name=f"Club {i}", gemeente=network.utrecht, sports=[network.voetbal, network.tennis])
    _db.session.commit()
    with count_queries(app) as many:
        assert client.get("/werkgebied/clubs").status_code == 200
    assert len(many) == len(few), "\n".join(many)


# ---------------------------------------------------------------- adding a club

def club_form(network, **values):
    return {"name": "VV Domstad", "kind": "vereniging", "gemeente": "GM0344", "sports": [str(network.voetbal.id)],
            "kvk_number": "", "contact_name": "", "contact_email": "", "contact_phone": "", **values}


def test_adding_a_club_with_a_contact_puts_it_in_the_register(login_as, network):
    client = login_as("ondersteuner")
    assert client.get("/werkgebied/clubs/nieuw").status_code == 200
    response = client.post("/werkgebied/clubs/nieuw", data=club_form(
        network, contact_name="Piet", contact_phone="030 123 45 67"))
    assert response.status_code == 302
    club = _db.session.scalar(_db.select(Club).where(Club.name == "VV Domstad"))
    assert club.status == "actief" and [c.phone for c in club.contacts] == ["030 123 45 67"]
    assert "VV Domstad" in page(client.get("/werkgebied/clubs"))


def test_adding_a_club_with_bad_input_is_a_400_with_dutch_messages_and_stores_nothing(login_as, network):
    client = login_as("ondersteuner")
    before = (count_rows(Club), count_rows(ClubContact))
    response = client.post("/werkgebied/clubs/nieuw", data=club_form(
        network, name="Club\x00", kind="", gemeente="GM0307", sports=["2147483648"], kvk_number="abc",
        contact_name="Piet", contact_email="geen-adres"))
    assert response.status_code == 400
    text = page(response)
    for message in ("Een naam kan geen stuurtekens", "Kies of de club een vereniging",
                    "hoort niet bij het werkgebied van Sportloket Utrecht", "Onbekende sport(en): 2147483648",
                    "Een KvK-nummer bestaat uit precies 8 cijfers", "Vul een geldig e-mailadres in"):
        assert message in text, message
    assert (count_rows(Club), count_rows(ClubContact)) == before


def test_adding_without_csrf_is_refused(login_as, network):
    client = login_as("ondersteuner")
    assert client.post("/werkgebied/clubs/nieuw", data=club_form(network), csrf=False).status_code == 400
    assert _db.session.scalar(_db.select(Club).where(Club.name == "VV Domstad")) is None


# ---------------------------------------------------------------- basiseisen

def test_editing_basiseisen_over_http(login_as, network):
    client = login_as("ondersteuner")
    path = f"/werkgebied/clubs/{network.club_utrecht.id}/basiseisen"
    assert client.get(path).status_code == 200
    data = {f"basiseis_{k}_status": "voldoet" for k in ("vog", "vcp", "gedragsregels", "kwalificatie")}
    bad = client.post(path, data={**data, "basiseis_vog_date": "31-02-2026", "basiseis_vcp_status": "x"})
    assert bad.status_code == 400
    assert "Vul bij ‘VOG voor wie met jeugd of kwetsbaren werkt’ een geldige datum in" in page(bad)
    assert reloaded(network.club_utrecht).basiseis_vog_status == "onbekend"
    assert client.post(path, data={**data, "basiseis_vog_date": "2026-01-01"}).status_code == 302
    assert reloaded(network.club_utrecht).is_eligible


def test_a_club_waiting_for_approval_has_no_basiseisen_page(login_as, network):
    waiting = ClubFactory(gemeente=network.utrecht, status="aangemeld")
    _db.session.commit()
    assert login_as("ondersteuner").get(f"/werkgebied/clubs/{waiting.id}/basiseisen").status_code == 404


# ---------------------------------------------------------------- import

def test_a_clean_file_goes_to_its_preview_and_confirming_stores_it(login_as, network):
    client = login_as("ondersteuner")
    assert client.get("/werkgebied/import").status_code == 200
    response = upload(client, (CSV + "VV Domstad;vereniging;GM0344;voetbal;12345678\n").encode("utf-8-sig"))
    assert response.status_code == 303
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200 and "Nieuwe club" in page(preview) and "Importeren" in page(preview)
    assert _db.session.scalar(_db.select(Club).where(Club.name == "VV Domstad")) is None
    import_id = _db.session.scalar(_db.select(ClubImport.id))
    done = client.post(f"/werkgebied/import/{import_id}/bevestigen")
    assert done.status_code == 302
    result = page(client.get(f"/werkgebied/import/{import_id}"))
    assert "Klaar: 1 club toegevoegd, 0 bijgewerkt" in result and "<progress" in result
    assert 'http-equiv="refresh"' not in result
    assert client.post(f"/werkgebied/import/{import_id}/bevestigen").status_code == 302  # flashed: already done
    assert count_rows(Club, Club.name == "VV Domstad") == 1


def test_bad_rows_answer_400_with_a_dutch_message_per_row_and_store_no_club(login_as, network):
    client = login_as("ondersteuner")
    before = count_rows(Club)
    response = upload(client, (CSV + "Goed;vereniging;GM0344;voetbal;\n"
                                     "Fout;vereniginkje;GM0344;voetbal;\n"
                                     "Buiten;vereniging;GM0307;voetbal;\n"
                                     "Goed;vereniging;GM0344;voetbal;\n").encode())
    assert response.status_code == 400
    text = page(response)
    assert "Onbekende soort ‘vereniginkje’" in text
    assert "Gemeente Amersfoort (GM0307) hoort niet bij het werkgebied van Sportloket Utrecht." in text
    assert "Deze club staat al eerder in het bestand (regel 2)." in text
    assert count_rows(Club) == before


@pytest.mark.parametrize("content, message", [
    (b"", "Het bestand is leeg."),
    (b"naam;soort;plaats\nX;vereniging;Utrecht\n", "De kopregel klopt niet"),
    ((CSV + "Vélo;vereniging;GM0344;voetbal;\n").encode("latin-1"), "niet in UTF-8 opgeslagen"),
])
def test_a_file_that_cannot_be_read_is_one_message_and_nothing_is_stored(login_as, network, content, message):
    response = upload(login_as("ondersteuner"), content)
    assert response.status_code == 400 and message in page(response)
    assert count_rows(ClubImport) == 0


def test_a_hundred_thousand_rows_are_a_clear_400(login_as, network):
    content = (CSV + "".join(f"Club {i};vereniging;GM0344;voetbal;\n" for i in range(100_000))).encode()
    response = upload(login_as("ondersteuner"), content)
    assert response.status_code == 400 and "Het bestand is groter dan 1,0 MB" in page(response)
    assert count_rows(ClubImport) == 0


def test_uploading_without_a_file_asks_for_one(login_as, network):
    response = login_as("ondersteuner").post("/werkgebied/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Kies een CSV-bestand om te importeren." in page(response)


def test_a_running_import_shows_its_progress_and_refreshes_itself(login_as, network):
    client = login_as("ondersteuner")
    item = ClubImport(loket_id=network.loket_utrecht.id, filename="groot.csv", state="running", total_rows=400,
                      processed_rows=100, rows=[], errors=[])
    _db.session.add(item)
    _db.session.commit()
    text = page(client.get(f"/werkgebied/import/{item.id}"))
    assert '<progress id="voortgang" max="100" value="25">25%</progress>' in text
    assert "100 van 400 rijen verwerkt" in text and '<meta http-equiv="refresh" content="3">' in text
    assert 'http-equiv="refresh"' not in page(client.get(f"/werkgebied/import/{item.id}?verversen=uit"))


# ---------------------------------------------------------------- the bond's view

def test_the_bond_sees_its_clubs_and_where_their_loket_is(login_as, network):
    ClubFactory(name="FC Zeist", gemeente=network.zeist, sports=[network.voetbal])
    _db.session.commit()
    client = login_as("bondsspecialist")
    text = page(client.get("/werkgebied/bond/clubs"))
    assert "HC Amersfoort" in text and "Sportloket Eemland" in text
    assert "FC Zeist" in text and "nog geen loket" in text
    assert "TV Bunnik" not in text  # tennis is KNLTB's
    assert "Anna de Vries" not in text  # contact persons are no business of the bond
    searched = page(client.get("/werkgebied/bond/clubs?zoek=zeist"))
    assert "FC Zeist" in searched and "HC Amersfoort" not in searched
    assert client.get("/werkgebied/bond/clubs?bond=knltb").status_code == 404
    assert client.get("/werkgebied/bond/clubs?sport=99999999999&zoek=%00").status_code == 200


def test_the_bonds_view_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("bondsspecialist")
    with count_queries(app) as few:
        assert client.get("/werkgebied/bond/clubs").status_code == 200
    for i in range(12):
        ClubFactory(name=f"Voetbalclub {i}", gemeente=(network.zeist, network.leusden)[i % 2],
                    sports=[network.voetbal, network.tennis])
    _db.session.commit()
    with count_queries(app) as many:
        assert client.get("/werkgebied/bond/clubs").status_code == 200
    assert len(many) == len(few), "\n".join(many)
