"""Beheer makes an account for someone (e.g. the coördinatiepunt, or a loket's first coördinator); the person
chooses their own password through a mailed, single-use link that works TEAM_INVITATION_DAYS."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from loket.extensions import db as _db
from loket.models import AccountToken, NetworkChange, User
from loket.models.base import utcnow
from tests.support.account import mailed_path
from tests.support.db import count_rows
from tests.support.mails import outbox_rows, rendered

PASSWORD = "Clubkadercoach-met-koffie-2026"
NEW = {"email": "Nora@Coordinatie.example", "name": "Nora Nationaal", "role": "coordinatiepunt",
       "club": "", "loket": "", "bond": ""}


def _create(client, **changes):
    return client.post("/beheer/gebruikers/nieuw", data={**NEW, **changes})


def test_beheer_makes_an_account_and_the_person_chooses_a_password_and_is_logged_in(app, login_as, network):
    assert login_as("beheerder").get("/beheer/gebruikers/nieuw").status_code == 200
    response = _create(login_as("beheerder"))
    nora = _db.session.scalar(select(User).where(User.email == "nora@coordinatie.example"))
    assert response.status_code == 302 and response.headers["Location"] == f"/beheer/gebruikers/{nora.id}"
    assert nora.roles == {"coordinatiepunt"} and nora.email_confirmed_at is not None
    mail = rendered(outbox_rows("account_welcome", to=nora.email)[0])
    assert "Ben Beheer" in mail.text and "Landelijk coördinatiepunt" in mail.text and "7 dagen" in mail.text
    token = _db.session.scalar(select(AccountToken).where(AccountToken.user_id == nora.id))
    assert token.purpose == "set_password"
    assert token.expires_at - token.created_at == timedelta(days=app.config["TEAM_INVITATION_DAYS"])
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.user_id == nora.id))
    assert (change.field, change.actor_id) == ("membership", network.beheerder.id)

    browser = app.test_client()
    link = mailed_path("account_welcome", nora.email)
    page = browser.get(link)
    assert page.status_code == 200 and "Kies je wachtwoord" in page.get_data(as_text=True)
    chosen = browser.post(link, data={"password": PASSWORD, "password_repeat": PASSWORD})
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/"
    browser.enrol_two_factor()  # required for the coördinatiepunt before any other page
    assert browser.get("/coordinatie/opvang").status_code == 200  # logged in, as the coördinatiepunt
    assert browser.get(link).status_code == 400  # used once


def test_nobody_but_beheer_makes_accounts(login_as):
    for who in ("coordinator", "ondersteuner", "club_contact", "bondsspecialist"):
        assert _create(login_as(who)).status_code == 403
    assert count_rows(User, User.email == "nora@coordinatie.example") == 0


@pytest.mark.parametrize("changes, message", [
    ({"email": "anna@uboys.example"}, "Er bestaat al een account met dit e-mailadres."),
    ({"email": "geen-adres"}, "Vul een geldig e-mailadres in."),
    ({"name": "Nora\x00"}, "Een naam kan geen stuurtekens"),
    ({"role": "clubondersteuner"}, "hoort bij precies één loket"),
    ({"role": "club", "club": "99999999999"}, "bestaat niet"),
    ({"role": "superuser"}, "Onbekende rol"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(login_as, network, changes, message):
    users, mails = count_rows(User), len(outbox_rows())
    response = _create(login_as("beheerder"), **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert (count_rows(User), len(outbox_rows())) == (users, mails)


def test_the_link_expires_after_the_invitation_days(app, login_as, network):
    _create(login_as("beheerder"))
    _db.session.execute(update(AccountToken).values(
        expires_at=utcnow() - timedelta(minutes=1)))
    _db.session.commit()
    response = app.test_client().get(mailed_path("account_welcome", "nora@coordinatie.example"))
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)


def test_a_first_password_must_meet_the_rules_and_the_link_stays_open(app, login_as, network):
    _create(login_as("beheerder"))
    browser = app.test_client()
    link = mailed_path("account_welcome", "nora@coordinatie.example")
    weak = browser.post(link, data={"password": "aaaaaaaaaaaa", "password_repeat": "aaaaaaaaaaaa"})
    assert weak.status_code == 400
    assert browser.get(link).status_code == 200
