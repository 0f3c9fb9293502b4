"""Dutch working days (werkdagen): Mon–Fri minus national holidays, in Europe/Amsterdam time.

Working time is measured in seconds that fall on working days, so "2 werkdagen" is
2 × 24 hours of working-day time, and pauses (wacht_op_club) can be subtracted exactly.
Datetimes in and out are naive UTC, as stored in the database.
"""
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from loket.models.base import AMSTERDAM

DAY_SECONDS = 86400


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    # holidays.NL has exactly DESIGN §5's list: Goede Vrijdag, Koningsdag (26th when the 27th
    # is a Sunday), Bevrijdingsdag only in lustrum years, Hemelvaart, Pasen, Pinksteren, Kerst.
    return frozenset(holidays.NL(years=year).keys())


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def _to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).replace(tzinfo=None)


def _to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)


def _next_workday_start(day: date) -> datetime:
    day += timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return datetime.combine(day, time())


def add_working_seconds(start: datetime, seconds: float) -> datetime:
    """The moment `seconds` of working-day time after `start` (naive UTC in, naive UTC out)."""
    if seconds <= 0:
        return start
    moment = _to_local(start)
    if not is_workday(moment.date()):
        moment = _next_workday_start(moment.date())
    remaining = seconds
    while True:
        day_end = datetime.combine(moment.date() + timedelta(days=1), time())
        available = (day_end - moment).total_seconds()
        if remaining <= available:
            return _to_utc(moment + timedelta(seconds=remaining))
        remaining -= available
        moment = _next_workday_start(moment.date())


def add_workdays(start: datetime, days: int) -> datetime:
    return add_working_seconds(start, days * DAY_SECONDS)


def working_seconds_between(start: datetime, end: datetime) -> float:
    """Seconds of working-day time from `start` to `end` (0 when end is not after start)."""
    if end <= start:
        return 0.0
    local_start, local_end = _to_local(start), _to_local(end)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if is_workday(day):
            day_start = max(local_start, datetime.combine(day, time()))
            day_end = min(local_end, datetime.combine(day + timedelta(days=1), time()))
            total += max(0.0, (day_end - day_start).total_seconds())
        day += timedelta(days=1)
    return total


def workdays_between(start: datetime, end: datetime) -> float:
    return working_seconds_between(start, end) / DAY_SECONDS
