"""A form that creates something stores once, however often it is submitted (issue #13 point 7).

Every such form carries a one-time token (issued when the page is rendered); the second submit of a token
stores nothing and lands where the first did, with "Dit was al verstuurd." — also when both arrive at once.
"""
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Collaborator, Event, FormToken, Referral, SupportRequest
from loket.services import form_tokens
from loket.services.requests import actions
from tests.support.requests import file_request, request_form

ALREADY_SENT = "Dit was al verstuurd."
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def tokens_of(page: str, action: str) -> list[str]:
    """The form tokens of the page's forms that post to `action` (a form without action posts to its own
    page: pass that page's path), in page order."""
    found = []
    for attributes, inner in FORM.findall(page):
        form_action = re.search(r'\baction="([^"]*)"', attributes)
        if form_action is None or unescape(form_action.group(1)).split("?")[0] in ("", action):
            if form_action is None and 'method="post"' not in attributes.lower():
                continue
            match = re.search(r'name="form_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_token"', inner)
            assert match, f"the form posting to {action} has no form token"
            found.append(match.group(1) or match.group(2))
    assert found, f"no form posts to {action}"
    return found


def count(model, *where):
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def submit_twice(client, page_url, action, data, *, index=0):
    """Open the page, submit one of its forms twice with the same token; both answers."""
    token = tokens_of(client.get(page_url).get_data(as_text=True), action)[index]
    first = client.post(action, data={**data, "form_token": token})
    assert first.status_code == 302, first.get_data(as_text=True)[:500]
    second = client.post(action, data={**data, "form_token": token})
    return first, second


def assert_landed_where_the_first_did(client, first, second):
    assert second.status_code == 302 and second.location == first.location
    assert ALREADY_SENT in client.get(second.location).get_data(as_text=True)


def test_a_club_contacts_new_request_and_reply_are_stored_once(login_as, network):
    client = login_as("club_contact")
    first, second = submit_twice(client, "/club/aanvragen/nieuw", "/club/aanvragen/nieuw", request_form(network))
    assert count(SupportRequest) == 1
    assert_landed_where_the_first_did(client, first, second)

    request_id = _db.session.scalars(select(SupportRequest.id)).one()
    page = f"/club/aanvragen/{request_id}"
    first, second = submit_twice(client, page, f"{page}/reactie", {"body": "Nog een vraag"})
    assert count(Event, Event.body == "Nog een vraag") == 1
    assert_landed_where_the_first_did(client, first, second)


