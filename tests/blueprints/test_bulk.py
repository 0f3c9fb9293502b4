"""Bulk work on the queue page (issue #14 point 5): the rows' checkboxes and one action; back to the same queue
with what went through and what did not; a selection of 10,000 is a Dutch 400 and changes nothing."""
import re

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Event
from tests.support.db import reloaded
from tests.support.requests import file_request


def test_the_queue_offers_a_checkbox_per_request_carrying_the_version_it_shows(network, login_as):
    request = file_request(network)
    page = login_as("ondersteuner").get("/wachtrij/?status=alle").get_data(as_text=True)
    assert f'name="ids" value="{request.id}.{request.version}" form="bulk-form"' in page
    assert re.search(r'<form method="post" action="/wachtrij/bulk\?status=alle" id="bulk-form"', page)


def test_a_supporter_claims_several_requests_at_once_and_returns_to_the_same_queue(network, login_as):
    mine = [file_request(network, title=f"Vraag {number}") for number in range(3)]
    elsewhere = file_request(network, who="other_club_contact", club="club_amersfoort", title="Van Eemland")
    supporter = login_as("ondersteuner")
    answer = supporter.post("/wachtrij/bulk?status=alle&volgorde=oudste&evil=https://example.com", data={
        "action": "oppakken", "assignee": "", "status": "",
        "ids": [f"{r.id}.{r.version}" for r in mine] + [f"{elsewhere.id}.{elsewhere.version}"]})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/wachtrij/?status=alle&volgorde=oudste"
    page = supporter.get(answer.headers["Location"]).get_data(as_text=True)
    assert "3 aanvragen opgepakt: " + ", ".join(r.reference for r in mine) + "." in page
    assert f"Niet gelukt bij 1: nummer {elsewhere.id}: Bestaat niet of je hebt er geen toegang toe." in page
    assert all(reloaded(r).assignee_id == network.ondersteuner.id for r in mine)
    assert reloaded(elsewhere).assignee_id is None


def test_ten_thousand_ids_are_a_dutch_400_and_nothing_changes(network, login_as):
    request = file_request(network)
    events = db.session.scalar(select(func.count()).select_from(Event))
    answer = login_as("ondersteuner").post("/wachtrij/bulk", data={
        "action": "oppakken", "ids": [str(request.id)] + [str(number) for number in range(2, 10_001)]})
    assert answer.status_code == 400
    assert "Kies hooguit 100 aanvragen tegelijk (nu 10000)." in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == events
    assert reloaded(request).assignee_id is None


def test_without_an_action_or_a_choice_the_queue_says_what_is_missing(network, login_as):
    request = file_request(network)
    supporter = login_as("ondersteuner")
    no_action = supporter.post("/wachtrij/bulk", data={"action": "", "ids": [str(request.id)]})
    assert no_action.status_code == 400
    assert "Kies wat er met de aanvragen moet gebeuren." in no_action.get_data(as_text=True)
    nothing_chosen = supporter.post("/wachtrij/bulk", data={"action": "oppakken"})
    assert nothing_chosen.status_code == 400
    assert "Kies eerst een of meer aanvragen." in nothing_chosen.get_data(as_text=True)
    assert reloaded(request).assignee_id is None
