"""Publishing a new version of the national criteria over HTTP: the list of versions, the publish form prefilled
from the current set, old measurements keeping their criterion, Dutch messages with nothing stored on bad input,
the access matrix and CSRF."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import CriteriaSet, Measurement
from loket.services.quality import criteria as criteria_service
from tests.factories import MeasurementFactory
from tests.support.lookups import criterion
from tests.support.pages import form_values

SEED_CODES = [f"K{i}" for i in range(1, 11)]


def _set(version) -> CriteriaSet | None:
    _db.session.expire_all()
    return _db.session.scalar(select(CriteriaSet).where(CriteriaSet.version == version))


def _snapshot():
    """Every set with every criterion's fields: proves nothing was stored or changed."""
    _db.session.expire_all()
    return sorted((s.version, s.valid_from, tuple((c.id, c.code, c.title, c.kind, c.metric, c.threshold, c.comparison,
                                                   c.window_days, c.min_count, c.position) for c in s.criteria))
                  for s in criteria_service.all_sets())


def _prefilled(client) -> dict:
    """The publish form as the browser gets it."""
    return form_values(client.get("/kwaliteit/criteria/nieuw").get_data(as_text=True), "/kwaliteit/criteria")


def _row(data, code) -> str:
    """The form prefix of the row of an existing criterion, e.g. 'rows-1'."""
    return next(name[:-len("-code")] for name, value in data.items()
                if name.startswith("rows-") and name.endswith("-code") and value == code)


def _publish_2027_data(client) -> dict:
    data = _prefilled(client)
    data.update({"version": "2027.1", "valid_from": "2027-01-01", "notes": "Strengere eerste reactie"})
    data[_row(data, "K2") + "-threshold"] = "95"
    del data[_row(data, "K7") + "-keep"]  # unchecked: retired
    data.update({"new-code": "K11", "new-title": "Vertrouwenspersoon bekend", "new-kind": "assessment",
                 "new-metric": "", "new-description": "Het loket weet wie bij de bond vertrouwenspersoon is."})
    return data


# ---------------------------------------------------------------- the list

def test_the_list_shows_every_version_with_its_criteria(login_as):
    for who in ("coordinator", "beheerder"):
        page = login_as(who).get("/kwaliteit/criteria").get_data(as_text=True)
        seed = page.split('id="versie-2026.1"')[1].split("</section>")[0]
        assert "Huidige versie" in seed and "1 jan 2026" in seed
        assert re.findall(r'<th scope="row">(K\d+)</th>', seed) == SEED_CODES
        k2 = seed.split('<th scope="row">K2</th>')[1].split("</tr>")[0]
        assert "Snelle eerste reactie" in k2 and "minstens 90 %" in k2 and "365 dagen" in k2
        assert "&gt;=" not in k2 and "0.9" not in k2  # a Dutch sentence, not the stored notation
        assert "aandeel aanvragen met een eerste reactie binnen de servicenorm" in k2
        k5 = seed.split('<th scope="row">K5</th>')[1].split("</tr>")[0]
        assert ">10<" in k5  # min count
        assert ("Nieuwe versie publiceren" in page) == (who == "coordinator")


def test_the_audits_index_links_to_the_criteria(login_as):
    for who in ("coordinator", "beheerder"):
        assert 'href="/kwaliteit/criteria"' in login_as(who).get("/kwaliteit/audits").get_data(as_text=True)


# ---------------------------------------------------------------- publishing

