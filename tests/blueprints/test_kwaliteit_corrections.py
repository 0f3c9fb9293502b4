"""Correcting a published criteria version that is not yet in force, over HTTP: the list's "nog niet van kracht —
corrigeren" line, the form prefilled from the version, Dutch messages with a 4xx and nothing stored on bad input,
409 for a version in force, the access matrix and CSRF."""
import html
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.services.quality import criteria as criteria_service
from tests.support.pages import form_values

TODAY = utcnow().date()
START = TODAY + timedelta(days=60)


@pytest.fixture()
def future(network):
    """Version 2099.1 with the seed set's criteria, in force 60 days from now."""
    seed = criteria_service.current_set()
    published = criteria_service.publish_set(version="2099.1", valid_from=START, actor=network.coordinator,
                                             criteria=criteria_service.specs_of(seed), notes="Volgende versie")
    return published.id


def _path(set_id) -> str:
    return f"/kwaliteit/criteria/{set_id}/corrigeren"


def _snapshot():
    _db.session.expire_all()
    return sorted((s.version, s.valid_from, s.notes, len(s.corrections),
                   tuple((c.id, c.code, c.title, c.description, c.kind, c.metric, c.threshold, c.comparison,
                          c.window_days, c.min_count, c.position) for c in s.criteria))
                  for s in criteria_service.all_sets())


def _prefilled(client, set_id) -> dict:
    """The correction form as the browser gets it."""
    return form_values(client.get(_path(set_id)).get_data(as_text=True), _path(set_id))


def _row(data, code) -> str:
    return next(name[:-len("-code")] for name, value in data.items()
                if name.startswith("rows-") and name.endswith("-code") and value == code)


def _correction(client, set_id) -> dict:
    data = _prefilled(client, set_id)
    later = START + timedelta(days=31)
    data.update({"valid_from": later.isoformat(), "notes": "Gecorrigeerd na overleg"})
    k2 = _row(data, "K2")
    data.update({f"{k2}-threshold": "95", f"{k2}-comparison": ">", f"{k2}-title": "Snellere eerste reactie",
                 f"{k2}-description": "Binnen de servicenorm, strenger"})
    del data[_row(data, "K7") + "-keep"]
    data.update({"new-code": "K11", "new-title": "Vertrouwenspersoon bekend", "new-kind": "assessment",
                 "new-metric": ""})
    return data


# ---------------------------------------------------------------- the list

def test_the_list_offers_to_correct_a_future_version_only(login_as, future):
    page = login_as("coordinator").get("/kwaliteit/criteria").get_data(as_text=True)
    section = page.split('id="versie-2099.1"')[1].split("</section>")[0]
    assert "Nog niet van kracht (vanaf" in section and f'href="{_path(future)}"' in section
    assert "corrigeren" in section
    seed = page.split('id="versie-2026.1"')[1].split("</section>")[0]
    assert "Nog niet van kracht" not in seed and "corrigeren" not in seed
    beheer = login_as("beheerder").get("/kwaliteit/criteria").get_data(as_text=True)
    assert "Nog niet van kracht (vanaf" in beheer and _path(future) not in beheer  # beheer reads, never corrects


# ---------------------------------------------------------------- correcting

