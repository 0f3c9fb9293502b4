"""Registering a club and joining one over HTTP: the forms, bad input (400, Dutch, nothing stored), the same answer
for an address in use, the confirmation link (once, not after it expired), and the rate limits."""
import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import AccountToken, Club, ClubContact, ClubRegistration, OutboxMessage, User
from loket.models.base import utcnow
from loket.services.network import registrations
from tests.support.db import count_rows
from tests.support.mails import outbox_rows
from tests.support.pages import error_of
from tests.support.registrations import PASSWORD, club_data, confirmation_token, contact_data

STORED = (Club, User, ClubContact, ClubRegistration, AccountToken, OutboxMessage)


def _counts():
    return {model.__name__: count_rows(model) for model in STORED}


def _form(network, **overrides) -> dict:
    """The registration form as a person fills it in: a new club in Utrecht offering voetbal."""
    data = {"club_name": "FC Nieuwegein-Noord", "club_kind": "vereniging", "club_gemeente": "GM0344",
            "club_sports": [str(network.voetbal.id)], "club_kvk": "", "contact_name": "Noor Nieuw",
            "contact_function": "", "contact_email": "noor@nieuw.example", "contact_password": PASSWORD}
    return {**data, **overrides}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_form_offers_every_gemeente_and_the_sports_as_filterable_checkboxes(client, network):
    response = client.get("/aanmelden")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="csrf_token"' in page
    for code in ("GM0344", "GM0307", "GM0327", "GM0312", "GM0355"):
        assert f'value="{code}"' in page
    assert f'type="checkbox" value="{network.voetbal.id}"' in page or f'value="{network.voetbal.id}"' in page
    assert 'data-checkbox-filter="club_sports"' in page and "checkbox-filter.js" in page
    assert 'href="/aanmelden/bij-een-club"' in page


def test_registering_answers_check_your_mail_and_stores_the_club_waiting(client, network):
    response = client.post("/aanmelden", data=_form(network))
    assert response.status_code == 200
    page = _text(response)
    assert "Kijk in je mail" in page and "noor@nieuw.example" in page
    club = _db.session.scalar(select(Club).where(Club.name == "FC Nieuwegein-Noord"))
    assert club.status == "aangemeld" and [s.name for s in club.sports] == ["voetbal"]
    assert len(outbox_rows("registration_confirm", "noor@nieuw.example")) == 1


def test_an_address_in_use_gets_the_same_answer_and_only_a_mail_to_its_holder(client, network):
    fresh = client.post("/aanmelden", data=_form(network, contact_email="nieuw@club.example"))
    before = _counts()
    in_use = client.post("/aanmelden", data=_form(network, club_name="Iets Anders", contact_email="anna@uboys.example"))

    assert in_use.status_code == fresh.status_code == 200
    assert _text(in_use).replace("anna@uboys.example", "X") == _text(fresh).replace("nieuw@club.example", "X")
    assert _counts() == {**before, "OutboxMessage": before["OutboxMessage"] + 1}
    assert [row.payload["to"] for row in outbox_rows("registration_address_in_use")] == ["anna@uboys.example"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"club_gemeente": "GM9999"}, "club_gemeente", "Onbekende gemeentecode"),
    ({"club_gemeente": ""}, "club_gemeente", "Onbekende gemeentecode"),
    ({"club_kind": ""}, "club_kind", "vereniging, onderneming of stichting"),
    ({"club_sports": []}, "club_sports", "Kies minstens één sport"),
    ({"club_sports": ["99999"]}, "club_sports", "Onbekende sport(en)"),
    ({"club_kvk": "1234"}, "club_kvk", "precies 8 cijfers"),
    ({"club_name": "x" * 201}, "club_name", "maximaal 200 tekens"),
    ({"club_name": "FC \x00Nul"}, "club_name", "stuurtekens"),
    ({"contact_name": "Noor\x1b"}, "contact_name", "stuurtekens"),
    ({"contact_email": "noor"}, "contact_email", "geldig e-mailadres"),
    ({"contact_password": "wachtwoord123"}, "contact_password", "te gangbaar"),
])
def test_bad_input_answers_400_in_dutch_beside_the_field_and_stores_nothing(client, network, overrides, field,
                                                                             message):
    before = _counts()
    response = client.post("/aanmelden", data=_form(network, **overrides))
    assert response.status_code == 400
    page = _text(response)
    assert message in error_of(page, field)
    assert "Controleer het formulier" in page and f'href="#{field}"' in page
    assert _counts() == before
    typed = _form(network, **overrides)["contact_email"]
    assert f'value="{typed}"' in page  # what was typed stays, except the password
    assert PASSWORD not in page


