"""Duplicates in the browser (issue #14 point 6), at 1280 and 360 px: while a club types a new request, its open
request that looks alike appears ("Bedoel je deze vraag?"); a supporter merges a duplicate into the club's other
request and the club finds one conversation. Axe and the phone width through check_page."""
import re
import uuid

from playwright.sync_api import expect

from tests.support.browser import check_page, file_request


def test_a_club_typing_a_question_it_already_asked_sees_its_open_request(open_page, width):
    page = open_page(width, as_user="club")
    page.goto("/club/aanvragen/nieuw")
    page.get_by_label("Korte titel").fill("Subsidie voor ons G-voetbal")
    suggestion = page.get_by_role("heading", name="Bedoel je deze vraag?")
    expect(suggestion).to_be_visible()
    assert page.get_by_role("link", name="Subsidie voor een G-voetbalteam").is_visible()
    check_page(page, "club-bedoel-je-deze-vraag", width)


def test_a_supporter_merges_a_duplicate_and_the_club_reads_one_conversation(open_page, width):
    word = f"dubbel{uuid.uuid4().hex[:6]}"
    club = open_page(width, as_user="club")
    first = file_request(club, category="Vrijwilligers & kader", title=f"Kantinehulp {word}")
    second = file_request(club, category="Vrijwilligers & kader", title=f"Nogmaals kantinehulp {word}")
    page = open_page(width, as_user="ondersteuner")
    page.goto(f"/wachtrij/?q={second}")  # a reference opens its request
    page.get_by_label("Samenvoegen met").select_option(label=f"{first} · Kantinehulp {word}")
    check_page(page, "wachtrij-samenvoegen", width)
    page.get_by_role("button", name="Samenvoegen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Kantinehulp {word}", level=1).is_visible()
    assert page.get_by_text(f"{second} is samengevoegd met deze aanvraag").is_visible()
    club.goto("/club/aanvragen")
    club.get_by_role("link", name=f"Nogmaals kantinehulp {word}").click()
    club.wait_for_load_state()
    club.get_by_role("link", name=first).click()
    club.wait_for_load_state()
    assert re.search(r"/club/aanvragen/\d+$", club.url)
    assert club.get_by_text(f"Nogmaals kantinehulp {word}: wat kunnen jullie voor ons doen?").is_visible()
    check_page(club, "club-samengevoegd", width)
