"""Journey 1: a club contact files a request, gets a reference, follows it and replies."""
import re

import pytest
from sqlalchemy import select

from loket.models import Event, SupportRequest
from tests.support.db import count_rows
from tests.support.lookups import category_id
from tests.support.requests import request_form


def _count(db, model):
    return count_rows(model)


def _file(client, db, network, **overrides):
    return client.post("/club/aanvragen/nieuw", data={**request_form(network), **overrides})


def test_club_contact_files_request_and_gets_reference(login_as, db, network):
    client = login_as("club_contact")
    form = client.get("/club/aanvragen/nieuw")
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.get_data(as_text=True)

    response = _file(client, db, network)
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"])
    page = confirmation.get_data(as_text=True)
    reference = re.search(r"LK-\d{4}-\d{6}", page).group(0)
    stored = db.session.scalar(select(SupportRequest).where(SupportRequest.reference == reference))
    assert stored.title == "Hulp bij werven van vrijwilligers"
    assert stored.status == "nieuw"
    assert stored.owner_team.loket_id == network.loket_utrecht.id
    assert stored.requester_id == network.club_contact.id
    assert "Sportloket Utrecht" in page


def test_references_count_up_per_year(login_as, db, network):
    client = login_as("club_contact")
    _file(client, db, network)
    _file(client, db, network, title="Tweede vraag")
    references = db.session.scalars(select(SupportRequest.reference).order_by(SupportRequest.id)).all()
    year = references[0][3:7]
    assert references == [f"LK-{year}-000001", f"LK-{year}-000002"]


def test_club_sees_list_detail_public_timeline_and_replies(login_as, db, network):
    client = login_as("club_contact")
    _file(client, db, network)
    request = db.session.scalar(select(SupportRequest))

    listing = client.get("/club/aanvragen").get_data(as_text=True)
    assert request.reference in listing and "Ontvangen" in listing  # the club's word for "nieuw"

    detail = client.get(f"/club/aanvragen/{request.id}")
    assert detail.status_code == 200
    text = detail.get_data(as_text=True)
    assert "We zoeken drie nieuwe jeugdtrainers" in text
    assert "Aanvraag ingediend" in text
    # The routing explanation is an internal event: the club does not see it.
    assert "valt onder" not in text

    reply = client.post(f"/club/aanvragen/{request.id}/reactie", data={"body": "Aanvulling: ook een scheidsrechter."})
    assert reply.status_code == 302
    assert "Aanvulling: ook een scheidsrechter." in client.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    kinds = db.session.scalars(select(Event.kind).where(Event.request_id == request.id).order_by(Event.id)).all()
    assert kinds == ["created", "routed", "public_reply"]


def test_club_never_sees_internal_notes(login_as, db, network):
    club = login_as("club_contact")
    _file(club, db, network)
    request = db.session.scalar(select(SupportRequest))
    supporter = login_as("ondersteuner")
    supporter.post(f"/wachtrij/{request.id}/bericht", data={"body": "GEHEIM: penningmeester is lastig", "internal": "y"})
    supporter.post(f"/wachtrij/{request.id}/bericht", data={"body": "We bellen je morgen."})
    page = club.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "We bellen je morgen." in page
    assert "GEHEIM" not in page


def test_other_club_gets_404(login_as, db, network):
    _file(login_as("club_contact"), db, network)
    request = db.session.scalar(select(SupportRequest))
    other = login_as("other_club_contact")
    assert other.get(f"/club/aanvragen/{request.id}").status_code == 404
    assert other.get(f"/club/aanvragen/{request.id}/ontvangen").status_code == 404
    assert other.post(f"/club/aanvragen/{request.id}/reactie", data={"body": "hallo"}).status_code == 404
    assert request.reference not in other.get("/club/aanvragen").get_data(as_text=True)
    assert _count(db, Event) == 2  # nothing added by the other club


@pytest.mark.parametrize("overrides, field_message", [
    ({"title": ""}, "Geef je vraag een korte titel."),
    ({"title": "x" * 201}, "De titel mag maximaal 200 tekens lang zijn"),
    ({"description": "   "}, "Beschrijf je vraag."),
    ({"description": "x" * 10001}, "De beschrijving mag maximaal 10000 tekens lang zijn"),
    ({"category": "999999"}, "Kies een van de categorieën uit de lijst."),
    ({"category": "geen-getal"}, "Kies een van de categorieën uit de lijst."),
    ({"sport": "999999"}, "Deze sport kennen we niet"),
])
def test_bad_input_shows_dutch_message_and_stores_nothing(login_as, db, network, overrides, field_message):
    client = login_as("club_contact")
    response = _file(client, db, network, **overrides)
    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert _count(db, SupportRequest) == 0
    assert _count(db, Event) == 0


def test_sport_specific_category_needs_a_sport(login_as, db, network):
    client = login_as("club_contact")
    response = _file(client, db, network, category=category_id("sporttechnisch-competitie"))
    assert response.status_code == 400
    assert "hoort een sport" in response.get_data(as_text=True)
    assert _count(db, SupportRequest) == 0


def test_sport_with_generic_category_is_refused(login_as, db, network):
    client = login_as("club_contact")
    response = _file(client, db, network, sport=network.voetbal.id)
    assert response.status_code == 400
    assert "geen sportspecifieke categorie" in response.get_data(as_text=True)
    assert _count(db, SupportRequest) == 0


def test_deactivated_category_cannot_be_chosen(login_as, db, network):
    from loket.models import Category
    category = db.session.scalar(select(Category).where(Category.slug == "overig"))
    category.active = False
    db.session.commit()
    client = login_as("club_contact")
    assert "Overig" not in client.get("/club/aanvragen/nieuw").get_data(as_text=True)
    response = _file(client, db, network, category=category.id)
    assert response.status_code == 400
    assert _count(db, SupportRequest) == 0


def test_filing_for_a_club_you_are_not_a_member_of_is_404(login_as, db, network):
    """The same answer as an unknown club: the form does not tell which clubs exist."""
    client = login_as("club_contact")
    response = _file(client, db, network, club=network.club_amersfoort.id)
    assert response.status_code == 404
    assert "HC Amersfoort" not in response.get_data(as_text=True)
    assert _count(db, SupportRequest) == 0


def test_filing_for_an_unknown_club_is_404(login_as, db, network):
    client = login_as("club_contact")
    assert _file(client, db, network, club=987654).status_code == 404
    assert _count(db, SupportRequest) == 0


def test_empty_reply_is_refused(login_as, db, network):
    client = login_as("club_contact")
    _file(client, db, network)
    request = db.session.scalar(select(SupportRequest))
    response = client.post(f"/club/aanvragen/{request.id}/reactie", data={"body": "  "})
    assert response.status_code == 400
    assert "Schrijf een bericht." in response.get_data(as_text=True)
    assert _count(db, Event) == 2


def test_form_post_without_csrf_token_is_rejected(login_as, db, network):
    client = login_as("club_contact")
    response = client.post("/club/aanvragen/nieuw", csrf=False, data={
        "club": network.club_utrecht.id, "category": category_id("overig"),
        "title": "Zonder token", "description": "Dit mag niet lukken.",
    })
    assert response.status_code == 400
    assert "formulier is verlopen" in response.get_data(as_text=True)
    assert _count(db, SupportRequest) == 0


def test_supporters_cannot_use_club_pages(login_as):
    assert login_as("ondersteuner").get("/club/aanvragen").status_code == 403
    assert login_as("coordinator").get("/club/aanvragen/nieuw").status_code == 403


def test_anonymous_is_sent_to_login(client, network):
    response = client.get("/club/aanvragen")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
