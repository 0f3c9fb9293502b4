"""Issue #11's "done when", over HTTP as each person clicks it: beheer sets up a new loket for two gemeenten and
appoints a lead; the lead invites a colleague, fills in the public page and confirms it; once the loket is
operational the fallback requests of those gemeenten move to it; the colleague files a request for a club that
phoned; and the overview's counts of gemeenten covered and loketten aangehaakt change accordingly."""
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Loket, SupportRequest, User
from loket.models.base import today_in_amsterdam
from loket.services.quality.overview import national_overview
from tests.factories import ClubContactFactory, ClubFactory, GemeenteFactory, make_user
from tests.support.account import mailed_path
from tests.support.lookups import category_id
from tests.support.mails import outbox_rows
from tests.support.pages import form_values
from tests.support.requests import file_request

PASSWORD = "Ledenvergadering-in-de-kantine-26"


def _accept(app, email: str, name: str):
    """The invitee opens the mailed link in a fresh browser and sets a name and password."""
    browser = app.test_client()
    link = mailed_path("team_invitation", to=email)
    assert browser.get(link).status_code == 200
    response = browser.post(link, data={"name": name, "password": PASSWORD, "password_repeat": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def _targets():
    targets = national_overview().targets
    return targets.gemeenten_covered, targets.loketten_aangehaakt


def test_beheer_sets_up_a_loket_whose_team_runs_it_and_the_national_picture_moves(app, login_as, network):
    houten = GemeenteFactory(code="GM0321", name="Houten")
    club_houten = ClubFactory(name="MHC Houten", gemeente=houten)
    houten_contact = make_user("club", club_houten, name="Hanna Houten")
    _db.session.commit()
    waiting = [file_request(network, who="zeist_contact", club="club_zeist"),
               file_request(network, who=houten_contact, club=club_houten)]
    assert {request.owner_team.kind for request in waiting} == {"fallback"}
    covered_before, aangehaakt_before = _targets()

    # Beheer sets up the loket for two gemeenten and appoints its lead by invitation.
    beheer = login_as("beheerder")
    response = beheer.post("/netwerk/loketten/nieuw", data={
        "name": "Sportloket Kromme Rijn", "slug": "kromme-rijn", "status": "in_oprichting",
        "gemeenten": "GM0355\nGM0321"})
    assert response.status_code == 302, response.get_data(as_text=True)
    loket = _db.session.scalar(select(Loket).where(Loket.slug == "kromme-rijn"))
    assert sorted(g.code for g in loket.gemeenten) == ["GM0321", "GM0355"]
    assert beheer.post("/team/loket/kromme-rijn/uitnodigen", data={
        "email": "lies@krommerijn.example", "name": "Lies Lead", "team_lead": "y"}).status_code == 302

    # The lead accepts, invites a colleague, fills in the public page and confirms it.
    lead = _accept(app, "lies@krommerijn.example", "Lies Lead")
    lead.enrol_two_factor()  # a team lead turns on two-factor authentication before anything else
    assert lead.post("/team/loket/kromme-rijn/uitnodigen", data={"email": "kees@krommerijn.example"}
                     ).status_code == 302
    colleague = _accept(app, "kees@krommerijn.example", "Kees Collega")
    team_page = lead.get("/team/loket/kromme-rijn").get_data(as_text=True)
    assert "Lies Lead" in team_page and "Kees Collega" in team_page
    details = f"/kwaliteit/ons-loket/{loket.id}/gegevens"
    response = lead.post(details, data={
        "email": "hallo@krommerijn.example", "phone": "030 000 00 00", "address": "Plein 1, 3991 AA Houten",
        "opening_hours": "ma–vr 9:00–17:00", "url": "https://www.krommerijn.example", "reviewed": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    _db.session.refresh(loket)
    assert loket.contact_reviewed_at is not None and loket.email == "hallo@krommerijn.example"
    assert "hallo@krommerijn.example" in app.test_client().get("/loketten/kromme-rijn").get_data(as_text=True)

    # Beheer makes it operational and aangehaakt: the waiting fallback requests move to it.
    edit = "/netwerk/loketten/kromme-rijn/bewerken"
    data = form_values(beheer.get(edit).get_data(as_text=True), edit)
    data.update(status="operationeel", aangehaakt="y", aangehaakt_at=today_in_amsterdam().isoformat())
    assert beheer.post(edit, data=data).status_code == 302
    for request in waiting:
        _db.session.refresh(request)
        assert request.owner_team_id == loket.team.id
        assert request.events[-1].kind == "moved"
    assert outbox_rows("request_moved", to=network.zeist_contact.email)
    assert "Sportloket Kromme Rijn" in beheer.get("/netwerk/loketten/kromme-rijn").get_data(as_text=True)

    # The colleague sees them in the queue and files a request for a club that phoned.
    queue = colleague.get("/wachtrij/").get_data(as_text=True)
    assert all(request.reference in queue for request in waiting)
    phoned = ClubFactory(name="Zeister Zwemclub", gemeente=network.zeist,
                         contacts=[ClubContactFactory.build(name="Piet Penningmeester", email="piet@zzc.example")])
    _db.session.commit()
    form = colleague.get(f"/wachtrij/nieuw?club={phoned.id}")
    assert form.status_code == 200
    response = colleague.post("/wachtrij/nieuw", data={
        "club": phoned.id, "channel": "telefoon", "contact": phoned.contacts[0].id,
        "category": category_id("vrijwilligers-kader"), "sport": "", "title": "Vrijwilligers voor het zwemkamp",
        "description": "Belde op: ze zoeken begeleiders voor het zomerkamp."})
    assert response.status_code == 302, response.get_data(as_text=True)
    filed = _db.session.scalar(select(SupportRequest).where(SupportRequest.club_id == phoned.id))
    kees = _db.session.scalar(select(User).where(User.email == "kees@krommerijn.example"))
    assert (filed.owner_team_id, filed.channel, filed.filed_by_id) == (loket.team.id, "telefoon", kees.id)

    # The national picture: two more gemeenten covered, one more loket aangehaakt.
    assert _targets() == (covered_before + 2, aangehaakt_before + 1)
    overview = login_as("coordinator").get("/overzicht/")
    assert overview.status_code == 200 and "Sportloket Kromme Rijn" in overview.get_data(as_text=True)
