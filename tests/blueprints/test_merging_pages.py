"""Duplicates on the pages (issue #14 point 6): "Bedoel je deze vraag?" while a club files, and a supporter merging
a duplicate from the request page."""
from loket.extensions import db
from loket.models import SupportRequest
from tests.factories import make_user
from tests.support.db import reloaded
from tests.support.requests import file_request


def test_the_new_request_form_shows_the_clubs_own_look_alikes_and_nobody_elses(network, login_as):
    open_one = file_request(network, title="Vrijwilligers voor de kantine gezocht")
    club = login_as("club_contact")
    fragment = club.get(f"/club/aanvragen/lijkt-op?club={network.club_utrecht.id}&titel=kantine+vrijwilligers")
    page = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "Bedoel je deze vraag?" in page
    assert f'href="/club/aanvragen/{open_one.id}"' in page and open_one.reference in page
    assert "Bedoel je deze vraag?" not in club.get(
        f"/club/aanvragen/lijkt-op?club={network.club_utrecht.id}&titel=subsidie+doelen").get_data(as_text=True)
    other = login_as("other_club_contact").get(
        f"/club/aanvragen/lijkt-op?club={network.club_utrecht.id}&titel=kantine+vrijwilligers")
    assert other.status_code == 200 and open_one.title not in other.get_data(as_text=True)
    hostile = club.get(f"/club/aanvragen/lijkt-op?club=abc&titel={'x' * 5000}%00&beschrijving=%00")
    assert hostile.status_code == 200 and "Bedoel je" not in hostile.get_data(as_text=True)
    form = club.get("/club/aanvragen/nieuw").get_data(as_text=True)
    assert 'id="look-alikes" aria-live="polite" data-url="/club/aanvragen/lijkt-op"' in form
    assert "js/look-alikes.js" in form


def test_a_form_sent_back_with_a_mistake_shows_the_look_alikes_without_javascript(network, login_as):
    file_request(network, title="Vrijwilligers voor de kantine gezocht")
    answer = login_as("club_contact").post("/club/aanvragen/nieuw", data={
        "club": str(network.club_utrecht.id), "category": "", "title": "Kantine vrijwilligers", "description": ""})
    assert answer.status_code == 400 and "Bedoel je deze vraag?" in answer.get_data(as_text=True)


def test_a_supporter_merges_a_duplicate_from_its_page_and_lands_on_the_request_it_went_into(network, login_as):
    second = make_user("club", network.club_utrecht, name="Bert Tweede")
    db.session.commit()
    original = file_request(network, title="Vrijwilligers gezocht")
    duplicate = file_request(network, who=second, title="Nog eens vrijwilligers")
    supporter = login_as("ondersteuner")
    page = supporter.get(f"/wachtrij/{duplicate.id}").get_data(as_text=True)
    assert f'<option value="{original.id}">{original.reference} · Vrijwilligers gezocht</option>' in page
    refused = supporter.post(f"/wachtrij/{duplicate.id}/samenvoegen", data={"into": "99999"})
    assert refused.status_code == 400 and "Kies een andere open aanvraag van dezelfde club" in refused.get_data(
        as_text=True)
    answer = supporter.post(f"/wachtrij/{duplicate.id}/samenvoegen", data={"into": str(original.id)})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/wachtrij/{original.id}"
    landed = supporter.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"{duplicate.reference} is samengevoegd met deze aanvraag" in landed
    assert f"{duplicate.reference} ging over hetzelfde" in landed
    closed = supporter.get(f"/wachtrij/{duplicate.id}").get_data(as_text=True)
    assert f'Samengevoegd met <a href="/wachtrij/{original.id}">{original.reference}</a>' in closed
    assert "samenvoegen-titel" not in closed  # closed: nothing left to merge
    club_page = login_as(second).get(f"/club/aanvragen/{duplicate.id}").get_data(as_text=True)
    assert f'<a href="/club/aanvragen/{original.id}">{original.reference}</a>. We hebben ze samengevoegd' in club_page
    assert reloaded(duplicate).merged_into_id == original.id
    assert db.session.get(SupportRequest, original.id).status == "nieuw"
