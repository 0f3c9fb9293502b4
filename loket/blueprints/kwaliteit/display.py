"""How a measured value, a norm and a period read in Dutch on the quality pages."""
from datetime import date

from loket.formatting import MONTHS
from loket.models import Criterion

PERCENT_METRICS = {"first_response_within_sla", "referrals_decided_in_time", "club_reach", "basiseisen_known"}
UNITS = {"contact_reviewed_days": " dagen", "median_resolution_workdays": " werkdagen",
         "mean_satisfaction": " van 5", "active_supporters": ""}
COMPARISON_WORDS = {">=": "minstens", "<=": "hooguit", ">": "meer dan", "<": "minder dan", "==": "precies"}
PASSED_LABELS = {True: "Voldoet", False: "Voldoet niet", None: "Niet meetbaar"}


def number(value: float) -> str:
    """1 decimal at most, Dutch decimal comma: 4.25 → '4,3', 90.0 → '90'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def value_text(criterion: Criterion, value: float | None) -> str:
    if value is None:
        return "—"
    if criterion.metric in PERCENT_METRICS:
        return f"{number(value * 100)} %"
    return f"{number(value)}{UNITS.get(criterion.metric, '')}"


def norm_text(criterion: Criterion) -> str:
    if criterion.kind != "metric" or criterion.threshold is None:
        return "beoordeling bij de audit"
    return f"{COMPARISON_WORDS.get(criterion.comparison, criterion.comparison)} " \
           f"{value_text(criterion, criterion.threshold)}"


def period_text(period: date | None) -> str:
    return f"{MONTHS[period.month - 1]} {period.year}" if period else "—"


def passed_text(passed: bool | None) -> str:
    return PASSED_LABELS[passed]


HELPERS = {"value_text": value_text, "norm_text": norm_text, "period_text": period_text, "passed_text": passed_text}
