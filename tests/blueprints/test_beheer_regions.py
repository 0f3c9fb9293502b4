"""Beheer's region set pages: the list with counts, upload → preview (nothing stored, bad rows marked, 400) →
confirm (the file carried as base64 with its SHA-256), a set's detail, deleting (refused while adviseurs have a
region). Only beheer; CSRF; bad input a Dutch 4xx, never a 500."""
import base64
import io

import pytest

from loket.models import Region, RegionGemeente, RegionSet
from tests.support.db import count_queries, count_rows
from tests.support.pages import error_of, form_values

URL = "/beheer/regio-indelingen"
CSV = "regio;gemeentecode\n"


def upload(client, content: bytes, name="GGD-regio's", filename="regios.csv", **data):
    return client.post(URL + "/controleren", data={"name": name, "file": (io.BytesIO(content), filename), **data},
                       content_type="multipart/form-data")


def page(response) -> str:
    return response.get_data(as_text=True)


def stored():
    return count_rows(RegionSet), count_rows(Region), count_rows(RegionGemeente)


@pytest.mark.parametrize("who, status", [("beheerder", 200), ("coordinator", 403), ("ondersteuner", 403),
                                         ("adviseur", 403), ("gemeente_utrecht", 403), ("club_contact", 403)])
def test_only_beheer_sees_the_pages(login_as, network, who, status):
    client = login_as(who)
    for path in (URL, URL + "/vsg"):
        assert client.get(path).status_code == status
    assert upload(client, (CSV + "A;GM0344\n").encode()).status_code == (200 if status == 200 else 403)
    assert client.post(URL + "/vsg/verwijderen").status_code in ((409,) if status == 200 else (403,))


def test_anonymous_is_sent_to_login(client, network):
    assert client.get(URL).status_code == 302


def test_the_list_shows_counts_and_links(login_as, network):
    shown = page(login_as("beheerder").get(URL))
    assert 'id="indeling-vsg"' in shown and "VSG-regio&#39;s" in shown and "5 van de 5" in shown
    assert 'href="/beheer/regio-indelingen/vsg"' in shown
    assert 'href="/beheer/regio-indelingen"' in page(login_as("beheerder").get("/beheer/"))


def test_upload_preview_then_confirm_stores_the_set(login_as, network):
    client = login_as("beheerder")
    before = stored()
    response = upload(client, (CSV + "GGD Midden;GM0344\nGGD Midden;GM0355\nGGD Oost;GM0307\n").encode("utf-8-sig"))
    assert response.status_code == 200 and stored() == before
    shown = page(response)
    assert "Gecontroleerd, nog niets opgeslagen" in shown and "GGD Midden: 2 gemeenten" in shown
    values = form_values(shown, "/beheer/regio-indelingen/opslaan")
    assert set(values) == {"name", "csv_data", "digest", "replace", "submit"}
    saved = client.post(URL + "/opslaan", data=values)
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/beheer/regio-indelingen/ggd-regio-s")
    detail = page(client.get(URL + "/ggd-regio-s"))
    assert "GGD Midden" in detail and "Utrecht, Zeist" in detail and "Niet ingedeeld" in detail
    assert stored() == (before[0] + 1, before[1] + 2, before[2] + 3)


def test_a_preview_with_bad_rows_marks_them_and_offers_no_confirmation(login_as, network):
    response = upload(login_as("beheerder"), (CSV + "A;GM0344\nB;GM0344\nC;GM9999\n").encode())
    assert response.status_code == 400
    shown = page(response)
    assert "2 regels met een fout" in shown and "staat al op regel 2" in shown and "Onbekende gemeentecode" in shown
    assert "/beheer/regio-indelingen/opslaan" not in shown


@pytest.mark.parametrize("content, name, field, expected", [
    (b"", "GGD", "file", "Het bestand is leeg"),
    (CSV.encode(), "GGD", "file", "geen gemeenten"),
    (b"naam;code\nA;GM0344\n", "GGD", "file", "De kopregel klopt niet"),
    (b"regio;gemeentecode\nA\x00;GM0344\n", "GGD", None, "stuurtekens"),
    ((CSV + "A;GM0344\n").encode(), "", "name", "Geef de indeling een naam"),
    ((CSV + "A;GM0344\n").encode(), "VSG-regio's", "name", "Er is al een indeling"),
    ((CSV + "A;GM0344\n").encode(), "GGD\x00", "name", "stuurtekens"),
])
def test_bad_uploads_answer_400_in_dutch_and_store_nothing(login_as, network, content, name, field, expected):
    before = stored()
    response = upload(login_as("beheerder"), content, name=name)
    assert response.status_code == 400 and stored() == before
    shown = page(response)
    if field:
        assert expected in (error_of(shown, field) or "")
    else:
        assert expected in shown


