"""The one reading of a gemeente code in an uploaded file (club import and region sets share it)."""
import pytest

from loket.services.csv_text import gemeente_code, unknown_gemeente_message


@pytest.mark.parametrize("typed, code", [
    ("GM0344", "GM0344"), (" gm0344 ", "GM0344"), ("0344", "GM0344"), ("344", "GM0344"),
    ("GM344", None), ("03441", None), ("Utrecht", None), ("", None),
    ("³⁴⁴", None), ("²", None), ("٣٤٤", None),  # digits to str.isdigit(), but only ASCII digits are a code
])
def test_gemeente_code(typed, code):
    assert gemeente_code(typed) == code


def test_unknown_gemeente_message():
    assert unknown_gemeente_message("GM9999") == ("Onbekende gemeentecode ‘GM9999’; gebruik de CBS-code, "
                                                  "bijvoorbeeld GM0344.")
    assert unknown_gemeente_message("  ") == "Vul de gemeentecode in, bijvoorbeeld GM0344."