def test_correct_a_future_version(login_as, network, future):
    client = login_as("coordinator")
    prefilled = _prefilled(client, future)
    assert prefilled[_row(prefilled, "K2") + "-threshold"] == "90"  # prefilled in its unit
    assert (prefilled["valid_from"], prefilled["notes"]) == (START.isoformat(), "Volgende versie")
    assert "version" not in prefilled  # the name is not editable
    data = _correction(client, future)
    response = client.post(_path(future), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/kwaliteit/criteria#versie-2099.1")

    _db.session.expire_all()
    corrected = criteria_service.get_set(future)
    assert (corrected.valid_from, corrected.notes) == (START + timedelta(days=31), "Gecorrigeerd na overleg")
    [correction] = corrected.corrections
    assert correction.corrected_by_id == network.coordinator.id and correction.corrected_at is not None
    by_code = {c.code: c for c in corrected.criteria}
    assert list(by_code) == ["K1", "K2", "K3", "K4", "K5", "K6", "K8", "K9", "K10", "K11"]
    assert (by_code["K2"].threshold, by_code["K2"].comparison, by_code["K2"].title, by_code["K2"].description) == \
        (0.95, ">", "Snellere eerste reactie", "Binnen de servicenorm, strenger")
    seed_k2 = next(c for c in criteria_service.current_set().criteria if c.code == "K2")
    assert (seed_k2.threshold, seed_k2.title) == (0.9, "Snelle eerste reactie")

    page = client.get("/kwaliteit/criteria").get_data(as_text=True)
    assert "Criteriaversie 2099.1 is gecorrigeerd." in page
    history = html.unescape(page.split('id="versie-2099.1"')[1].split("</section>")[0])
    assert "1 correctie" in history and f"door {network.coordinator.name}" in history
    assert "K2: drempel 90 % → 95 %." in history and "K2: vergelijking minstens → meer dan." in history
    assert "K7 vervallen" in history and "K11 toegevoegd: Vertrouwenspersoon bekend." in history
    again = html.unescape(client.get(_path(future)).get_data(as_text=True))
    assert f"door {network.coordinator.name}" in again and "K2: drempel 90 % → 95 %." in again


def test_every_correction_is_kept_newest_first(login_as, network, future):
    client = login_as("coordinator")
    first = _prefilled(client, future)
    first[_row(first, "K2") + "-threshold"] = "95"
    assert client.post(_path(future), data=first).status_code == 302
    second = _prefilled(client, future)
    second[_row(second, "K2") + "-threshold"] = "85"
    second["notes"] = "Toch milder"
    assert client.post(_path(future), data=second).status_code == 302

    _db.session.expire_all()
    corrections = criteria_service.get_set(future).corrections
    assert [c["to"] for c in corrections[0].changes] == [0.95]
    assert {(c["field"], c["from"], c["to"]) for c in corrections[1].changes} == \
        {("notes", "Volgende versie", "Toch milder"), ("threshold", 0.95, 0.85)}
    history = html.unescape(client.get("/kwaliteit/criteria").get_data(as_text=True)
                            .split('id="versie-2099.1"')[1].split("</section>")[0])
    assert "2 correcties" in history
    assert history.index("K2: drempel 95 % → 85 %.") < history.index("K2: drempel 90 % → 95 %.")  # newest first


def test_saving_an_unchanged_correction_records_nothing(login_as, future):
    client = login_as("coordinator")
    assert client.post(_path(future), data=_prefilled(client, future)).status_code == 302
    _db.session.expire_all()
    assert criteria_service.get_set(future).corrections == []


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(valid_from=(TODAY - timedelta(days=1)).isoformat()), "een versie begint niet in het verleden"),
    (lambda d: d.update(valid_from="morgen"), "Vul een geldige datum in, zoals 2027-01-01."),
    (lambda d: d.update({_row(d, "K2") + "-threshold": "veel"}), "Vul een getal in, zoals 90 of 4,5."),
    (lambda d: d.update({_row(d, "K2") + "-threshold": "150"}), "K2: een percentage ligt tussen 0 en 100 %."),
    (lambda d: d.update({_row(d, "K3") + "-title": " "}), "K3: geef het criterium een titel."),
    (lambda d: d.update({"new-kind": "metric", "new-metric": "club_reach", "new-threshold": ""}),
     "K11: een meting heeft een drempelwaarde nodig."),
    (lambda d: d.update({"new-code": "K1"}), "Elke code mag maar één keer voorkomen."),
])
def test_bad_corrections_are_refused_in_dutch_and_nothing_is_stored(login_as, future, change, message):
    client = login_as("coordinator")
    data = _correction(client, future)
    change(data)
    before = _snapshot()
    response = client.post(_path(future), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.escape(message, quote=False) in page or message in page
    assert "Controleer het formulier" in page
    assert _snapshot() == before


def test_retiring_every_criterion_is_refused(login_as, future):
    client = login_as("coordinator")
    data = {k: v for k, v in _prefilled(client, future).items() if not k.endswith("-keep")}
    before = _snapshot()
    response = client.post(_path(future), data=data)
    assert response.status_code == 400
    assert "Een criteriaset heeft minstens één criterium." in response.get_data(as_text=True)
    assert _snapshot() == before


def test_a_version_in_force_answers_409_in_dutch_and_never_changes(login_as, future):
    client = login_as("coordinator")
    data = _correction(client, future)
    seed_id = criteria_service.current_set().id
    before = _snapshot()
    for response in (client.get(_path(seed_id)), client.post(_path(seed_id), data=data)):
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Versie 2026.1 is van kracht sinds 01-01-2026 en verandert niet meer" in page
    assert _snapshot() == before
    assert client.get(_path(999999)).status_code == 404


# ---------------------------------------------------------------- access and CSRF

WHO = ("beheerder", "ondersteuner", "bondsspecialist", "club_contact", "anonymous")


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_coordinatiepunt_may_correct(app, network, login_as, future, method):
    data = _correction(login_as("coordinator"), future)
    before = _snapshot()
    for who in WHO:
        client = app.test_client()
        if who != "anonymous":
            client.login(getattr(network, who))
        response = client.post(_path(future), data=data) if method == "post" else client.get(_path(future))
        if who == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.headers["Location"], who
        else:
            assert response.status_code == 403, who
        assert _snapshot() == before, who


def test_a_post_without_csrf_token_is_refused_and_nothing_is_stored(login_as, future):
    client = login_as("coordinator")
    data = _correction(client, future)
    before = _snapshot()
    assert client.post(_path(future), data=data, csrf=False).status_code == 400
    assert _snapshot() == before