def test_publish_a_new_version_keeps_the_old_one_and_its_measurements(login_as, network):
    old_k2 = criterion("K2", "2026.1")
    measurement = MeasurementFactory(loket=network.loket_utrecht, criterion=old_k2, period=date(2026, 10, 1),
                                     value=0.92, passed=True, details={})
    _db.session.commit()
    measurement_id, old_k2_id = measurement.id, old_k2.id
    before = _snapshot()
    client = login_as("coordinator")

    data = _publish_2027_data(client)
    assert data[_row(data, "K2") + "-title"] == "Snelle eerste reactie"  # prefilled from 2026.1
    response = client.post("/kwaliteit/criteria", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/kwaliteit/criteria")

    new = _set("2027.1")
    assert (new.valid_from, new.notes, new.published_by_id) == (date(2027, 1, 1), "Strengere eerste reactie",
                                                               network.coordinator.id)
    assert [c.code for c in new.criteria] == ["K1", "K2", "K3", "K4", "K5", "K6", "K8", "K9", "K10", "K11"]
    by_code = {c.code: c for c in new.criteria}
    assert (by_code["K2"].threshold, by_code["K2"].comparison, by_code["K2"].window_days) == (0.95, ">=", 365)
    assert (by_code["K5"].threshold, by_code["K5"].min_count) == (4.0, 10)
    assert (by_code["K11"].kind, by_code["K11"].metric, by_code["K11"].threshold, by_code["K11"].title) == \
        ("assessment", None, None, "Vertrouwenspersoon bekend")
    assert by_code["K11"].description == "Het loket weet wie bij de bond vertrouwenspersoon is."
    assert by_code["K1"].description == _set("2026.1").criteria[0].description  # carried unchanged

    assert [s for s in _snapshot() if s[0] == "2026.1"] == before  # the old version is untouched
    stored = _db.session.get(Measurement, measurement_id)
    assert stored.criterion_id == old_k2_id and stored.criterion.criteria_set.version == "2026.1"
    assert stored.criterion.threshold == 0.9

    page = client.get("/kwaliteit/criteria").get_data(as_text=True)
    assert "Criteriaversie 2027.1 is gepubliceerd." in page
    assert page.index('id="versie-2027.1"') < page.index('id="versie-2026.1"')  # newest first
    # 2027.1 is valid from next year: 2026.1 stays the current one until then
    assert "Huidige versie" in page.split('id="versie-2026.1"')[1].split("</section>")[0]
    assert "Huidige versie" not in page.split('id="versie-2027.1"')[1].split("</section>")[0]


def test_an_empty_new_row_adds_nothing(login_as):
    client = login_as("coordinator")
    data = _prefilled(client)
    data.update({"version": "2026.2", "valid_from": "2026-06-01", "new-title": "Zonder code"})
    assert client.post("/kwaliteit/criteria", data=data).status_code == 302
    assert [c.code for c in _set("2026.2").criteria] == SEED_CODES


def test_a_duplicate_version_is_refused_and_nothing_is_stored(login_as):
    client = login_as("coordinator")
    before = _snapshot()
    data = _publish_2027_data(client)
    data["version"] = "2026.1"
    response = client.post("/kwaliteit/criteria", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Versie 2026.1 bestaat al; gepubliceerde versies veranderen niet." in page
    assert 'value="95"' in page  # the coordinator's edits are kept in the form
    assert _snapshot() == before


@pytest.mark.parametrize("field, value, message", [
    ("threshold", "veel", "Vul een getal in, zoals 90 of 4,5."),
    ("window_days", "1,5", "Vul een heel getal in, zoals 365."),
])


def test_invalid_numbers_are_refused_in_dutch_and_nothing_is_stored(login_as, field, value, message):
    client = login_as("coordinator")
    before = _snapshot()
    data = _publish_2027_data(client)
    data[_row(data, "K2") + f"-{field}"] = value
    response = client.post("/kwaliteit/criteria", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _snapshot() == before


def test_service_messages_show_for_a_new_metric_without_threshold(login_as):
    client = login_as("coordinator")
    before = _snapshot()
    data = _publish_2027_data(client)
    data.update({"new-kind": "metric", "new-metric": "club_reach", "new-threshold": ""})
    response = client.post("/kwaliteit/criteria", data=data)
    assert response.status_code == 400
    assert "K11: een meting heeft een drempelwaarde nodig." in response.get_data(as_text=True)
    assert _snapshot() == before


# ---------------------------------------------------------------- access and CSRF

WHO = ("coordinator", "beheerder", "ondersteuner", "bondsspecialist", "club_contact", "anonymous")


def _client(app, network, who):
    client = app.test_client()
    if who != "anonymous":
        client.login(getattr(network, who))
    return client


@pytest.mark.parametrize("method, path, allowed", [
    ("get", "/kwaliteit/criteria", {"coordinator": 200, "beheerder": 200}),
    ("get", "/kwaliteit/criteria/nieuw", {"coordinator": 200}),
    ("post", "/kwaliteit/criteria", {}),  # beheer too is refused; the coördinatiepunt is checked last
])


def test_who_may_read_and_publish(app, network, method, path, allowed):
    data = {"version": "2099.1", "valid_from": "2099-01-01", "rows-0-keep": "y", "rows-0-code": "K8",
            "rows-0-kind": "assessment", "rows-0-title": "Afspraken met bonden"}
    before = _snapshot()
    for who in WHO:
        if method == "post" and who == "coordinator":
            continue  # the one writer goes last, so every refusal is checked against an untouched database
        client = _client(app, network, who)
        response = client.post(path, data=data) if method == "post" else client.get(path)
        if who == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.headers["Location"], who
        else:
            assert response.status_code == allowed.get(who, 403), (who, path)
        assert _snapshot() == before, who
    if method == "post":  # the same data does publish for the coördinatiepunt
        assert _client(app, network, "coordinator").post(path, data=data).status_code == 302
        assert [c.code for c in _set("2099.1").criteria] == ["K8"]


def test_a_post_without_csrf_token_is_refused_and_nothing_is_stored(login_as):
    client = login_as("coordinator")
    data = _publish_2027_data(client)
    before = _snapshot()
    response = client.post("/kwaliteit/criteria", data=data, csrf=False)
    assert response.status_code == 400
    assert _snapshot() == before and _set("2027.1") is None
    assert _db.session.scalar(select(func.count()).select_from(CriteriaSet)) == 1
