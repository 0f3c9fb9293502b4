"""The coördinatiepunt publishes a criteria version dated in the future through the form and then corrects it
before it is in force, each page checked like every page (one h1, lang, axe WCAG 2.1 AA, nothing sideways on a
phone), at 1280 and at 360 px."""
import re
from datetime import timedelta

from loket.models.base import utcnow
from tests.support.browser import check_page


def test_publish_a_future_version_and_correct_it(open_page, width):
    start = utcnow().date() + timedelta(days=90)
    version = "2099.1" if width == "desktop" else "2099.2"  # one version per run: names are unique
    anchor = "#versie-" + version.replace(".", "\\.")
    page = open_page(width, as_user="coordinatie")
    page.goto("/kwaliteit/criteria")
    page.get_by_role("link", name="Nieuwe versie publiceren").click()
    page.wait_for_load_state()
    check_page(page, "criteria-publiceren", width)
    page.get_by_label("Versie", exact=True).fill(version)
    page.get_by_label("Geldig vanaf").fill(start.isoformat())
    page.get_by_label("Drempelwaarde K2").fill("92,5")
    page.get_by_role("button", name="Versie publiceren").click()
    page.wait_for_load_state()
    assert page.url.endswith("/kwaliteit/criteria")
    check_page(page, "criteria-gepubliceerd", width)
    future = page.locator(anchor)
    assert "Nog niet van kracht (vanaf" in future.inner_text()

    future.get_by_role("link", name=re.compile("^corrigeren")).click()
    page.wait_for_load_state()
    assert re.search(r"/kwaliteit/criteria/\d+/corrigeren$", page.url)
    assert page.get_by_label("Drempelwaarde K2").input_value() == "92,5"
    check_page(page, "criteria-corrigeren-formulier", width)

    page.get_by_label("Geldig vanaf").fill((utcnow().date() - timedelta(days=1)).isoformat())  # the past: refused
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_load_state()
    assert "niet in het verleden" in page.get_by_role("alert").inner_text()
    check_page(page, "criteria-corrigeren-fout", width)

    page.get_by_label("Geldig vanaf").fill((start + timedelta(days=30)).isoformat())
    page.get_by_label("Drempelwaarde K2").fill("95")
    page.get_by_label("Omschrijving K2").fill("Strenger dan in 2026.1")
    page.get_by_label("Behouden K7").uncheck()
    page.get_by_role("button", name="Correctie opslaan").click()
    page.wait_for_load_state()
    assert "/kwaliteit/criteria" in page.url and "corrigeren" not in page.url
    assert f"Criteriaversie {version} is gecorrigeerd." in page.content()
    corrected = page.locator(anchor)
    assert "K7" not in corrected.locator("table").inner_text()
    corrected.get_by_text("1 correctie").click()  # the history unfolds
    history = corrected.locator(".corrections-list").inner_text()
    assert "K2: drempel 92,5 % → 95 %." in history and "K7 vervallen" in history
    check_page(page, "criteria-gecorrigeerd", width)
