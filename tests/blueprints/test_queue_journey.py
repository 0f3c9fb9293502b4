"""Journey 2: a clubondersteuner works the queue of their own loket."""
from datetime import timedelta

from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Event
from loket.models.base import utcnow
from loket.services.requests import actions
from tests.support.lookups import category
from tests.support.requests import file_request


def _file(network, *, club=None, actor=None, slug="vrijwilligers-kader", title="Vrijwilligers gezocht",
          sport=None, now=None):
    return file_request(network, who=actor or "club_contact", club=club or "club_utrecht", category=slug,
                        sport=sport, title=title, description="Beschrijving van de vraag.", now=now)


def test_queue_shows_own_loket_requests_sorted_by_due_date(login_as, network):
    older = _file(network, title="Oudste vraag", now=utcnow() - timedelta(days=10))
    newer = _file(network, title="Nieuwste vraag")
    _file(network, club=network.club_amersfoort, actor=network.other_club_contact, title="Vraag uit Amersfoort")
    page = login_as("ondersteuner").get("/wachtrij/").get_data(as_text=True)
    assert "Oudste vraag" in page and "Nieuwste vraag" in page
    assert "Vraag uit Amersfoort" not in page
    assert page.index(older.reference) < page.index(newer.reference)
    # Filed ten days ago and unanswered: past its first-response deadline.
    assert "Te laat" in page.split(f'data-label="Kenmerk">{older.reference}')[0].rsplit("<tr", 1)[1]


def test_queue_filters_by_status_category_and_assignee(login_as, network):
    a = _file(network, title="Vraag A", slug="vrijwilligers-kader")
    b = _file(network, title="Vraag B", slug="financien-subsidies-fondsen")
    actions.claim(b, actor=network.collega)
    client = login_as("ondersteuner")

    def titles(query):
        page = client.get("/wachtrij/" + query).get_data(as_text=True)
        return {t for t in ("Vraag A", "Vraag B") if t in page}

    assert titles("") == {"Vraag A", "Vraag B"}
    assert titles(f"?categorie={category('financien-subsidies-fondsen').id}") == {"Vraag B"}
    assert titles("?status=nieuw") == {"Vraag A"}
    assert titles("?status=in_behandeling") == {"Vraag B"}
    assert titles("?behandelaar=niemand") == {"Vraag A"}
    assert titles(f"?behandelaar={network.collega.id}") == {"Vraag B"}
    assert titles("?behandelaar=ik") == set()
    assert titles(f"?behandelaar={2**64}") == set()  # no user has that id (and the database is not asked)
    assert titles("?behandelaar=²") == {"Vraag A", "Vraag B"}  # not a number: no filter, not a 500
    assert a.status == "nieuw"


def test_supporter_opens_claims_replies_notes_and_changes_status(login_as, network):
    request = _file(network)
    client = login_as("ondersteuner")
    detail = client.get(f"/wachtrij/{request.id}")
    assert detail.status_code == 200
    assert "Beschrijving van de vraag." in detail.get_data(as_text=True)
    # The supporter sees why it was routed here (an internal event).
    assert "valt onder Sportloket Utrecht" in detail.get_data(as_text=True)

    assert client.post(f"/wachtrij/{request.id}/oppakken").status_code == 302
    _db.session.refresh(request)
    assert request.assignee_id == network.ondersteuner.id
    assert request.status == "in_behandeling"

    client.post(f"/wachtrij/{request.id}/bericht", data={"body": "Interne afweging", "internal": "y"})
    client.post(f"/wachtrij/{request.id}/bericht", data={"body": "Hoi Anna, ik help je verder."})
    _db.session.refresh(request)
    assert request.first_response_at is not None

    response = client.post(f"/wachtrij/{request.id}/status", data={"status": "wacht_op_club", "version": request.version})
    assert response.status_code == 302
    _db.session.refresh(request)
    assert request.status == "wacht_op_club"
    assert request.sla_paused_at is not None

    events = _db.session.scalars(select(Event).where(Event.request_id == request.id).order_by(Event.id)).all()
    assert [(e.kind, e.is_public) for e in events] == [
        ("created", True), ("routed", False), ("assigned", False), ("status_changed", True),
        ("internal_note", False), ("public_reply", True), ("status_changed", True),
    ]


def test_club_reply_while_waiting_puts_request_back_in_progress(login_as, network):
    request = _file(network)
    actions.claim(request, actor=network.ondersteuner)
    actions.change_status(request, "wacht_op_club", actor=network.ondersteuner)
    login_as("club_contact").post(f"/club/aanvragen/{request.id}/reactie", data={"body": "Hier is de info."})
    _db.session.refresh(request)
    assert request.status == "in_behandeling"
    assert request.sla_paused_at is None


def test_invalid_status_transition_is_refused_with_message(login_as, network):
    request = _file(network)
    client = login_as("ondersteuner")
    client.post(f"/wachtrij/{request.id}/status", data={"status": "gesloten", "version": request.version})
    _db.session.refresh(request)
    response = client.post(f"/wachtrij/{request.id}/status", data={"status": "in_behandeling", "version": request.version})
    assert response.status_code == 400
    assert "geen geldige statuswijziging" in response.get_data(as_text=True)
    _db.session.refresh(request)
    assert request.status == "gesloten"


