"""The metric criteria (DESIGN §6) measured for all loketten at once: a value and a verdict per loket.

The metrics themselves (name, label, unit, computation) are listed once, in
loket/services/quality/registry.py; their SQL lives in metric_queries.py.

`measure(criterion, as_of)` turns results into a value and a verdict per loket:
- `override` — a definite verdict that is not the comparison (K1 never reviewed: fail; K4 an open
  referral past due: fail);
- `Metric.empty_passes` — no observations at all is a pass for that metric (K4: nothing referred to
  the loket is not a failure), otherwise it is not measurable (`passed` NULL);
- `criterion.min_count` — fewer observations (`details["count"]`) than that: not measurable (K5),
  the value is still stored;
- otherwise `compare(value, comparison, threshold)`.
"""
from dataclasses import dataclass
from datetime import datetime

from loket.models import Criterion
from loket.services.quality.criteria import compare
from loket.services.quality.metric_queries import MetricResult
from loket.services.quality.registry import METRICS, Metric


@dataclass(frozen=True)
class Measured:
    """What is stored as a Measurement: the value, the verdict (None: not measurable) and details."""

    value: float | None
    passed: bool | None
    details: dict


def measure(criterion: Criterion, as_of: datetime) -> dict[int, Measured]:
    """The value and verdict of a metric criterion for every loket (one SQL statement). Reads only."""
    metric = METRICS[criterion.metric]
    results = metric.compute(as_of, criterion.window_days)
    return {loket_id: Measured(result.value, verdict(result, criterion, metric), result.details)
            for loket_id, result in results.items()}


def verdict(result: MetricResult, criterion: Criterion, metric: Metric) -> bool | None:
    if result.override is not None:
        return result.override
    count = result.details.get("count")
    if criterion.min_count and count is not None and count < criterion.min_count:
        return None
    if result.value is None:
        return True if metric.empty_passes else None
    return compare(result.value, criterion.comparison, criterion.threshold)
