"""Issue #12's "done when", over HTTP as each person clicks it: KNVB's coördinator proposes to handle "sociaal
veilige sport" itself and "financiën" together with the loket; until the coördinatiepunt confirms nothing changes;
after it confirms, a football club's questions in those categories land at KNVB, respectively at the loket with
KNVB invited, with events saying why; the loket refers one to a landelijk initiatief, whose member accepts it; and
an adviseur lokale sport sees the realisation pipeline of their region and nothing of any request's contents."""
import re

from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Collaborator, Event, SupportRequest
from tests.factories import make_user
from tests.support.lookups import category_id
from tests.support.pages import form_values

SAFETY, MONEY = "sociaal-veilige-sport", "financien-subsidies-fondsen"
SECRET_TITLE, SECRET_TEXT = "GEHEIM-JOURNEY-TITEL", "GEHEIM-JOURNEY-OMSCHRIJVING"


def _file(client, network, category: str, n: int) -> SupportRequest:
    """The football club HC Amersfoort (loket Eemland; voetbal → KNVB, aangesloten) files a question."""
    response = client.post("/club/aanvragen/nieuw", data={
        "club": network.club_amersfoort.id, "category": category_id(category), "sport": "",
        "title": f"{SECRET_TITLE} {n}", "description": f"{SECRET_TEXT} {n}: wie helpt ons verder?"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return _db.session.scalars(select(SupportRequest).order_by(SupportRequest.id.desc())).first()


def _why(request: SupportRequest) -> str:
    """The routing event's text: where the request went and why."""
    return " ".join(e.body or "" for e in _db.session.scalars(
        select(Event).where(Event.request_id == request.id).order_by(Event.id)))


def _pipeline(html: str) -> list[int]:
    """The five counts of Regio Utrecht's pipeline: geen, verkennen, in oprichting, operationeel, aangehaakt."""
    section = html.split('aria-label="Gemeenten van Regio Utrecht per fase"', 1)[1].split("</ol>", 1)[0]
    return [int(n) for n in re.findall(r"<strong[^>]*>(\d+)</strong>", section)]


def test_agreements_route_a_football_clubs_questions_and_the_network_works_them_together(app, login_as, network):
    lead = make_user("bondsspecialist", network.knvb, name="Kim KNVB", team_lead=True)
    _db.session.commit()
    club = login_as("other_club_contact")

    # KNVB's coördinator proposes: sociaal veilige sport by the bond, financiën samen with the loket.
    knvb = login_as(lead)
    assert knvb.get("/afspraken/knvb/voorstel").status_code == 200
    response = knvb.post("/afspraken/knvb/voorstel", data={f"categorie-{SAFETY}": "bond",
                                                            f"categorie-{MONEY}": "samen"})
    assert response.status_code == 302, response.get_data(as_text=True)

    # A proposal does not route: the question still goes to the loket.
    before = _file(club, network, SAFETY, 0)
    assert before.owner_team_id == network.loket_eemland.team.id

    # The coördinatiepunt sees the proposal on the bond's page and confirms what it saw.
    coordinator = login_as("coordinator")
    page = coordinator.get("/afspraken/knvb").get_data(as_text=True)
    assert "Sociaal veilige sport" in page
    response = coordinator.post("/afspraken/knvb/bevestigen", data=form_values(page, "/afspraken/knvb/bevestigen"))
    assert response.status_code == 302, response.get_data(as_text=True)

    # Sociaal veilige sport now lands at KNVB, and the timeline says which agreement sent it there.
    safety = _file(club, network, SAFETY, 1)
    assert safety.owner_team_id == network.knvb.team.id
    assert re.search(r"afspraak", _why(safety), re.I) and "KNVB" in _why(safety)

    # Financiën lands at the loket with KNVB invited to co-handle, and says so.
    money = _file(club, network, MONEY, 2)
    assert money.owner_team_id == network.loket_eemland.team.id
    invited = _db.session.scalars(select(Collaborator.team_id).where(Collaborator.request_id == money.id,
                                                                     Collaborator.ended_at.is_(None))).all()
    assert invited == [network.knvb.team.id]
    assert re.search(r"afspraak", _why(money), re.I) and "KNVB" in _why(money)
    # KNVB's specialist reads it in the bond's queue.
    assert SECRET_TITLE in login_as("bondsspecialist").get(f"/wachtrij/{money.id}").get_data(as_text=True)

    # The loket refers the financial question to a landelijk initiatief, whose member accepts it.
    loket = login_as("ondersteuner_eemland")
    response = loket.post(f"/wachtrij/{money.id}/doorverwijzen", data={
        "team": network.spn.team.id, "reason": "Procesbegeleiding bij de begroting past bij SPN."})
    assert response.status_code == 302, response.get_data(as_text=True)
    initiative = login_as("initiatiefmedewerker")
    assert SECRET_TITLE in initiative.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    response = initiative.post(f"/wachtrij/{money.id}/doorverwijzing/accepteren")
    assert response.status_code == 302, response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, money.id).owner_team_id == network.spn.team.id


def test_an_adviseur_sees_the_pipeline_of_their_region_and_nothing_of_any_request(login_as, network):
    """Regio Utrecht holds Utrecht (loket aangehaakt), Bunnik (loket in oprichting) and Zeist (no loket)."""
    utrecht_club = login_as("club_contact")
    response = utrecht_club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": category_id(SAFETY), "sport": "",
        "title": SECRET_TITLE, "description": f"{SECRET_TEXT}: bel Anna op anna@uboys.example"})
    assert response.status_code == 302
    adviseur = login_as("adviseur")
    overview = adviseur.get("/mijn-gebied/")
    assert overview.status_code == 200
    assert _pipeline(overview.get_data(as_text=True)) == [1, 0, 1, 0, 1]

    # Zeist starts exploring a loket: the adviseur's pipeline moves with it.
    assert login_as("coordinator").post("/netwerk/gemeenten/GM0355/verkennen").status_code == 302
    html = adviseur.get("/mijn-gebied/").get_data(as_text=True)
    assert _pipeline(html) == [0, 1, 1, 0, 1]

    # Every page of the area, and the start page: aggregates only, never a request's contents or contact data.
    pages = [html] + [adviseur.get(path).get_data(as_text=True) for path in (
        "/", "/mijn-gebied/vraag", "/mijn-gebied/gemeente/GM0344", "/mijn-gebied/gemeente/GM0355")]
    for page in pages:
        assert SECRET_TITLE not in page and SECRET_TEXT not in page and "anna@uboys.example" not in page
    # The request itself, the loket's queue and another region's gemeente stay closed.
    filed = _db.session.scalars(select(SupportRequest).order_by(SupportRequest.id.desc())).first()
    assert adviseur.get(f"/wachtrij/{filed.id}").status_code == 403
    assert adviseur.get(f"/club/aanvragen/{filed.id}").status_code == 403
    assert adviseur.get("/mijn-gebied/gemeente/GM0307").status_code == 404
