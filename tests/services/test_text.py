"""The typed-text rules shared by every form: typed days, web addresses and the keys that name rows in URLs."""
from datetime import date

import pytest

from loket.services.text import is_web_address, typed_day, url_key_problem


@pytest.mark.parametrize("typed, day", [
    ("2026-03-31", date(2026, 3, 31)), (" 31-03-2026 ", date(2026, 3, 31)), ("1-2-2025", date(2025, 2, 1)),
    ("", None), ("   ", None), (None, None), (date(2024, 6, 1), date(2024, 6, 1)),
])
def test_a_day_is_typed_the_iso_or_the_dutch_way(typed, day):
    assert typed_day(typed) == day


@pytest.mark.parametrize("typed", ["31-02-2026", "morgen", "2026/03/31", "31-03-26", "\x00", "٣١-٠٣-٢٠٢٦"])
def test_text_that_is_no_day_is_refused(typed):
    with pytest.raises(ValueError):
        typed_day(typed)


@pytest.mark.parametrize("url, ok", [
    ("https://sportloket.example/clubs", True), ("HTTP://sportloket.example", True),
    ("https://", False), ("https:///", False), ("javascript:alert(1)", False), ("JavaScript://%0aalert(1)", False),
    ("www.sportloket.example", False), ("https://sport loket.example", False), ("https://a\x00b", False), ("", False),
])
def test_a_web_address_is_http_or_https_with_a_host(url, ok):
    assert is_web_address(url) is ok


@pytest.mark.parametrize("key, problem", [
    ("knvb", None), ("badminton-nederland", None), ("knvb2", None),
    ("", "FORMAT"), ("KN VB", "FORMAT"), ("kn\x00vb", "FORMAT"), ("-knvb", "FORMAT"), ("x" * 41, "FORMAT"),
    ("nieuw", "De sleutel ‘nieuw’ is gereserveerd; kies een andere."),
    ("2024", "De sleutel ‘2024’ bestaat alleen uit cijfers: de API leest dat als een nummer (id). Voeg een letter toe."),
])
def test_a_new_url_key_is_lower_case_words_not_reserved_and_not_a_number(key, problem):
    assert url_key_problem(key, format_message="FORMAT", limit=40, reserved={"nieuw"}) == problem
