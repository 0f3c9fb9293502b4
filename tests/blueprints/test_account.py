"""Every logged-in user chooses whether to receive non-essential notifications."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import User
from loket.services.messaging import notifications
from loket.services.network import account as account_service
from tests.support.requests import file_request

URL = "/account/"
SAVE = "/account/meldingen"


def _checked(page):
    tag = re.search(r'<input[^>]*name="notify_optional"[^>]*>', page).group(0)
    return "checked" in tag


def _stored(user):
    _db.session.expire_all()
    return _db.session.get(User, user.id).notify_optional


def test_every_notification_has_a_dutch_description_and_an_audience():
    assert set(account_service.NOTIFICATIONS) == notifications.ESSENTIAL | notifications.OPTIONAL
    for label, roles in account_service.NOTIFICATIONS.values():
        assert label and roles


def test_club_contact_sees_which_mails_are_essential(login_as, network):
    page = login_as("club_contact").get(URL).get_data(as_text=True)
    essential, optional = page.split("Essentiële meldingen")[1].split("Niet-essentiële meldingen")
    assert "De bevestiging dat je aanvraag is ontvangen" in essential
    assert "Een reactie van het loket of de bond op je aanvraag" in essential
    assert "De vraag hoe tevreden je bent" in optional
    assert "wachtrij van je team" not in page  # supporters' notices are not the club's business
    assert "Ook niet-essentiële meldingen ontvangen" in page and _checked(page)
    assert 'href="/account/"' in page  # the nav link


def test_supporter_sees_the_team_notices(login_as, network):
    page = login_as("ondersteuner").get(URL).get_data(as_text=True)
    assert "Een nieuwe aanvraag in de wachtrij van je team" in page
    assert "Een aanvraag die aan je team wordt doorverwezen" in page
    assert "je aanvraag is ontvangen" not in page


def test_beheer_gets_no_notifications_and_is_told_so(login_as, network):
    page = login_as("beheerder").get(URL).get_data(as_text=True)
    assert "Met je huidige rol stuurt Loket je geen e-mailmeldingen." in page


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "coordinator", "beheerder"])
def test_any_user_turns_optional_notifications_off_and_on(login_as, network, who):
    client = login_as(who)
    user = getattr(network, who)
    response = client.post(SAVE, data={})  # an unticked checkbox is not posted
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert _stored(user) is False
    page = client.get(URL).get_data(as_text=True)
    assert not _checked(page) and "je krijgt alleen nog essentiële meldingen" in page
    client.post(SAVE, data={"notify_optional": "y"})
    assert _stored(user) is True
    assert _checked(client.get(URL).get_data(as_text=True))


def test_the_preference_changes_who_is_mailed(login_as, network):
    from sqlalchemy import select

    from loket.models import OutboxMessage


    login_as("ondersteuner").post(SAVE, data={})
    file_request(network, category="overig", title="Vraag", description="Tekst")
    payloads = _db.session.scalars(select(OutboxMessage.payload).where(OutboxMessage.name == "new_in_queue"))
    to = {payload["to"] for payload in payloads}
    assert network.collega.email in to and network.ondersteuner.email not in to


def test_saving_without_csrf_token_is_rejected(login_as, network):
    response = login_as("club_contact").post(SAVE, data={}, csrf=False)
    assert response.status_code == 400
    assert _stored(network.club_contact) is True


def test_anonymous_is_sent_to_login(client, network):
    for response in (client.get(URL), client.post(SAVE, data={})):
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert 'href="/account/"' not in client.get("/").get_data(as_text=True)


def test_service_stores_the_choice(network):
    account_service.set_optional_notifications(network.zeist_contact, False)
    assert _stored(network.zeist_contact) is False
