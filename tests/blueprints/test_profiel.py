"""Club profile pages: the club and its loket keep the profile and contact persons up to date."""
from datetime import date, timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Club, ClubContact
from loket.services.network import clubs
from tests.factories import ClubContactFactory
from tests.support.pages import error_of


def _profile_data(network, **overrides):
    data = {"name": "VV Utrechtse Boys", "kind": "vereniging", "kvk_number": "12345678",
            "sports": [str(network.voetbal.id)]}
    for key in ("vog", "vcp", "gedragsregels", "kwalificatie"):
        data[f"basiseis_{key}_status"] = "voldoet"
        data[f"basiseis_{key}_date"] = "2026-01-05"
    data.update(overrides)
    return data


def _club(network):
    _db.session.expire_all()
    return _db.session.get(Club, network.club_utrecht.id)


def _url(network, suffix="profiel", club=None):
    return f"/clubs/{(club or network.club_utrecht).id}/{suffix}"


def test_club_contact_sees_profile_badge_and_second_contact_warning(login_as, network):
    client = login_as("club_contact")
    home = client.get("/").get_data(as_text=True)
    assert f'href="{_url(network)}"' in home  # nav link "Clubprofiel"
    page = client.get(_url(network)).get_data(as_text=True)
    assert "Clubprofiel: VV Utrechtse Boys" in page
    assert "Basiseisen niet compleet" in page
    assert "Zorg voor een tweede drager: nu is er maar één contactpersoon." in page
    assert "anna@uboys.example" in page


def test_club_contact_updates_profile_and_becomes_eligible(login_as, network):
    client = login_as("club_contact")
    response = client.post(_url(network), data=_profile_data(network, kvk_number="1234 5678"))
    assert response.status_code == 302
    club = _club(network)
    assert club.kvk_number == "12345678"
    assert [s.name for s in club.sports] == ["voetbal"]
    assert club.basiseis_vog_date == date(2026, 1, 5)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het clubprofiel is opgeslagen." in page
    assert "Basiseisen op orde" in page


def test_a_club_without_any_sport_is_refused(login_as, network):
    """The form says "Kies er een of meer": saving with every sport unchecked is refused, nothing changes."""
    before = [s.name for s in _club(network).sports]
    data = _profile_data(network)
    del data["sports"]
    response = login_as("club_contact").post(_url(network), data=data)
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "sports") == clubs.NO_SPORTS_MESSAGE
    assert [s.name for s in _club(network).sports] == before


def _tomorrow():
    return (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "Vul de naam van de club in."),
    ({"kind": "bv"}, "kind", "Kies of de club een vereniging, onderneming of stichting is."),
    ({"kvk_number": "1234"}, "kvk_number", "Een KvK-nummer bestaat uit precies 8 cijfers. "
                                           "Laat het veld leeg als de club er geen heeft."),
    ({"sports": ["9999"]}, "sports", "Kies sporten uit de lijst."),
    ({"basiseis_vcp_status": "ja"}, "basiseis_vcp_status", "Kies een status voor ‘Vertrouwenscontactpersoon’."),
    ({"basiseis_vog_date": "morgen"}, "basiseis_vog_date",
     "Vul bij ‘VOG voor wie met jeugd of kwetsbaren werkt’ een geldige datum in, bijvoorbeeld 31-03-2026."),
    ({"basiseis_gedragsregels_date": _tomorrow()}, "basiseis_gedragsregels_date",
     "De datum bij ‘Gedragsregels’ mag niet in de toekomst liggen."),
])
def test_invalid_profile_is_refused_next_to_the_field_and_nothing_stored(login_as, network, overrides, field, message):
    response = login_as("club_contact").post(_url(network), data=_profile_data(network, **overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error_of(page, field) == message
    assert "Controleer het formulier" in page
    club = _club(network)
    assert club.kvk_number is None and club.basiseis_vog_status == "onbekend"
    assert {s.name for s in club.sports} == {"voetbal", "tennis"}


def test_supporter_of_the_clubs_loket_may_edit(login_as, network):
    client = login_as("ondersteuner")
    assert client.get(_url(network)).status_code == 200
    assert client.post(_url(network), data=_profile_data(network, kind="stichting")).status_code == 302
    assert _club(network).kind == "stichting"


@pytest.mark.parametrize("who, club", [
    ("other_club_contact", "club_utrecht"),
    ("ondersteuner_eemland", "club_utrecht"),
    ("ondersteuner", "club_amersfoort"),
    ("ondersteuner", "club_zeist"),
])
def test_other_clubs_and_other_lokets_get_404(login_as, network, who, club):
    client = login_as(who)
    club = getattr(network, club)
    assert client.get(_url(network, club=club)).status_code == 404
    assert client.post(_url(network, club=club), data=_profile_data(network, name="Gekaapt")).status_code == 404
    assert client.get(_url(network, "contactpersonen/nieuw", club=club)).status_code == 404
    assert _db.session.get(Club, club.id).name != "Gekaapt"


def test_unknown_club_is_404(login_as, network):
    assert login_as("club_contact").get("/clubs/9999/profiel").status_code == 404


@pytest.mark.parametrize("who", ["bondsspecialist", "coordinator", "beheerder"])
def test_other_roles_get_403(login_as, network, who):
    client = login_as(who)
    assert client.get(_url(network)).status_code == 403
    assert client.post(_url(network), data=_profile_data(network)).status_code == 403


def test_anonymous_is_sent_to_login(client, network):
    response = client.get(_url(network))
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_profile_post_without_csrf_token_is_rejected(login_as, network):
    response = login_as("club_contact").post(_url(network), data=_profile_data(network, name="Zonder token"),
                                             csrf=False)
    assert response.status_code == 400
    assert _club(network).name == "VV Utrechtse Boys"


# ---------------------------------------------------------------- contact persons

def _contacts(network):
    """The club's contacts (a removed contact stays only as an anonymised tombstone)."""
    return _db.session.scalars(select(ClubContact).where(ClubContact.club_id == network.club_utrecht.id,
                                                         ClubContact.removed_at.is_(None))
                               .order_by(ClubContact.id)).all()


def test_add_edit_and_remove_a_contact(login_as, network):
    client = login_as("club_contact")
    assert "Contactpersoon toevoegen" in client.get(_url(network, "contactpersonen/nieuw")).get_data(as_text=True)
    response = client.post(_url(network, "contactpersonen"),
                           data={"name": "Piet Pieters", "function": "Secretaris", "email": "piet@uboys.example",
                                 "phone": ""})
    assert response.status_code == 302
    page = client.get(_url(network)).get_data(as_text=True)
    assert "Piet Pieters is toegevoegd als contactpersoon." in page
    assert "Zorg voor een tweede drager" not in page
    piet = _contacts(network)[1]

    edit = client.get(_url(network, f"contactpersonen/{piet.id}")).get_data(as_text=True)
    assert 'value="piet@uboys.example"' in edit
    assert client.post(_url(network, f"contactpersonen/{piet.id}"),
                       data={"name": "Piet Pieters", "function": "", "email": "", "phone": "06 12345678"}
                       ).status_code == 302
    _db.session.expire_all()
    assert (_contacts(network)[1].email, _contacts(network)[1].phone) == (None, "06 12345678")

    assert client.post(_url(network, f"contactpersonen/{piet.id}/verwijderen")).status_code == 302
    assert [c.name for c in _contacts(network)] == ["Anna de Vries"]
    assert "piet@uboys.example" not in client.get(_url(network)).get_data(as_text=True)


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "email": "x@example.nl"}, "name", "Vul de naam van de contactpersoon in."),
    ({"name": "Piet", "email": "piet@"}, "email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@club.nl."),
    ({"name": "Piet", "email": "", "phone": ""}, "email",
     "Vul een e-mailadres of telefoonnummer in, zodat het loket deze persoon kan bereiken."),
])
def test_invalid_contact_is_refused_next_to_the_field(login_as, network, data, field, message):
    client = login_as("club_contact")
    response = client.post(_url(network, "contactpersonen"), data=data)
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), field) == message
    anna = _contacts(network)[0]
    response = client.post(_url(network, f"contactpersonen/{anna.id}"), data=data)
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), field) == message
    _db.session.expire_all()
    assert [(c.name, c.email) for c in _contacts(network)] == [("Anna de Vries", "anna@uboys.example")]


