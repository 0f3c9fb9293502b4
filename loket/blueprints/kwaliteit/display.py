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
    return _value_in_unit(criterion.metric, value)


def _value_in_unit(metric: str | None, value: float | None) -> str:
    if value is None:
        return "—"
    unit = unit_of(metric)
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


# How each corrected field is named in the correction history.
CORRECTED_FIELD_LABELS = {"title": "titel", "kind": "soort", "metric": "meting", "comparison": "vergelijking",
                          "threshold": "drempel", "window_days": "periode", "min_count": "minimum aantal",
                          "description": "omschrijving"}
KIND_WORDS = {"metric": "meting", "assessment": "beoordeling"}


def correction_text(change: dict) -> str:
    """One entry of a correction's change list as a Dutch sentence."""
    field, code, before, after = change["field"], change["code"], change["from"], change["to"]
    if field == "valid_from":
        return f"Geldig vanaf {date.fromisoformat(before):%d-%m-%Y} → {date.fromisoformat(after):%d-%m-%Y}."
    if field == "notes":
        return "Toelichting gewijzigd." if after else "Toelichting verwijderd."
    if field == "added":
        return f"{code} toegevoegd: {after}."
    if field == "retired":
        return f"{code} vervallen: {before}."
    if field == "description":
        return f"{code}: omschrijving gewijzigd."
    words = {"threshold": lambda v: _value_in_unit(change.get("metric"), v),
             "comparison": lambda v: COMPARISON_WORDS.get(v, v), "metric": lambda v: label_of(v) if v else "geen",
             "kind": lambda v: KIND_WORDS.get(v, v), "window_days": lambda v: f"{v} dagen" if v else "geen",
             "min_count": lambda v: "geen" if v is None else str(v)}.get(field, lambda v: v or "—")
    return f"{code}: {CORRECTED_FIELD_LABELS.get(field, field)} {words(before)} → {words(after)}."


HELPERS = {"correction_text": correction_text, "value_text": value_text, "norm_text": norm_text,
           "period_text": period_text, "passed_text": passed_text, "metric_label": label_of,
           "threshold_unit": threshold_unit}
