"""Attachments in the browser (issue #14 point 2), at 1280 and 360 px: a supporter attaches a PDF to a reply and a
colleague's spreadsheet to an internal note; the club's page links the PDF (which downloads with its bytes) and
never shows the internal file; a renamed program is refused beside the field. Axe and the phone width through
check_page."""
import re
import uuid

from tests.support import attachments as samples
from tests.support.browser import check_page, file_request


def _open_in_queue(page, title: str) -> None:
    page.goto("/wachtrij/")
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()


def test_a_pdf_for_the_club_and_an_internal_file_the_club_never_sees(open_page, width):
    club, loket = open_page(width, as_user="club"), open_page(width, as_user="ondersteuner")
    title = f"Bijlagen bij de begroting {uuid.uuid4().hex[:6]}"
    file_request(club, category="Vrijwilligers & kader", title=title)

    _open_in_queue(loket, title)
    loket.locator("#reply-body").fill("Hierbij het formulier voor de subsidie.")
    loket.locator("#reply-attachment").set_input_files(
        files=[{"name": "subsidieformulier.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}])
    loket.get_by_role("button", name=re.compile("^Versturen aan ")).click()
    loket.wait_for_load_state()
    loket.locator("#note-body").fill("Onze eigen rekensom, niet voor de club.")
    loket.locator("#note-attachment").set_input_files(
        files=[{"name": "interne-rekensom.xlsx", "buffer": samples.xlsx(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    loket.get_by_role("button", name="Notitie opslaan").click()
    loket.wait_for_load_state()
    assert loket.get_by_role("link", name="subsidieformulier.pdf").is_visible()
    assert loket.get_by_role("link", name="interne-rekensom.xlsx").is_visible()
    check_page(loket, "bijlagen-wachtrij", width)

    club.goto("/club/aanvragen")
    club.get_by_role("link", name=title).click()
    club.wait_for_load_state()
    link = club.get_by_role("link", name="subsidieformulier.pdf")
    assert link.is_visible()
    assert club.get_by_text("interne-rekensom").count() == 0
    assert club.get_by_text("Onze eigen rekensom").count() == 0
    check_page(club, "bijlagen-club", width)
    with club.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "subsidieformulier.pdf"
    with open(download.value.path(), "rb") as stream:
        assert stream.read() == samples.PDF


def test_a_renamed_program_is_refused_beside_the_field(open_page, width):
    club = open_page(width, as_user="club")
    file_request(club, category="Vrijwilligers & kader", title=f"Een programma {uuid.uuid4().hex[:6]}")
    club.goto("/club/aanvragen")
    club.get_by_role("link", name=re.compile("^Een programma ")).first.click()
    club.get_by_label("Je reactie").fill("Hier de begroting.")
    club.locator("#reply-attachment").set_input_files(
        files=[{"name": "begroting.pdf", "mimeType": "application/pdf", "buffer": samples.EXE}])
    club.get_by_role("button", name="Reactie versturen").click()
    club.wait_for_load_state()
    assert club.locator("#reply-attachment-error").is_visible()
    assert "kan niet als bijlage" in club.locator("#reply-attachment-error").inner_text()
    check_page(club, "bijlagen-geweigerd", width)