def test_without_a_csrf_token_nothing_is_stored(client, network):
    before = _counts()
    assert client.post("/aanmelden", data=_form(network), csrf=False).status_code == 400
    assert _counts() == before


# ---------------------------------------------------------------- the confirmation link

def _registered_token(client, network, email="noor@nieuw.example") -> str:
    client.post("/aanmelden", data=_form(network, contact_email=email))
    return confirmation_token(email)


def test_the_link_shows_a_button_and_only_the_button_confirms(client, network):
    token = _registered_token(client, network)
    shown = client.get(f"/aanmelden/bevestigen/{token}")
    assert shown.status_code == 200 and "Bevestig mijn e-mailadres" in _text(shown)
    assert shown.headers["Cache-Control"] == "no-store" and shown.headers["Referrer-Policy"] == "no-referrer"
    assert _db.session.scalar(select(ClubRegistration.state)) == "unconfirmed"  # opening the link changed nothing

    confirmed = client.post(f"/aanmelden/bevestigen/{token}")
    assert confirmed.status_code == 200
    assert "bevestigd" in _text(confirmed) and "Sportloket Utrecht" in _text(confirmed)
    assert _db.session.scalar(select(ClubRegistration.state)) == "pending"
    assert _db.session.scalar(select(User).where(User.email == "noor@nieuw.example")).email_confirmed_at


def test_a_used_link_answers_400_in_dutch(client, network):
    token = _registered_token(client, network)
    client.post(f"/aanmelden/bevestigen/{token}")
    for again in (client.get(f"/aanmelden/bevestigen/{token}"), client.post(f"/aanmelden/bevestigen/{token}")):
        assert again.status_code == 400 and "al gebruikt" in _text(again)
    assert len(outbox_rows("registration_pending")) == 2  # the loket was told once (two supporters)


def test_an_expired_or_wrong_link_answers_400_in_dutch(app, client, network):
    registrations.register_club(club_data(), contact_data(),
                                now=utcnow() - timedelta(hours=app.config["EMAIL_CONFIRMATION_HOURS"] + 1))
    expired = confirmation_token("noor@nieuw.example")
    for response in (client.get(f"/aanmelden/bevestigen/{expired}"), client.post(f"/aanmelden/bevestigen/{expired}")):
        assert response.status_code == 400 and "verlopen" in _text(response)
    for wrong in ("niets", "x" * 300):
        response = client.get(f"/aanmelden/bevestigen/{wrong}")
        assert response.status_code == 400 and "klopt niet" in _text(response)
    assert client.get("/aanmelden/bevestigen/%00").status_code == 404  # a NUL in a path names no page
    assert _db.session.scalar(select(ClubRegistration.state)) == "unconfirmed"


def test_the_confirm_button_needs_its_csrf_token(client, network):
    token = _registered_token(client, network)
    assert client.post(f"/aanmelden/bevestigen/{token}", csrf=False).status_code == 400
    assert _db.session.scalar(select(ClubRegistration.state)) == "unconfirmed"


# ---------------------------------------------------------------- rate limits

