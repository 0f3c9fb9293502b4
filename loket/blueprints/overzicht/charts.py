"""Chart geometry for server-rendered inline SVG, drawn by the chart macros in templates/overzicht/_macros.html:
no JavaScript, no CDN.

Each chart is a plain dataclass of coordinates and labels, with a Dutch title and a description that
says in words what the chart shows; the page always shows a table with the same numbers beside it.
"""
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from loket.formatting import MONTHS, number, percent
from loket.services.quality.overview import CriterionHistory
from loket.services.quality.registry import COUNT, DAYS, PERCENT, SCORE, WORKDAYS

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44
SMALL_WIDTH, SMALL_HEIGHT = 320, 160


def month_label(month: date, *, short: bool = False) -> str:
    name = MONTHS[month.month - 1]
    return f"{name} ’{month.year % 100:02d}" if short else f"{name} {month.year}"


def format_value(value: float | None, unit: str) -> str:
    """A measured value as a Dutch reader expects it: 92,5 %, 4,2, 12 dagen."""
    if value is None:
        return "—"
    if unit == PERCENT:
        return percent(value)
    if unit in (DAYS, WORKDAYS):
        return f"{number(value)} {unit.removesuffix('en') if value == 1 else unit}"
    return number(value)


def format_norm(comparison: str, threshold: float | None, unit: str) -> str:
    if threshold is None:
        return "—"
    return f"{ {'>=': '≥', '<=': '≤'}.get(comparison, comparison)} {format_value(threshold, unit)}"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    passed: bool | None
    label: str  # for the <title> tooltip of the marker


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # SVG polyline point lists, one per unbroken stretch
    markers: list[Marker] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    threshold_y: float | None = None
    threshold_label: str | None = None

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM


def _axis(largest: float, *, integer: bool = False) -> tuple[float, float]:
    """(top, step) of a value axis from 0 with at most five round ticks (whole steps for counts)."""
    largest = largest if largest > 0 else 1.0
    rough = largest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(s * magnitude for s in steps if s * magnitude >= rough)
    if integer:
        step = max(1.0, float(round(step)))
    return step * math.ceil(largest / step - 1e-9), step


def _y_axis(chart: Chart, top_value: float, step: float, unit: str) -> Callable[[float], float]:
    """Ticks every `step` from 0 to top_value; returns the value → y function."""
    plot = chart.bottom - chart.top

    def y_of(value: float) -> float:
        return round(chart.bottom - plot * (value / top_value), 1)

    count = round(top_value / step)
    chart.ticks = [Tick(y_of(step * i), _tick_label(step * i, unit)) for i in range(count + 1)]
    return y_of


def _tick_label(value: float, unit: str) -> str:
    return percent(value, 0) if unit == PERCENT else number(value)


def _x_positions(chart: Chart, count: int) -> list[float]:
    if count == 1:
        return [round((chart.left + chart.right) / 2, 1)]
    step = (chart.right - chart.left - 24) / (count - 1)
    return [round(chart.left + 12 + i * step, 1) for i in range(count)]


def _every(count: int, room: int) -> int:
    return max(1, math.ceil(count / room))


def history_charts(detail) -> dict[str, Chart]:
    """criterion code → the history_chart of each measured criterion of a loket (a quality.overview.LoketDetail),
    with the ids the loket pages use (grafiek-k2, …)."""
    return {h.criterion.code: history_chart(h, chart_id=f"grafiek-{h.criterion.code.lower()}",
                                            loket_name=detail.row.name)
            for h in detail.histories}


