"""Template filters: Dutch dates in Europe/Amsterdam, labels for statuses and roles."""
from datetime import datetime
from zoneinfo import ZoneInfo

from loket.models import ROLE_LABELS, STATUS_LABELS
from loket.models.base import AMSTERDAM, utcnow

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


def iso(moment: datetime | None) -> str:
    return local(moment).isoformat() if moment else ""


def init_app(app):
    app.jinja_env.filters.update(
        datetime=format_datetime, date=format_date, iso=iso,
        status_label=lambda s: STATUS_LABELS.get(s, s), role_label=lambda r: ROLE_LABELS.get(r, r),
    )
    app.jinja_env.globals.update(now_utc=utcnow)
