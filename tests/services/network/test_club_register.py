"""The club register of a werkgebied: every active club of the loket's gemeenten (also those that never filed),
filters, search, last contact and requests of the last 12 months in constant queries; adding a club; basiseisen;
and the bond's view of the clubs with its sports."""
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models import Club, ClubContact
from loket.models.base import utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network import club_register, registrations
from loket.services.network.club_register import BondFilter, RegisterFilter
from loket.services.requests import actions
from tests.factories import ClubFactory, MembershipFactory, SportFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.registrations import club_data, confirmation_token, contact_data
from tests.support.requests import file_request

ALL_KNOWN = {f"basiseis_{key}_status": "voldoet" for key in ("vog", "vcp", "gedragsregels", "kwalificatie")}


def names(page) -> list[str]:
    return [row.club.name for row in page.items]


def eemland_register(network, **filters):
    return club_register.register(network.loket_eemland, RegisterFilter(**filters))


# ---------------------------------------------------------------- whose register

def test_a_supporter_sees_the_register_of_their_own_loket_and_chooses_between_two(network):
    assert club_register.chosen_loket(network.ondersteuner) == network.loket_utrecht
    MembershipFactory(user=network.ondersteuner, role="clubondersteuner", club=None, loket=network.loket_eemland)
    _db.session.commit()
    assert club_register.chosen_loket(network.ondersteuner, "eemland") == network.loket_eemland
    with pytest.raises(NotFound):
        club_register.chosen_loket(network.ondersteuner, "bunnik")
    with pytest.raises(NotFound):
        club_register.chosen_loket(network.ondersteuner_eemland, "utrecht")
    with pytest.raises(Forbidden):
        club_register.chosen_loket(network.bondsspecialist)


# ---------------------------------------------------------------- who is in it

def test_the_register_holds_every_active_club_of_the_werkgebied_also_those_that_never_filed(network):
    leusden = ClubFactory(name="SV Leusden", gemeente=network.leusden, sports=[network.tennis])
    ClubFactory(name="Wachtend", gemeente=network.amersfoort, status="aangemeld")
    ClubFactory(name="Afgewezen", gemeente=network.amersfoort, status="afgewezen")
    _db.session.commit()
    page = eemland_register(network)
    assert names(page) == ["HC Amersfoort", "SV Leusden"] and page.total == 2
    row = page.items[1]
    assert row.club == leusden and row.last_contact is None and row.requests_last_year == 0
    assert names(club_register.register(network.loket_utrecht)) == ["VV Utrechtse Boys"]


def test_aangemeld_shows_the_clubs_waiting_for_this_lokets_decision(network):
    registrations.register_club(club_data(name="Nieuwe Club Eemland", gemeente="GM0307"),
                                contact_data(email="nieuw@club.example"))
    ClubFactory(name="Onbevestigd", gemeente=network.amersfoort, status="aangemeld")  # no confirmed registration
    _db.session.commit()
    assert names(eemland_register(network, status="aangemeld")) == []  # not confirmed yet: not waiting here
    registrations.confirm_registration(confirmation_token("nieuw@club.example"))
    assert names(eemland_register(network, status="aangemeld")) == ["Nieuwe Club Eemland"]
    assert "Nieuwe Club Eemland" not in names(eemland_register(network))


def test_a_loket_in_oprichting_does_not_decide_so_it_sees_no_waiting_clubs(network):
    registrations.register_club(club_data(name="Bunnikse Club", gemeente="GM0312"),
                                contact_data(email="bunnik@club.example"))
    registrations.confirm_registration(confirmation_token("bunnik@club.example"))
    page = club_register.register(network.loket_bunnik, RegisterFilter(status="aangemeld"))
    assert names(page) == []


# ---------------------------------------------------------------- filters and search

@pytest.fixture()
def eemland(network):
    """Four more clubs in Eemland with different kinds, sports and basiseisen."""
    network.known = ClubFactory(name="Alle Bekend", gemeente=network.leusden, kind="stichting", sports=[network.tennis],
                                **{**ALL_KNOWN, "basiseis_vog_status": "nee"})
    network.eligible = ClubFactory(name="In Aanmerking", gemeente=network.amersfoort, sports=[network.voetbal],
                                   **{**ALL_KNOWN, "basiseis_vcp_status": "mee_bezig"}, kvk_number="12345678")
    network.half = ClubFactory(name="Half Bekend", gemeente=network.leusden, sports=[network.voetbal],
                               basiseis_vog_status="voldoet")
    network.shop = ClubFactory(name="Sportwinkel 100%_Fit", gemeente=network.amersfoort, kind="onderneming",
                               sports=[network.tennis])
    _db.session.commit()
    return network


