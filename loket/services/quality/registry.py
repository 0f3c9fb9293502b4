"""The one list of the metrics a criterion can use: name, Dutch label, unit of the value, and computation.

Criteria are validated against it (criteria.py), measurements computed with it (metrics.py), and the
pages and exports read the label and unit from it. The SQL of each metric lives in metric_queries.py,
which imports nothing of quality, so there is no import circle.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from loket.services.quality import metric_queries as queries
from loket.services.quality.metric_queries import MetricResult

# How a metric's value reads (presentation only; the values themselves are stored as computed).
PERCENT, DAYS, WORKDAYS, SCORE, COUNT = "percent", "dagen", "werkdagen", "score", "aantal"
UNIT_LABELS = {PERCENT: "aandeel (0–1)", DAYS: "dagen", WORKDAYS: "werkdagen", SCORE: "score (1–5)",
               COUNT: "aantal"}


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # what the value is, in Dutch
    unit: str  # one of UNIT_LABELS
    compute: Callable[[datetime, int | None], dict[int, MetricResult]]
    # No observations at all counts as a pass (instead of 'not measurable').
    empty_passes: bool = False


METRICS: dict[str, Metric] = {metric.name: metric for metric in (
    Metric("contact_reviewed_days", "dagen sinds contactgegevens en openingstijden zijn nagekeken", DAYS,
           queries.contact_reviewed_days),
    Metric("first_response_within_sla", "aandeel aanvragen met een eerste reactie binnen de servicenorm", PERCENT,
           queries.first_response_within_sla),
    Metric("median_resolution_workdays", "mediane doorlooptijd in werkdagen (zonder wachten op de club)", WORKDAYS,
           queries.median_resolution_workdays),
    Metric("referrals_decided_in_time",
           "aandeel doorverwijzingen aan het loket dat binnen 3 werkdagen is besloten", PERCENT,
           queries.referrals_decided_in_time, empty_passes=True),
    Metric("mean_satisfaction", "gemiddelde tevredenheid (1–5)", SCORE, queries.mean_satisfaction),
    Metric("active_supporters", "aantal actieve clubondersteuners", COUNT, queries.active_supporters),
    Metric("club_reach", "aandeel clubs in het werkgebied met een aanvraag", PERCENT, queries.club_reach),
    Metric("basiseisen_known", "aandeel clubs in het werkgebied waarvan de basiseisen bekend zijn", PERCENT,
           queries.basiseisen_known),
)}


def unit_of(metric: str | None) -> str:
    """The unit of a metric's value; a plain count for a name that is not (or no longer) registered."""
    return METRICS[metric].unit if metric in METRICS else COUNT


def label_of(metric: str | None) -> str:
    """The Dutch label of a metric; the bare name for one that is not (or no longer) registered."""
    return METRICS[metric].label if metric in METRICS else (metric or "")
