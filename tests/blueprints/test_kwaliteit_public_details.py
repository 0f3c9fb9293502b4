"""The loket's team lead keeps its public contact details and confirms them (criterion K1)."""
import html
from datetime import timedelta

import pytest

from loket.models.base import utcnow
from tests.support.db import reloaded
from tests.support.pages import form_values


def _path(loket):
    return f"/kwaliteit/ons-loket/{loket.id}/gegevens"


def _posted(client, loket, **changes):
    data = form_values(client.get(_path(loket)).get_data(as_text=True), _path(loket))
    data.update(changes)
    return client.post(_path(loket), data=data)


def test_the_lead_updates_the_public_details_and_confirms_them(login_as, lead, network):
    client = login_as(lead)
    response = _posted(client, network.loket_utrecht, email="Loket@Utrecht.example", phone="030 123 45 67",
                       address="Stadsplateau 1, 3521 AZ Utrecht", opening_hours="ma–vr 9.00–17.00",
                       url="https://sportloket.utrecht.example", reviewed="y")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    loket = reloaded(network.loket_utrecht)
    assert (loket.email, loket.phone, loket.url) == ("Loket@utrecht.example", "030 123 45 67",
                                                     "https://sportloket.utrecht.example")
    assert loket.contact_reviewed_at is not None and utcnow() - loket.contact_reviewed_at < timedelta(minutes=1)
    page = client.get(_path(network.loket_utrecht)).get_data(as_text=True)
    assert "telt voor criterium K1 tot en met" in page  # 183 days of the seed set's K1
    public = client.get(f"/loketten/{network.loket_utrecht.slug}").get_data(as_text=True)
    assert "030 123 45 67" in public


def test_saving_without_confirming_leaves_the_review_date(login_as, lead, network):
    _posted(login_as(lead), network.loket_utrecht, phone="030 000 00 00")
    assert reloaded(network.loket_utrecht).contact_reviewed_at is None


@pytest.mark.parametrize("field, value, message", [
    ("email", "geen-adres", "Vul een geldig e-mailadres in"),
    ("url", "javascript:alert(1)", "beginnend met https://"),
    ("url", "https://", "beginnend met https://"),  # no host: the public page would not link it
    ("url", "https://sport loket.example", "beginnend met https://"),
    ("phone", "0" * 41, "maximaal 40 tekens"),
    ("address", "Straat\x001", "stuurtekens"),
])
def test_bad_details_are_refused_in_dutch_and_nothing_is_stored(login_as, lead, network, field, value, message):
    before = (network.loket_utrecht.email, network.loket_utrecht.url, network.loket_utrecht.phone)
    response = _posted(login_as(lead), network.loket_utrecht, **{field: value, "reviewed": "y"})
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    loket = reloaded(network.loket_utrecht)
    assert (loket.email, loket.url, loket.phone) == before and loket.contact_reviewed_at is None


def test_a_colleague_reads_the_details_but_cannot_change_them(login_as, network):
    client = login_as("ondersteuner")
    page = client.get(_path(network.loket_utrecht)).get_data(as_text=True)
    assert "Alleen de coördinator van het loket kan deze gegevens wijzigen." in page
    assert '<form method="post" action="/kwaliteit' not in page
    assert client.post(_path(network.loket_utrecht), data={"phone": "1"}).status_code == 403


def test_another_lokets_page_is_not_found(login_as, lead, network):
    assert login_as(lead).get(_path(network.loket_eemland)).status_code == 404


def test_k1_passes_after_a_review_on_the_page_and_lapses_183_days_later(login_as, lead, network):
    from loket.services.quality import metrics
    from tests.support.lookups import criterion

    loket = network.loket_utrecht
    assert _posted(login_as(lead), loket, reviewed="y").status_code == 302
    reviewed_at = reloaded(loket).contact_reviewed_at
    k1 = criterion("K1")

    def passes(days):
        return metrics.measure(k1, as_of=reviewed_at + timedelta(days=days))[loket.id].passed

    assert (passes(1), passes(183), passes(184)) == (True, True, False)
    assert metrics.measure(k1, as_of=reviewed_at)[network.loket_eemland.id].passed is False  # never reviewed
