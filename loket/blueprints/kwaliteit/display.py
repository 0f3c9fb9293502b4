"""How a measured value, a norm and a period read in Dutch on the quality pages."""
from datetime import date

from loket.formatting import MONTHS, number, percent
from loket.models import Criterion
from loket.services.quality.registry import (
    COUNT,
    DAYS,
    PERCENT,
    SCORE,
    WORKDAYS,
    label_of,
    unit_of,
)

# What follows a (non-percentage) value of each unit.
UNIT_SUFFIXES = {DAYS: " dagen", WORKDAYS: " werkdagen", SCORE: " van 5", COUNT: ""}
COMPARISON_WORDS = {">=": "minstens", "<=": "hooguit", ">": "meer dan", "<": "minder dan", "==": "precies"}
PASSED_LABELS = {True: "Voldoet", False: "Voldoet niet", None: "Niet meetbaar"}
# The unit next to a threshold input (shown, and as read out with the input's label).
THRESHOLD_UNITS = {PERCENT: ("%", "in procenten"), DAYS: ("dagen", "in dagen"), WORKDAYS: ("werkdagen", "in werkdagen"),
                   SCORE: ("(1–5)", "score van 1 tot 5"), COUNT: ("", "aantal")}


def value_text(criterion: Criterion, value: float | None) -> str:
    if value is None:
        return "—"
    unit = unit_of(criterion.metric)
    if unit == PERCENT:
        return percent(value)
    return f"{number(value)}{UNIT_SUFFIXES[unit]}"


def norm_text(criterion: Criterion) -> str:
    if criterion.kind != "metric" or criterion.threshold is None:
        return "beoordeling bij de audit"
    return f"{COMPARISON_WORDS.get(criterion.comparison, criterion.comparison)} " \
           f"{value_text(criterion, criterion.threshold)}"


def threshold_unit(metric: str | None) -> tuple[str, str]:
    """(shown, spoken) unit of a metric's threshold as typed in the publish form."""
    return THRESHOLD_UNITS[unit_of(metric)]


def period_text(period: date | None) -> str:
    return f"{MONTHS[period.month - 1]} {period.year}" if period else "—"


def passed_text(passed: bool | None) -> str:
    return PASSED_LABELS[passed]


HELPERS = {"value_text": value_text, "norm_text": norm_text, "period_text": period_text, "passed_text": passed_text,
           "metric_label": label_of, "threshold_unit": threshold_unit}