def test_uploading_without_a_file_asks_for_one(login_as, network):
    response = login_as("beheerder").post(URL + "/controleren", data={"name": "GGD"},
                                          content_type="multipart/form-data")
    assert response.status_code == 400 and "Kies een CSV-bestand" in page(response)


def test_a_confirmation_with_a_changed_file_is_refused(login_as, network):
    client = login_as("beheerder")
    values = form_values(page(upload(client, (CSV + "A;GM0344\n").encode())), "/beheer/regio-indelingen/opslaan")
    before = stored()
    for changed in ({"csv_data": base64.b64encode((CSV + "A;GM0307\n").encode()).decode()},
                    {"csv_data": "!!geen base64!!"}, {"digest": "0" * 64}):
        response = client.post(URL + "/opslaan", data={**values, **changed})
        assert response.status_code == 400 and "onderweg veranderd" in page(response)
    assert stored() == before


def test_a_confirmation_that_no_longer_fits_is_refused(login_as, network):
    client = login_as("beheerder")
    values = form_values(page(upload(client, (CSV + "A;GM0344\n").encode())), "/beheer/regio-indelingen/opslaan")
    assert client.post(URL + "/opslaan", data=values).status_code == 303
    again = client.post(URL + "/opslaan", data=values)  # the same confirmation twice: the name is taken now
    assert again.status_code == 400 and "Er is al een indeling" in page(again)


def test_replacing_an_existing_set_on_request(login_as, network):
    client = login_as("beheerder")
    content = (CSV + "Regio Utrecht;GM0344\nRegio Utrecht;GM0312\nRegio Utrecht;GM0355\nRegio Oost;GM0307\n").encode()
    response = upload(client, content, name="VSG-regio's", replace="y")
    shown = page(response)
    assert response.status_code == 200 and "Dit vervangt de regio’s van de bestaande indeling" in shown
    assert "Regio Eemland" in shown  # disappears
    values = form_values(shown, "/beheer/regio-indelingen/opslaan")
    assert values["replace"] == "ja"
    assert client.post(URL + "/opslaan", data=values).headers["Location"].endswith("/vsg")
    assert "Regio Oost" in page(client.get(URL + "/vsg"))


def test_csrf_is_required(login_as, network):
    client = login_as("beheerder")
    before = stored()
    response = client.post(URL + "/controleren", csrf=False, content_type="multipart/form-data",
                           data={"name": "GGD", "file": (io.BytesIO((CSV + "A;GM0344\n").encode()), "r.csv")})
    assert response.status_code == 400
    assert client.post(URL + "/vsg/verwijderen", csrf=False).status_code == 400
    assert stored() == before


def test_deleting_is_refused_while_an_adviseur_has_a_region(login_as, network):
    client = login_as("beheerder")
    shown = page(client.get(URL + "/vsg"))
    assert "1 adviseur heeft een regio van deze" in shown and "/vsg/verwijderen" not in shown
    response = client.post(URL + "/vsg/verwijderen")
    assert response.status_code == 409 and "1 adviseur heeft nog een regio" in page(response)
    assert count_rows(RegionSet) == 1


def test_deleting_a_set_without_adviseurs(login_as, network):
    client = login_as("beheerder")
    values = form_values(page(upload(client, (CSV + "A;GM0344\n").encode(), name="GGD")),
                         "/beheer/regio-indelingen/opslaan")
    client.post(URL + "/opslaan", data=values)
    assert "/ggd/verwijderen" in page(client.get(URL + "/ggd"))
    response = client.post(URL + "/ggd/verwijderen")
    assert response.status_code == 303 and count_rows(RegionSet) == 1
    assert client.get(URL + "/ggd").status_code == 404
    assert client.post(URL + "/ggd/verwijderen").status_code == 404


@pytest.mark.parametrize("slug", ["bestaat-niet", "x" * 300, "%00", "vsg%00"])
def test_unknown_slugs_are_404(login_as, network, slug):
    assert login_as("beheerder").get(f"{URL}/{slug}").status_code == 404


def test_pages_run_a_constant_number_of_queries(app, login_as, network):
    client = login_as("beheerder")
    counts = []
    for extra in range(2):
        values = form_values(page(upload(client, (CSV + "A;GM0344\nB;GM0307\n").encode(), name=f"Set {extra}")),
                             "/beheer/regio-indelingen/opslaan")
        client.post(URL + "/opslaan", data=values)
        with count_queries(app) as statements:
            client.get(URL)
            client.get(URL + "/vsg")
        counts.append(len(statements))
    assert counts[0] == counts[1]
