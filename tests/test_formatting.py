"""Dutch numbers and percentages (loket/formatting.py), as the pages, charts and exports write them."""
import pytest

from loket.formatting import number, percent


@pytest.mark.parametrize(("value", "places", "expected"), [
    (4.26, 1, "4,3"), (90.0, 1, "90"), (100.0, 1, "100"), (0.0, 1, "0"), (12.5, 1, "12,5"),
    (100.0, 0, "100"), (49.6, 0, "50"), (0.1234567, 6, "0,123457"), (3.0, 6, "3"),
    (0.95, None, "0,95"), (90.00000000000001, None, "90"), (15, None, "15"),
])
def test_number_has_a_decimal_comma_and_no_trailing_zeros(value, places, expected):
    assert number(value, places) == expected


@pytest.mark.parametrize(("fraction", "places", "expected"), [
    (0.925, 1, "92,5 %"), (0.9, 1, "90 %"), (1.0, 0, "100 %"), (0.5, 0, "50 %"), (0.9, None, "90 %"),
])
def test_percent_of_a_share(fraction, places, expected):
    assert percent(fraction, places) == expected


def test_the_filters_are_registered(app):
    template = app.jinja_env.from_string("{{ 4.26 | number }} · {{ (3 / 4) | percent(0) }}")
    assert template.render() == "4,3 · 75 %"
