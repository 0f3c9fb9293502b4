"""The typed-text rules shared by every form: typed days, web addresses."""
from datetime import date

import pytest

from loket.services.text import is_web_address, typed_day


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