def test_stale_status_form_is_refused(login_as, network):
    request = _file(network)
    stale_version = request.version
    actions.claim(request, actor=network.collega)
    response = login_as("ondersteuner").post(
        f"/wachtrij/{request.id}/status", data={"status": "opgelost", "version": stale_version})
    assert response.status_code == 409
    assert "net gewijzigd" in response.get_data(as_text=True)
    _db.session.refresh(request)
    assert request.status == "in_behandeling"


def test_a_version_of_digits_int_refuses_is_no_500(login_as, network):
    request = _file(network)
    response = login_as("ondersteuner").post(f"/wachtrij/{request.id}/status",
                                             data={"status": "in_behandeling", "version": "²"})
    assert response.status_code < 500


def test_second_claim_gets_clear_message(login_as, network):
    request = _file(network)
    login_as("collega").post(f"/wachtrij/{request.id}/oppakken")
    response = login_as("ondersteuner").post(f"/wachtrij/{request.id}/oppakken")
    assert response.status_code == 409
    assert "al opgepakt door Cees Collega" in response.get_data(as_text=True)
    _db.session.refresh(request)
    assert request.assignee_id == network.collega.id
    assert _db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == "assigned")) == 1


def test_unclaim_returns_request_to_team(login_as, network):
    request = _file(network)
    client = login_as("ondersteuner")
    client.post(f"/wachtrij/{request.id}/oppakken")
    assert client.post(f"/wachtrij/{request.id}/teruggeven").status_code == 302
    _db.session.refresh(request)
    assert request.assignee_id is None
    # Only the assignee can give it back.
    client.post(f"/wachtrij/{request.id}/oppakken")
    assert login_as("collega").post(f"/wachtrij/{request.id}/teruggeven").status_code == 409


def test_empty_message_is_refused_and_nothing_stored(login_as, network):
    request = _file(network)
    response = login_as("ondersteuner").post(f"/wachtrij/{request.id}/bericht", data={"body": ""})
    assert response.status_code == 400
    assert "Schrijf een bericht." in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(Event)) == 2


def test_other_loket_gets_404_everywhere(login_as, network):
    request = _file(network)
    other = login_as("ondersteuner_eemland")
    assert request.reference not in other.get("/wachtrij/").get_data(as_text=True)
    assert other.get(f"/wachtrij/{request.id}").status_code == 404
    for action, data in (("oppakken", {}), ("teruggeven", {}), ("bericht", {"body": "x"}),
                         ("status", {"status": "opgelost"})):
        assert other.post(f"/wachtrij/{request.id}/{action}", data=data).status_code == 404
    _db.session.refresh(request)
    assert request.assignee_id is None and request.status == "nieuw"


def test_club_contact_and_bond_cannot_open_loket_request(login_as, network):
    request = _file(network)
    assert login_as("club_contact").get(f"/wachtrij/{request.id}").status_code == 403
    assert login_as("bondsspecialist").get(f"/wachtrij/{request.id}").status_code == 404


def test_bond_specialist_works_sport_specific_request(login_as, network):
    request = _file(network, slug="sporttechnisch-competitie", sport=network.voetbal, title="Competitie-indeling")
    assert request.owner_team.bond_id == network.knvb.id
    client = login_as("bondsspecialist")
    assert "Competitie-indeling" in client.get("/wachtrij/").get_data(as_text=True)
    assert client.post(f"/wachtrij/{request.id}/oppakken").status_code == 302
    assert login_as("ondersteuner").get(f"/wachtrij/{request.id}").status_code == 404


def test_queue_actions_need_csrf_token(login_as, network):
    request = _file(network)
    client = login_as("ondersteuner")
    assert client.post(f"/wachtrij/{request.id}/oppakken", csrf=False).status_code == 400
    assert client.post(f"/wachtrij/{request.id}/bericht", data={"body": "x"}, csrf=False).status_code == 400
    _db.session.refresh(request)
    assert request.assignee_id is None


def test_fallback_queue_shows_metadata_only(login_as, network):
    request = _file(network, club=network.club_zeist, actor=network.zeist_contact,
                    title="ZEER-GEHEIME-TITEL")
    assert request.owner_team.kind == "fallback"
    page = login_as("coordinator").get("/coordinatie/opvang").get_data(as_text=True)
    assert request.reference in page and "Zeist" in page
    assert "ZEER-GEHEIME-TITEL" not in page and "Beschrijving van de vraag." not in page
    assert login_as("ondersteuner").get("/coordinatie/opvang").status_code == 403


def test_ids_beyond_a_database_integer_are_404(login_as, network):
    client = login_as("ondersteuner")
    assert client.get("/wachtrij/99999999999").status_code == 404
    assert login_as("club_contact").get("/club/aanvragen/99999999999").status_code == 404