def test_last_contact_cannot_be_removed(login_as, network):
    anna = _contacts(network)[0]
    response = login_as("club_contact").post(_url(network, f"contactpersonen/{anna.id}/verwijderen"))
    assert response.status_code == 400
    assert "Een club heeft minstens één contactpersoon nodig." in response.get_data(as_text=True)
    assert len(_contacts(network)) == 1


def test_contact_of_another_club_is_404(login_as, network):
    other = ClubContactFactory(club=network.club_amersfoort, name="Bram", email="bram@hc.example")
    _db.session.commit()
    client = login_as("club_contact")
    assert client.get(_url(network, f"contactpersonen/{other.id}")).status_code == 404
    assert client.post(_url(network, f"contactpersonen/{other.id}"), data={"name": "X", "email": "x@x.nl"}
                       ).status_code == 404
    assert client.post(_url(network, f"contactpersonen/{other.id}/verwijderen")).status_code == 404
    assert _db.session.get(ClubContact, other.id).name == "Bram"


def test_contact_post_without_csrf_token_is_rejected(login_as, network):
    response = login_as("club_contact").post(_url(network, "contactpersonen"),
                                             data={"name": "Piet", "email": "piet@example.nl"}, csrf=False)
    assert response.status_code == 400
    assert len(_contacts(network)) == 1


# ---------------------------------------------------------------- the club_summary macro (for other pages)

SUMMARY = '{% from "_macros/club.html" import club_summary %}{{ club_summary(club) }}'


@pytest.mark.parametrize("who, linked", [("ondersteuner", True), ("club_contact", True),
                                         ("ondersteuner_eemland", False), ("bondsspecialist", False)])
def test_club_summary_links_to_the_profile_only_for_editors(app, network, who, linked):
    with app.test_request_context():
        login_user(getattr(network, who))
        html = render_template_string(SUMMARY, club=network.club_utrecht)
    assert "VV Utrechtse Boys" in html and "Utrecht" in html and "tennis, voetbal" in html
    assert "Basiseisen niet compleet" in html
    assert "Zorg voor een tweede drager" in html
    assert (f'href="/clubs/{network.club_utrecht.id}/profiel"' in html) is linked


def test_club_summary_says_so_when_there_is_no_contact_at_all(app, network):
    with app.test_request_context():
        login_user(network.ondersteuner_eemland)
        html = render_template_string(SUMMARY, club=network.club_amersfoort)
    assert "Deze club heeft nog geen contactpersoon." in html
    assert "maar één contactpersoon" not in html
