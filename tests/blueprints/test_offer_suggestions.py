"""Matching support offers are suggested to the club after filing and to supporters on the request."""
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import SupportRequest
from tests.factories import SupportOfferFactory
from tests.support.lookups import category as _category


def test_matching_offers_are_suggested_to_club_and_supporter(login_as, network):
    safe = _category("sociaal-veilige-sport")
    SupportOfferFactory(organisation=network.loket_utrecht, title="Workshop vertrouwenscontactpersoon",
                        description="Twee avonden, gratis.", contact="vcp@sportloket.example",
                        slugs=("sociaal-veilige-sport",))
    SupportOfferFactory(organisation=network.loket_utrecht, title="Subsidiespreekuur", description="Elke dinsdag.",
                        slugs=("financien-subsidies-fondsen",))
    _db.session.commit()
    club = login_as("club_contact")
    response = club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": safe.id, "title": "VCP gezocht",
        "description": "Wie kan ons helpen?"})
    confirmation = club.get(response.headers["Location"]).get_data(as_text=True)
    assert "Workshop vertrouwenscontactpersoon" in confirmation
    assert "Subsidiespreekuur" not in confirmation

    request = _db.session.scalar(select(SupportRequest))
    page = login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Workshop vertrouwenscontactpersoon" in page and "Subsidiespreekuur" not in page
    assert "Clubprofiel van VV Utrechtse Boys" in page  # the club summary links to the editable profile