def test_registering_is_rate_limited_per_client_address(app, client, network, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per hour")
    for n in range(2):
        assert client.post("/aanmelden", data=_form(network, contact_email=f"p{n}@nieuw.example")).status_code == 200
    refused = client.post("/aanmelden", data=_form(network, contact_email="p9@nieuw.example"))
    assert refused.status_code == 429 and "probeer het over" in _text(refused).lower()
    assert _db.session.scalar(select(User).where(User.email == "p9@nieuw.example")) is None
    joined = client.post("/aanmelden/bij-een-club", data={"gemeente": "GM0344", "club": network.club_utrecht.id,
                                                          "contact_email": "p8@nieuw.example"})
    assert joined.status_code == 429  # joining counts with registering: the same limit per address and form


def test_registering_is_rate_limited_per_email_address(app, client, network, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per hour")
    for n in range(2):
        response = client.post("/aanmelden", data=_form(network, contact_email="Same@Nieuw.example"),
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
        assert response.status_code == 200
    refused = client.post("/aanmelden", data=_form(network, contact_email=" same@nieuw.example"),
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert refused.status_code == 429


# ---------------------------------------------------------------- joining an existing club

def test_joining_first_lists_the_active_clubs_of_the_chosen_gemeente(client, network):
    registrations.register_club(club_data(name="Nog Niet Goedgekeurd"), contact_data())
    start = client.get("/aanmelden/bij-een-club")
    assert start.status_code == 200 and 'name="contact_email"' not in start.get_data(as_text=True)
    listed = _text(client.get("/aanmelden/bij-een-club?gemeente=gm0344"))
    assert "VV Utrechtse Boys" in listed and "Nog Niet Goedgekeurd" not in listed
    assert 'name="contact_email"' in listed
    unknown = client.get("/aanmelden/bij-een-club?gemeente=%00GM")
    assert unknown.status_code == 200


def _join_form(network, **overrides):
    return {"gemeente": "GM0344", "club": str(network.club_utrecht.id), "contact_name": "Piet Pieters",
            "contact_function": "trainer", "contact_email": "piet@uboys.example", "contact_password": PASSWORD,
            **overrides}


def test_asking_to_join_answers_check_your_mail(client, network):
    response = client.post("/aanmelden/bij-een-club", data=_join_form(network))
    assert response.status_code == 200 and "Kijk in je mail" in _text(response)
    registration = _db.session.scalar(select(ClubRegistration))
    assert (registration.kind, registration.club_id) == ("join", network.club_utrecht.id)


@pytest.mark.parametrize("overrides, field", [({"club": ""}, "club"), ({"club": "999999"}, "club"),
                                              ({"club": "99999999999999"}, "club"),
                                              ({"contact_email": "piet"}, "contact_email")])
def test_joining_with_bad_input_answers_400_and_stores_nothing(client, network, overrides, field):
    before = _counts()
    response = client.post("/aanmelden/bij-een-club", data=_join_form(network, **overrides))
    assert response.status_code == 400 and error_of(_text(response), field)
    assert _counts() == before


def test_joining_a_club_that_waits_for_approval_is_refused(client, network):
    registrations.register_club(club_data(), contact_data())
    waiting = _db.session.scalar(select(Club).where(Club.status == "aangemeld"))
    before = _counts()
    response = client.post("/aanmelden/bij-een-club", data=_join_form(network, club=str(waiting.id)))
    assert response.status_code == 400 and "Kies een club uit de lijst" in error_of(_text(response), "club")
    assert _counts() == before


def test_the_login_page_is_not_needed_to_register(client, network):
    """Everything of registering works without an account (the pages are public)."""
    for path in ("/aanmelden", "/aanmelden/bij-een-club"):
        assert client.get(path).status_code == 200


def test_the_check_your_mail_page_says_nothing_else_about_the_address(client, network):
    page = _text(client.post("/aanmelden", data=_form(network, contact_email="anna@uboys.example")))
    assert not re.search(r"bestaat al|al in gebruik|al een account", page)