def test_filters_narrow_the_register(eemland):
    n = eemland
    assert names(eemland_register(n, gemeente="gm0327")) == ["Alle Bekend", "Half Bekend"]
    assert names(eemland_register(n, kind="stichting")) == ["Alle Bekend"]
    assert names(eemland_register(n, sport_id=n.tennis.id)) == ["Alle Bekend", "Sportwinkel 100%_Fit"]
    assert names(eemland_register(n, basiseisen="bekend")) == ["Alle Bekend", "In Aanmerking"]
    assert names(eemland_register(n, basiseisen="in_aanmerking")) == ["In Aanmerking"]
    assert names(eemland_register(n, basiseisen="onbekend")) == ["HC Amersfoort", "Half Bekend",
                                                                 "Sportwinkel 100%_Fit"]
    assert names(eemland_register(n, gemeente="GM0307", sport_id=n.voetbal.id)) == ["HC Amersfoort",
                                                                                   "In Aanmerking"]


def test_a_filter_that_cannot_match_is_ignored_not_an_error(eemland):
    everything = names(eemland_register(eemland))
    for odd in ({"gemeente": "GM0344"}, {"gemeente": "x\x00"}, {"kind": "club"}, {"sport_id": 2**40},
                {"basiseisen": "misschien"}, {"status": "afgewezen"}, {"search": "\x1b[31m"}):
        assert names(eemland_register(eemland, **odd)) == everything, odd


def test_search_by_part_of_the_name_or_by_kvk_number(eemland):
    assert names(eemland_register(eemland, search="bekend")) == ["Alle Bekend", "Half Bekend"]
    assert names(eemland_register(eemland, search="1234 5678")) == ["In Aanmerking"]
    assert names(eemland_register(eemland, search="100%_")) == ["Sportwinkel 100%_Fit"]  # no wildcards
    assert names(eemland_register(eemland, search="%")) == ["Sportwinkel 100%_Fit"]


def test_row_shows_whether_basiseisen_are_known_and_eligible(eemland):
    rows = {row.club.name: row for row in eemland_register(eemland).items}
    assert (rows["Alle Bekend"].basiseisen_known, rows["Alle Bekend"].eligible) == (True, False)
    assert (rows["In Aanmerking"].basiseisen_known, rows["In Aanmerking"].eligible) == (True, True)
    assert (rows["Half Bekend"].basiseisen_known, rows["Half Bekend"].eligible) == (False, False)


def test_pages_of_the_register(eemland):
    first = club_register.register(eemland.loket_eemland, page=1, per_page=2)
    last = club_register.register(eemland.loket_eemland, page=99, per_page=2)
    assert (first.total, first.pages, names(first)) == (5, 3, ["Alle Bekend", "HC Amersfoort"])
    assert (last.page, names(last)) == (3, ["Sportwinkel 100%_Fit"])


# ---------------------------------------------------------------- last contact and requests

def test_last_contact_is_the_newest_filing_reply_or_contact_moment_and_requests_count_twelve_months(network):
    now = utcnow()
    old = file_request(network, title="Oud", now=now - timedelta(days=400))
    recent = file_request(network, title="Recent", now=now - timedelta(days=30))
    actions.add_message(old, actor=network.ondersteuner, body="Antwoord", internal=False, as_supporter=True,
                        now=now - timedelta(days=10))
    actions.add_message(recent, actor=network.ondersteuner, body="Notitie", internal=True, as_supporter=True,
                        now=now - timedelta(days=1))  # an internal note is no contact with the club
    row = club_register.register(network.loket_utrecht, now=now).items[0]
    assert row.requests_last_year == 1
    assert abs(row.last_contact - (now - timedelta(days=10))) < timedelta(seconds=1)


def test_a_logged_contact_moment_counts_as_contact(network):
    request = file_request(network, now=utcnow() - timedelta(days=50))
    moment = utcnow() - timedelta(days=2)
    actions.add_event(request, "contact_moment", network.ondersteuner, moment, data={"channel": "telefoon"})
    _db.session.commit()
    row = club_register.register(network.loket_utrecht).items[0]
    assert abs(row.last_contact - moment) < timedelta(seconds=1)


