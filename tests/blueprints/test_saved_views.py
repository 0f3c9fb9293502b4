"""Saved queue views on the queue page (issue #14 point 4): saved from the filters, shown with their counts,
opened in one click, removed on their own page; a constant number of queries however many there are."""
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import SavedView
from loket.services.requests import saved_views
from loket.services.requests.queues import QueueFilter
from tests.factories import make_user
from tests.support.db import count_queries
from tests.support.pages import error_of
from tests.support.requests import file_request

FILTER_FIELDS = {"weergave": "team", "status": "alle", "categorie": "", "behandelaar": "niemand", "q": "",
                 "volgorde": "oudste"}


def _stored() -> int:
    return db.session.scalar(select(func.count()).select_from(SavedView))


def test_a_supporter_saves_the_queues_filters_and_opens_them_again_with_their_count(network, login_as):
    file_request(network, title="Eerste vraag")
    file_request(network, title="Tweede vraag")
    supporter = login_as("ondersteuner")
    form_page = supporter.get("/wachtrij/?status=alle&behandelaar=niemand&volgorde=oudste").get_data(as_text=True)
    assert 'name="behandelaar" type="hidden" value="niemand"' in form_page
    saved = supporter.post("/wachtrij/weergaven", data={"name": "Niet opgepakt", "team_id": "", **FILTER_FIELDS})
    assert saved.status_code == 302
    opened = urlsplit(saved.headers["Location"])
    assert opened.path == "/wachtrij/"
    assert parse_qs(opened.query) == {"weergave": ["team"], "status": ["alle"], "behandelaar": ["niemand"],
                                      "volgorde": ["oudste"]}
    page = supporter.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Weergave ‘Niet opgepakt’ bewaard." in page
    chip = page[page.index('aria-label="Opgeslagen weergaven"'):]
    assert 'aria-current="page">Niet opgepakt <span class="count-badge">(2)</span>' in chip
    # On the default queue the chip is there but not current.
    assert 'aria-current="page">Niet opgepakt' not in supporter.get("/wachtrij/").get_data(as_text=True)
    assert "Niet opgepakt" not in login_as("collega").get("/wachtrij/").get_data(as_text=True)


def test_a_view_without_a_name_or_with_a_bad_filter_is_a_dutch_400_and_nothing_is_stored(network, login_as):
    supporter = login_as("ondersteuner")
    nameless = supporter.post("/wachtrij/weergaven", data={"name": " ", "team_id": "", **FILTER_FIELDS})
    assert nameless.status_code == 400
    assert error_of(nameless.get_data(as_text=True), "view-name") == "Geef de weergave een naam."
    bad_status = supporter.post("/wachtrij/weergaven", data={"name": "Kapot", "team_id": "",
                                                             **FILTER_FIELDS, "status": "kapot"})
    assert bad_status.status_code == 400 and "Kies een bestaande status." in bad_status.get_data(as_text=True)
    long_search = supporter.post("/wachtrij/weergaven", data={"name": "Lang", "team_id": "",
                                                              **FILTER_FIELDS, "q": "woord " * 30})
    assert long_search.status_code == 400 and "Typ hooguit 100 tekens" in long_search.get_data(as_text=True)
    not_lead = supporter.post("/wachtrij/weergaven", data={"name": "Team", **FILTER_FIELDS,
                                                           "team_id": str(network.loket_utrecht.team.id)})
    assert not_lead.status_code == 403
    assert "Alleen een teamleider" in not_lead.get_data(as_text=True)
    assert _stored() == 0


def test_a_lead_saves_a_team_view_that_members_see_but_cannot_remove(network, login_as):
    lead = make_user("clubondersteuner", network.loket_utrecht, name="Lotte Lead", team_lead=True)
    db.session.commit()
    lead_client = login_as(lead)
    team_id = str(network.loket_utrecht.team.id)
    assert f'<option value="{team_id}">Voor het hele team Sportloket Utrecht</option>' in \
        lead_client.get("/wachtrij/").get_data(as_text=True)
    assert "Voor het hele team" not in login_as("ondersteuner").get("/wachtrij/").get_data(as_text=True)
    assert lead_client.post("/wachtrij/weergaven", data={"name": "Teamweergave", "team_id": team_id,
                                                         **FILTER_FIELDS}).status_code == 302
    view_id = db.session.scalar(select(SavedView.id))
    member = login_as("collega")
    listing = member.get("/wachtrij/weergaven").get_data(as_text=True)
    assert "Teamweergave" in listing and "Het team" in listing
    assert f"/wachtrij/weergaven/{view_id}/verwijderen" not in listing
    refused = member.post(f"/wachtrij/weergaven/{view_id}/verwijderen")
    assert refused.status_code == 403 and "Alleen een teamleider" in refused.get_data(as_text=True)
    assert login_as("ondersteuner_eemland").post(f"/wachtrij/weergaven/{view_id}/verwijderen").status_code == 404
    assert _stored() == 1
    assert f"/wachtrij/weergaven/{view_id}/verwijderen" in lead_client.get("/wachtrij/weergaven").get_data(
        as_text=True)
    removed = lead_client.post(f"/wachtrij/weergaven/{view_id}/verwijderen")
    assert removed.status_code == 302 and _stored() == 0


def test_the_queue_page_costs_the_same_queries_with_one_saved_view_or_eight(app, network, login_as):
    file_request(network, title="Een vraag")
    supporter = login_as("ondersteuner")
    saved_views.save(network.ondersteuner, name="Eerste", filters=QueueFilter())
    supporter.get("/wachtrij/")
    with count_queries(app) as one:
        assert supporter.get("/wachtrij/").status_code == 200
    for number, status in enumerate(("alle", "nieuw", "opgelost", "gesloten", "in_behandeling", "wacht_op_club",
                                     "doorverwezen")):
        saved_views.save(network.ondersteuner, name=f"Weergave {number}", filters=QueueFilter(status=status))
    with count_queries(app) as eight:
        page = supporter.get("/wachtrij/")
    assert page.get_data(as_text=True).count('class="count-badge"') >= 8 + 4
    assert len(eight) == len(one)
