"""Which typed keys can name a row (the lookups of lokets, bonden, initiatives, region sets and teams)."""
import pytest

from loket.services.ids import as_key


@pytest.mark.parametrize("value, limit, key", [
    ("knvb", 40, "knvb"), ("a" * 40, 40, "a" * 40), ("a" * 41, 40, None), ("", 80, None), ("kn\x00vb", 80, None),
    (None, 80, None), (12, 80, None), (["knvb"], 80, None),
])
def test_as_key(value, limit, key):
    assert as_key(value, limit) == key