def test_the_register_uses_the_same_number_of_queries_for_a_page_of_2_or_of_30_clubs(app, network):
    def page_queries():
        loket = _db.session.get(type(network.loket_utrecht), network.loket_utrecht.id)
        with count_queries(app) as statements:
            page = club_register.register(loket)
            [(row.club.gemeente.name, [s.name for s in row.club.sports], row.last_contact) for row in page.items]
        return len(statements), page.total

    file_request(network)
    few, total = page_queries()
    for i in range(30):
        club = ClubFactory(name=f"Club {i:02d}", gemeente=network.utrecht, sports=[network.voetbal, network.tennis])
        MembershipFactory(user=network.club_contact, role="club", club=club)
    _db.session.commit()
    for i in range(0, 30, 3):
        file_request(network, club=_db.session.scalar(_db.select(Club).where(Club.name == f"Club {i:02d}")))
    _db.session.expire_all()
    many, more = page_queries()
    assert (total, more) == (1, 31)
    assert many == few == 4


# ---------------------------------------------------------------- adding a club

def add(network, who="ondersteuner", loket="loket_utrecht", **values):
    data = {"name": "VV Domstad", "kind": "vereniging", "gemeente_code": "GM0344",
            "sports": [str(network.voetbal.id)], "kvk_number": "", "contact": None, **values}
    return club_register.add_club(getattr(network, loket), actor=getattr(network, who), **data)


def test_adding_a_club_makes_it_active_at_once_with_or_without_a_contact(network):
    club = add(network)
    assert club.status == "actief" and club.contacts == [] and club.sports == [network.voetbal]
    with_contact = add(network, name="Tennis Oost", kvk_number="1234 5678",
                       contact={"name": " Piet  Pieters ", "email": "Piet@Oost.example", "phone": ""})
    assert with_contact.kvk_number == "12345678"
    assert [(c.name, c.email, c.phone) for c in with_contact.contacts] == [("Piet Pieters", "Piet@oost.example", None)]
    assert names(club_register.register(network.loket_utrecht)) == ["Tennis Oost", "VV Domstad", "VV Utrechtse Boys"]


def test_adding_refuses_bad_fields_with_dutch_messages_and_stores_nothing(network):
    before = (count_rows(Club), count_rows(ClubContact))
    with pytest.raises(InvalidInput) as caught:
        add(network, name="\x00", kind="club", gemeente_code="GM0307", sports=["99999"], kvk_number="12",
            contact={"name": "", "email": "geen-adres", "phone": ""})
    errors = caught.value.errors
    assert errors["name"].startswith("Een naam kan geen stuurtekens")
    assert errors["kind"] == "Kies of de club een vereniging, onderneming of stichting is."
    assert errors["gemeente"] == ("Deze gemeente hoort niet bij het werkgebied van Sportloket Utrecht. Kies een "
                                  "gemeente uit de lijst.")
    assert errors["sports"].startswith("Onbekende sport(en): 99999.")
    assert errors["kvk_number"].startswith("Een KvK-nummer bestaat uit precies 8 cijfers.")
    assert errors["contact_name"] == "Vul de naam van de contactpersoon in."
    assert errors["contact_email"].startswith("Vul een geldig e-mailadres in")
    assert (count_rows(Club), count_rows(ClubContact)) == before


def test_adding_a_club_that_is_already_there_is_refused(network):
    network.club_amersfoort.kvk_number = "11112222"
    _db.session.commit()
    with pytest.raises(InvalidInput) as same_name:
        add(network, name="V.V. Utrechtse Boys")
    assert same_name.value.errors == {"name": "Er staat al een club met deze naam in Utrecht: VV Utrechtse Boys."}
    with pytest.raises(InvalidInput) as elsewhere:
        add(network, kvk_number="11112222")
    assert elsewhere.value.errors == {"kvk_number": club_register.SAME_KVK_ELSEWHERE}


def test_only_members_add_clubs_to_a_lokets_register(network):
    with pytest.raises(Forbidden):
        add(network, who="ondersteuner_eemland")
    with pytest.raises(InvalidInput) as caught:
        add(network, loket="loket_eemland", who="ondersteuner_eemland", gemeente_code="GM0344")
    assert "werkgebied van Sportloket Eemland" in caught.value.errors["gemeente"]


# ---------------------------------------------------------------- basiseisen

