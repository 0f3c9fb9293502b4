"""Template filters: Dutch dates in Europe/Amsterdam, Dutch numbers and percentages, labels for statuses and roles.

The number functions are plain functions too: services that write Dutch text or CSV (exports) use them."""
from datetime import datetime
from zoneinfo import ZoneInfo

from loket.models import ROLE_LABELS, STATUS_LABELS
from loket.models.base import AMSTERDAM, utcnow
from loket.models.request import CLUB_STATUS_LABELS

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(AMSTERDAM)


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    value = local(moment)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} {value:%H:%M}"


def format_date(moment) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        moment = local(moment)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def number(value: float, places: int | None = 1) -> str:
    """A number with a Dutch decimal comma. With `places`: at most that many decimals, trailing zeros
    dropped (4.26 → '4,3', 90.0 → '90'); with None: six significant digits, Python's `g` (0.95 → '0,95')."""
    if places is None:
        text = f"{value:g}"
    else:
        text = f"{value:.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent(fraction: float, places: int | None = 1) -> str:
    """A share (0–1) as a Dutch percentage: 0.925 → '92,5 %'; `places` as for number()."""
    return f"{number(fraction * 100, places)} %"


def iso(moment: datetime | None) -> str:
    return local(moment).isoformat() if moment else ""


def deadline_label(request) -> str:
    """Which deadline a request's `due_at` is: the first response while none was given, else the resolution
    (the rule of workflow.current_due_at, read from the same fields)."""
    if (request.first_response_at is None and request.first_response_due_at is not None
            and request.due_at == request.first_response_due_at):
        return "Eerste reactie uiterlijk"
    return "Afgerond uiterlijk"


def init_app(app):
    app.jinja_env.filters.update(
        datetime=format_datetime, date=format_date, iso=iso, number=number, percent=percent,
        status_label=lambda s: STATUS_LABELS.get(s, s), club_status_label=lambda s: CLUB_STATUS_LABELS.get(s, s),
        deadline_label=deadline_label, role_label=lambda r: ROLE_LABELS.get(r, r),
    )
    app.jinja_env.globals.update(now_utc=utcnow)