def test_a_supporters_reply_note_contact_moment_referral_and_invitation_are_stored_once(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    page, base = f"/wachtrij/{request.id}", f"/wachtrij/{request.id}"
    for index, body in ((0, "Antwoord aan de club"), (1, "Interne notitie")):  # reply form, then note form
        data = {"body": body, **({"internal": "y"} if index else {})}
        first, second = submit_twice(client, page, f"{base}/bericht", data, index=index)
        assert count(Event, Event.body == body) == 1
        assert_landed_where_the_first_did(client, first, second)

    first, second = submit_twice(client, page, f"{base}/contactmoment",
                                 {"channel": "telefoon", "summary": "Gebeld over de subsidie"})
    assert count(Event, Event.kind == "contact_moment") == 1
    assert_landed_where_the_first_did(client, first, second)

    first, second = submit_twice(client, page, f"{base}/inschakelen", {"team": str(network.knvb.team.id)})
    assert count(Collaborator) == 1
    assert_landed_where_the_first_did(client, first, second)

    first, second = submit_twice(client, page, f"{base}/doorverwijzen",
                                 {"team": str(network.loket_eemland.team.id), "reason": "Hoort bij Eemland"})
    assert count(Referral) == 1
    assert second.status_code == 302 and second.location == first.location


def test_filing_on_a_clubs_behalf_is_stored_once(login_as, network):
    client = login_as("ondersteuner")
    club = network.club_utrecht
    contact = club.contacts[0] if club.contacts else None
    data = {"club": str(club.id), "channel": "telefoon", "category": str(request_form(network)["category"]),
            "title": "Vraag per telefoon", "description": "Gebeld over vrijwilligers"}
    data |= {"contact": str(contact.id)} if contact else {"contact": "nieuw", "contact_name": "Piet Contact",
                                                            "contact_phone": "0301234567"}
    first, second = submit_twice(client, f"/wachtrij/nieuw?club={club.id}", "/wachtrij/nieuw", data)
    assert count(SupportRequest) == 1
    assert second.location == first.location


def test_two_submits_at_the_same_moment_store_once(app, login_as, network, monkeypatch):
    """The second submit arrives while the first is being handled (before it wrote anything): both run, the
    unique token lets the one that commits first win, the other stores nothing and is sent on."""
    request = file_request(network)
    client = login_as("club_contact")
    page = f"/club/aanvragen/{request.id}"
    token = tokens_of(client.get(page).get_data(as_text=True), f"{page}/reactie")[0]
    data = {"body": "Dubbel geklikt", "form_token": token}
    original, answers, started = actions.add_message, [], []

    def racing(*args, **kwargs):
        if not started:
            started.append(True)
            answers.append(client.post(f"{page}/reactie", data=data))  # the other click, in its own request
        return original(*args, **kwargs)

    monkeypatch.setattr(actions, "add_message", racing)
    first = client.post(f"{page}/reactie", data=data)
    assert answers and answers[0].status_code == 302 and first.status_code == 302
    assert first.location == answers[0].location
    assert count(Event, Event.body == "Dubbel geklikt") == 1 and count(FormToken) == 1
    assert ALREADY_SENT in client.get(first.location).get_data(as_text=True)


def test_a_refused_submit_keeps_its_token_and_a_submit_without_token_still_works(login_as, network):
    client = login_as("club_contact")
    token = tokens_of(client.get("/club/aanvragen/nieuw").get_data(as_text=True), "/club/aanvragen/nieuw")[0]
    refused = client.post("/club/aanvragen/nieuw", data={**request_form(network, title=""), "form_token": token})
    assert refused.status_code == 400 and count(SupportRequest) == 0 and count(FormToken) == 0
    assert client.post("/club/aanvragen/nieuw",
                       data={**request_form(network), "form_token": token}).status_code == 302
    assert client.post("/club/aanvragen/nieuw", data=request_form(network)).status_code == 302  # no token
    assert count(SupportRequest) == 2


def test_a_token_is_new_at_every_render_and_someone_elses_token_is_not_theirs(login_as, network):
    client = login_as("club_contact")
    pages = [client.get("/club/aanvragen/nieuw").get_data(as_text=True) for _ in range(2)]
    first, second = (tokens_of(p, "/club/aanvragen/nieuw")[0] for p in pages)
    assert first != second and form_tokens.is_token(first)
    client.post("/club/aanvragen/nieuw", data={**request_form(network), "form_token": first})
    other = login_as("other_club_contact")
    assert form_tokens.location_of(first, user_id=network.other_club_contact.id) is None
    assert form_tokens.location_of(first, user_id=network.club_contact.id) is not None
    assert other is not None


@pytest.mark.parametrize("path", ["/club/aanvragen/nieuw"])
def test_the_form_token_field_has_no_id_so_pages_with_many_forms_keep_unique_ids(login_as, network, path):
    page = login_as("club_contact").get(path).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="form_token"', page) and 'id="form_token"' not in page


def test_the_other_forms_that_create_something_store_once(app, login_as, lead, network):
    """One walk over the forms outside the request pages: each is submitted twice with one token."""
    from loket.models import Category, ClubContact, ClubRegistration, TeamInvitation

    club = network.club_utrecht
    cases = [
        ("lead", "/team/loket/utrecht", "/team/loket/utrecht/uitnodigen", {"email": "nieuw@loket.example"},
         lambda: count(TeamInvitation, TeamInvitation.email == "nieuw@loket.example")),
        ("club_contact", f"/clubs/{club.id}/contactpersonen/nieuw", f"/clubs/{club.id}/contactpersonen",
         {"name": "Tweede Persoon", "email": "tweede@uboys.example", "phone": ""},
         lambda: count(ClubContact, ClubContact.email == "tweede@uboys.example")),
        ("beheerder", "/beheer/categorieen", "/beheer/categorieen",
         {"name": "Vitaliteit", "scope": "generiek", "slug": ""}, lambda: count(Category, Category.name == "Vitaliteit")),
    ]
    for who, page, action, data, stored in cases:
        client = login_as(lead if who == "lead" else who)
        first, second = submit_twice(client, page, action, data)
        assert stored() == 1, action
        assert_landed_where_the_first_did(client, first, second)

    # Registering a club (no account yet): the page is answered, not redirected; a repeat goes back to the form.
    visitor = app.test_client()
    token = tokens_of(visitor.get("/aanmelden").get_data(as_text=True), "/aanmelden")[0]
    data = {"club_name": "FC Nieuwegein-Noord", "club_kind": "vereniging", "club_gemeente": "GM0344",
            "club_sports": [str(network.voetbal.id)], "club_kvk": "", "contact_name": "Noor Nieuw",
            "contact_function": "", "contact_email": "noor@nieuw.example", "contact_password": "een lang wachtwoord 7",
            "form_token": token}
    first = visitor.post("/aanmelden", data=data)
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    second = visitor.post("/aanmelden", data=data)
    assert second.status_code == 302 and second.location == "/aanmelden"
    assert count(ClubRegistration) == 1
    assert ALREADY_SENT in visitor.get(second.location).get_data(as_text=True)


def test_a_page_that_created_something_answers_even_if_the_database_goes_away_after_the_commit(login_as, network):
    """No 'ghost' 500 on pages either: the redirect to the new request is built before the commit."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    client = login_as("club_contact")
    state = {"wrote": False, "gone": False}

    def after_flush(session, context):
        state["wrote"] |= any(isinstance(row, SupportRequest) for row in session.new)

    def after_commit(session):
        state["gone"] |= state["wrote"]

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if state["gone"]:
            raise ConnectionError("the database went away after the commit")

    event.listen(Session, "after_flush", after_flush)
    event.listen(Session, "after_commit", after_commit)
    event.listen(_db.engine, "before_cursor_execute", before_execute)
    try:
        answer = client.post("/club/aanvragen/nieuw", data=request_form(network))
    finally:
        event.remove(_db.engine, "before_cursor_execute", before_execute)
        event.remove(Session, "after_commit", after_commit)
        event.remove(Session, "after_flush", after_flush)
    assert state["gone"] and answer.status_code == 302, answer.get_data(as_text=True)[:300]
    stored = _db.session.scalars(select(SupportRequest)).one()
    assert answer.location == f"/club/aanvragen/{stored.id}/ontvangen"


def test_the_forms_of_beheer_the_coordinatiepunt_the_bond_and_the_club_import_store_once(app, login_as, network):
    """Adding a role or a sport, publishing a criteria version, proposing agreements and uploading a CSV for its
    preview: each submitted twice with one token stores once and lands where the first did."""
    import io

    from loket.models import BondAgreement, ClubImport, CriteriaSet, Membership, NetworkChange, OutboxMessage, Sport
    from tests.support.pages import form_values
    from tests.support.teams import knvb_lead

    person = network.other_club_contact
    user_page = f"/beheer/gebruikers/{person.id}"
    beheer = login_as("beheerder")
    data = {**form_values(beheer.get(user_page).get_data(as_text=True), f"{user_page}/rollen"),
            "role": "clubondersteuner", "loket": network.loket_utrecht.slug}
    first, second = beheer.post(f"{user_page}/rollen", data=data), beheer.post(f"{user_page}/rollen", data=data)
    assert count(Membership, Membership.user_id == person.id, Membership.role == "clubondersteuner") == 1
    assert_landed_where_the_first_did(beheer, first, second)

    bond_page = f"/beheer/bonden/{network.knvb.key}"
    data = {**form_values(beheer.get(bond_page).get_data(as_text=True), f"{bond_page}/sporten"),
            "sport": "", "new_sport": "Zaalvoetbal"}
    first, second = beheer.post(f"{bond_page}/sporten", data=data), beheer.post(f"{bond_page}/sporten", data=data)
    assert count(Sport, Sport.name == "Zaalvoetbal") == 1
    assert_landed_where_the_first_did(beheer, first, second)

    coordinator = login_as("coordinator")
    data = {**form_values(coordinator.get("/kwaliteit/criteria/nieuw").get_data(as_text=True), "/kwaliteit/criteria"),
            "version": "2027.1", "valid_from": "2027-01-01"}
    assert "form_token" in data
    first = coordinator.post("/kwaliteit/criteria", data=data)
    second = coordinator.post("/kwaliteit/criteria", data=data)
    assert count(CriteriaSet, CriteriaSet.version == "2027.1") == 1
    assert_landed_where_the_first_did(coordinator, first, second)

    bond_lead = login_as(knvb_lead(network))
    page = bond_lead.get("/afspraken/knvb/voorstel").get_data(as_text=True)
    data = {**form_values(page, "/afspraken/knvb/voorstel"), "categorie-sociaal-veilige-sport": "bond"}
    first = bond_lead.post("/afspraken/knvb/voorstel", data=data)
    after_first = (count(BondAgreement), count(NetworkChange), count(OutboxMessage))
    second = bond_lead.post("/afspraken/knvb/voorstel", data=data)
    assert after_first[0] > 0 and (count(BondAgreement), count(NetworkChange), count(OutboxMessage)) == after_first
    assert_landed_where_the_first_did(bond_lead, first, second)

    supporter = login_as("ondersteuner")
    token = tokens_of(supporter.get("/werkgebied/import").get_data(as_text=True), "/werkgebied/import")[0]
    csv = "naam;soort;gemeentecode;sporten;kvk\nSV Dubbel;vereniging;GM0344;voetbal;\n".encode()

    def upload():
        return supporter.post("/werkgebied/import", content_type="multipart/form-data",
                              data={"file": (io.BytesIO(csv), "clubs.csv"), "form_token": token})

    first, second = upload(), upload()
    assert first.status_code == 303 and count(ClubImport) == 1
    assert second.status_code == 302 and second.location == first.location
    assert ALREADY_SENT in supporter.get(second.location).get_data(as_text=True)
