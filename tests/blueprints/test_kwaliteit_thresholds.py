"""The publish form takes percentage thresholds as percentages and shows them the same way; the norms read
as Dutch sentences."""
import html

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import CriteriaSet
from tests.support.pages import form_values


def _inputs(page) -> dict:
    return form_values(page, "/kwaliteit/criteria")


def _row(data, code) -> str:
    return next(name[:-len("-code")] for name, value in data.items()
                if name.startswith("rows-") and name.endswith("-code") and value == code)


def _stored(version):
    _db.session.expire_all()
    criteria_set = _db.session.scalar(select(CriteriaSet).where(CriteriaSet.version == version))
    return {c.code: c.threshold for c in criteria_set.criteria} if criteria_set else None


def test_the_form_shows_percentages_as_percentages(login_as):
    page = login_as("coordinator").get("/kwaliteit/criteria/nieuw").get_data(as_text=True)
    data = _inputs(page)
    assert data[_row(data, "K2") + "-threshold"] == "90"
    assert data[_row(data, "K7") + "-threshold"] == "10"
    assert data[_row(data, "K10") + "-threshold"] == "75"
    assert data[_row(data, "K1") + "-threshold"] == "183"
    assert data[_row(data, "K5") + "-threshold"] == "4"
    k2 = page.split('<th scope="row">K2</th>')[1].split("</tr>")[0]
    assert "%" in k2  # the unit stands next to the input
    assert "(minstens)" not in page and ">minstens<" in page  # the comparison reads as a word


@pytest.mark.parametrize("typed, stored", [("90", 0.9), ("92,5", 0.925), ("92,5 %", 0.925), ("95%", 0.95),
                                           ("0,5 %", 0.005)])
def test_a_percentage_is_typed_as_a_percentage(login_as, typed, stored):
    client = login_as("coordinator")
    data = _inputs(client.get("/kwaliteit/criteria/nieuw").get_data(as_text=True))
    data.update({"version": "2027.1", "valid_from": "2027-01-01", _row(data, "K2") + "-threshold": typed})
    response = client.post("/kwaliteit/criteria", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    thresholds = _stored("2027.1")
    assert thresholds["K2"] == pytest.approx(stored) and thresholds["K7"] == pytest.approx(0.10)
    assert thresholds["K1"] == 183 and thresholds["K5"] == 4
    section = client.get("/kwaliteit/criteria").get_data(as_text=True).split('id="versie-2027.1"')[1]
    k2 = section.split('<th scope="row">K2</th>')[1].split("</tr>")[0]
    assert "minstens " + typed.replace("%", "").strip() + " %" in k2


@pytest.mark.parametrize("code, typed, message", [
    ("K2", "9000", "K2: een percentage ligt tussen 0 en 100 %."),
    ("K5", "6", "K5: een score ligt tussen 1 en 5."),
    ("K1", "-1", "K1: vul 0 of meer dagen in."),
    ("K1", "183 %", "Een procentteken past alleen bij een percentage."),
    # '0,9' could mean 90 % (a share, as thresholds were once typed) or 0,9 %: the form asks, it does not guess
    ("K2", "0,9", "Typ het percentage zoals het getoond wordt, bijvoorbeeld 90 voor 90 %."),
])
def test_a_threshold_out_of_range_is_refused_in_dutch(login_as, code, typed, message):
    client = login_as("coordinator")
    data = _inputs(client.get("/kwaliteit/criteria/nieuw").get_data(as_text=True))
    data.update({"version": "2027.1", "valid_from": "2027-01-01", _row(data, code) + "-threshold": typed})
    response = client.post("/kwaliteit/criteria", data=data)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert _stored("2027.1") is None


def test_the_list_reads_norms_as_dutch_sentences(login_as):
    page = login_as("coordinator").get("/kwaliteit/criteria").get_data(as_text=True)
    k1 = page.split('<th scope="row">K1</th>')[1].split("</tr>")[0]
    assert "hooguit 183 dagen" in k1 and "183.0" not in k1
    k5 = page.split('<th scope="row">K5</th>')[1].split("</tr>")[0]
    assert "minstens 4 van 5" in k5 and "4.0" not in k5