def history_chart(history: CriterionHistory, *, chart_id: str, loket_name: str) -> Chart:
    """A line through the measured months, a marker per month (filled circle: voldoet, square: voldoet
    niet, none: not measurable), and the norm as a dashed line. Months are evenly spaced from the first
    to the last measurement, so a month without a measurement shows as a gap."""
    criterion, unit, points = history.criterion, history.unit, history.points
    title = f"{criterion.code} {criterion.title}: {loket_name}"
    chart = Chart(chart_id, title, "")
    if not points:
        chart.description = f"{criterion.code} is voor {loket_name} nog niet gemeten."
        return chart
    first, last = points[0].period, points[-1].period
    months = [_add_months(first, i) for i in range((last.year - first.year) * 12 + last.month - first.month + 1)]
    values = [p.value for p in points if p.value is not None]
    threshold = criterion.threshold
    if unit == PERCENT:
        top_value, step = 1.0, 0.25
    elif unit == SCORE:
        top_value, step = 5.0, 1.0
    else:
        top_value, step = _axis(max([*values, threshold or 0]) * 1.05, integer=unit == COUNT)
    y_of = _y_axis(chart, top_value, step, unit)
    xs = dict(zip(months, _x_positions(chart, len(months))))
    stretch: list[str] = []
    by_month = {p.period: p for p in points}
    for month in months:
        point = by_month.get(month)
        if point is None or point.value is None:
            if stretch:
                chart.lines.append(" ".join(stretch))
            stretch = []
            continue
        x, y = xs[month], y_of(min(max(point.value, 0), top_value))
        stretch.append(f"{x},{y}")
        verdict = {True: "voldoet", False: "voldoet niet", None: "niet meetbaar"}[point.passed]
        chart.markers.append(Marker(x, y, point.passed,
                                    f"{month_label(month)}: {format_value(point.value, unit)} ({verdict})"))
    if stretch:
        chart.lines.append(" ".join(stretch))
    every = _every(len(months), 8)
    chart.x_labels = [XLabel(xs[m], month_label(m, short=True)) for i, m in enumerate(months) if i % every == 0]
    if threshold is not None:
        chart.threshold_y = y_of(min(max(threshold, 0), top_value))
        chart.threshold_label = "norm"
    measured = [p for p in points if p.value is not None]
    passed = sum(1 for p in points if p.passed)
    parts = [f"{len(points)} {'maand' if len(points) == 1 else 'maanden'} gemeten, van {month_label(first)} "
             f"tot en met {month_label(last)}; in {passed} daarvan voldeed het loket."]
    if measured:
        parts.append(f"Eerste waarde {format_value(measured[0].value, unit)}, laatste "
                     f"{format_value(measured[-1].value, unit)}.")
    if threshold is not None:
        parts.append(f"De norm is {format_norm(criterion.comparison, threshold, unit)}.")
    parts.append("De tabel eronder bevat dezelfde cijfers.")
    chart.description = " ".join(parts)
    return chart


def demand_chart(months: tuple[date, ...], counts: tuple[int, ...], *, chart_id: str, title: str,
                 small: bool = False, scale_to: int | None = None) -> Chart:
    """Bars: requests filed per month. Small multiples share one scale (`scale_to`: the largest count of
    all of them), so their bars can be compared."""
    chart = Chart(chart_id, title, "", width=SMALL_WIDTH if small else WIDTH,
                  height=SMALL_HEIGHT if small else HEIGHT, left=40 if small else LEFT)
    top_value, step = _axis(max(scale_to or 0, *counts, 0), integer=True)
    y_of = _y_axis(chart, top_value, step, COUNT)
    xs = _x_positions(chart, len(months))
    width = max(2.0, round((chart.right - chart.left - 24) / max(1, len(months)) * 0.7, 1))
    for x, month, count in zip(xs, months, counts):
        y = y_of(count)
        chart.bars.append(Bar(round(x - width / 2, 1), y, width, round(chart.bottom - y, 1),
                              f"{month_label(month)}: {count} {'aanvraag' if count == 1 else 'aanvragen'}"))
    every = _every(len(months), 4 if small else 12)
    chart.x_labels = [XLabel(x, month_label(m, short=True)) for i, (x, m) in enumerate(zip(xs, months))
                      if i % every == 0]
    busiest = max(zip(counts, months), default=(0, None))
    total = sum(counts)
    description = (f"{total} {'aanvraag' if total == 1 else 'aanvragen'} van {month_label(months[0])} tot en met "
                   f"{month_label(months[-1])}")
    description += (f"; de meeste in {month_label(busiest[1])} ({busiest[0]})." if busiest[0] else ".")
    chart.description = description + " De tabel bevat dezelfde cijfers."
    return chart


def _add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