def test_a_supporter_of_the_clubs_loket_edits_its_basiseisen(network):
    club = club_register.club_for_register(network.ondersteuner, network.club_utrecht.id)
    club_register.update_basiseisen(club, actor=network.ondersteuner, basiseisen={
        "vog": ("voldoet", "2026-01-15"), "vcp": ("mee_bezig", ""), "gedragsregels": ("nee", None),
        "kwalificatie": ("voldoet", "01-02-2026")})
    _db.session.expire_all()
    club = _db.session.get(Club, network.club_utrecht.id)
    assert club.basiseis_vog_status == "voldoet" and str(club.basiseis_vog_date) == "2026-01-15"
    assert str(club.basiseis_kwalificatie_date) == "2026-02-01" and not club.is_eligible


def test_basiseisen_errors_store_nothing(network):
    club = network.club_utrecht
    with pytest.raises(InvalidInput) as caught:
        club_register.update_basiseisen(club, actor=network.ondersteuner, basiseisen={
            "vog": ("voldoet", "2999-01-01"), "vcp": ("misschien", ""), "gedragsregels": ("nee", "gisteren"),
            "kwalificatie": ("voldoet", "")})
    assert set(caught.value.errors) == {"basiseis_vog_date", "basiseis_vcp_status", "basiseis_gedragsregels_date"}
    _db.session.expire_all()
    assert _db.session.get(Club, club.id).basiseis_kwalificatie_status == "onbekend"


def test_the_register_edits_only_what_can_edit_club_allows_a_supporter(network):
    waiting = ClubFactory(name="Wachtend", gemeente=network.utrecht, status="aangemeld")
    _db.session.commit()
    for who, club_id in (("ondersteuner_eemland", network.club_utrecht.id), ("ondersteuner", network.club_zeist.id),
                         ("ondersteuner", waiting.id), ("ondersteuner", 2**40), ("ondersteuner", "x"),
                         ("club_contact", network.club_utrecht.id)):
        with pytest.raises(NotFound):
            club_register.club_for_register(getattr(network, who), club_id)
    with pytest.raises(Forbidden):
        club_register.update_basiseisen(network.club_utrecht, actor=network.ondersteuner_eemland, basiseisen={})


# ---------------------------------------------------------------- the bond's view

def test_a_bond_sees_the_active_clubs_with_its_sports_and_where_their_loket_is(network):
    ClubFactory(name="Wachtend Voetbal", gemeente=network.utrecht, status="aangemeld", sports=[network.voetbal])
    zaal = SportFactory(name="zaalvoetbal")
    network.knvb.sports.append(zaal)
    ClubFactory(name="Zaal Zeist", gemeente=network.zeist, sports=[zaal])
    _db.session.commit()
    bond = club_register.chosen_bond(network.bondsspecialist)
    page = club_register.bond_clubs(bond)
    rows = [(c.name, c.gemeente.name, c.gemeente.loket.name if c.gemeente.loket else None) for c in page.items]
    assert rows == [("HC Amersfoort", "Amersfoort", "Sportloket Eemland"),
                    ("VV Utrechtse Boys", "Utrecht", "Sportloket Utrecht"),
                    ("Zaal Zeist", "Zeist", None)]
    assert [s.name for s in club_register.sports_of(page.items[1], bond)] == ["voetbal"]  # not its tennis


def test_the_bonds_list_searches_name_and_gemeente_and_filters_by_its_sports(network):
    bond = network.knvb
    assert [c.name for c in club_register.bond_clubs(bond, BondFilter(search="amersf")).items] == ["HC Amersfoort"]
    assert [c.name for c in club_register.bond_clubs(bond, BondFilter(search="boys")).items] == ["VV Utrechtse Boys"]
    everything = [c.name for c in club_register.bond_clubs(bond).items]
    # a sport of another bond is no filter of this one
    assert [c.name for c in club_register.bond_clubs(bond, BondFilter(sport_id=network.tennis.id)).items] == everything
    assert club_register.bond_clubs(network.knltb).total == 2  # Utrechtse Boys and TV Bunnik play tennis


def test_a_bondsspecialist_chooses_only_among_their_own_bonds(network):
    with pytest.raises(NotFound):
        club_register.chosen_bond(network.bondsspecialist, "knltb")
    with pytest.raises(Forbidden):
        club_register.chosen_bond(network.ondersteuner)
    two = make_user("bondsspecialist", network.knltb)
    MembershipFactory(user=two, role="bondsspecialist", club=None, bond=network.knvb)
    _db.session.commit()
    assert club_register.chosen_bond(two, "knvb") == network.knvb
