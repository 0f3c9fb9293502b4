"""Dutch working days (DESIGN §5): holidays and working-time arithmetic.

All datetimes passed in and expected out are naive UTC, written out by hand:
Amsterdam is UTC+1 in winter (CET) and UTC+2 in summer (CEST); in 2026 summer time runs from
Sun 29 March to Sun 25 October. "N werkdagen" is N × 24 hours of time that falls on working days,
counted in Amsterdam local time.
"""
from datetime import date, datetime, timedelta

import pytest

from loket.services.requests.workdays import (
    DAY_SECONDS,
    _holidays_of,
    add_workdays,
    add_working_seconds,
    is_workday,
    workdays_between,
    working_seconds_between,
)

HOUR = 3600


def test_sanity_of_the_calendar_facts_used_below():
    # Verified with datetime, not assumed: the Koningsdag rule kicks in when 27 April is a Sunday.
    assert date(2014, 4, 27).weekday() == 6
    assert date(2025, 4, 27).weekday() == 6
    assert date(2031, 4, 27).weekday() == 6
    assert date(2026, 4, 27).weekday() == 0  # Monday
    assert date(2025, 5, 5).weekday() == 0  # Bevrijdingsdag 2025 on a Monday
    assert date(2026, 5, 5).weekday() == 1  # Tuesday
    assert date(2030, 5, 5).weekday() == 6  # Sunday: the lustrum holiday is invisible in is_workday
    assert date(2020, 5, 5).weekday() == 1  # Tuesday, a lustrum year on a weekday


# --------------------------------------------------------------------------------------------- holidays

# Easter Sunday 2025-04-20, 2026-04-05, 2027-03-28. Goede Vrijdag = Easter − 2; Paasmaandag = Easter + 1;
# Hemelvaart = Easter + 39 (a Thursday); Pinksteren = Easter + 49 / + 50.
HOLIDAYS_ON_WEEKDAYS = [
    # 2025
    ("2025-01-01", "Nieuwjaarsdag (wo)"),
    ("2025-04-18", "Goede Vrijdag"),
    ("2025-04-21", "Tweede Paasdag"),
    ("2025-05-05", "Bevrijdingsdag lustrum (ma)"),
    ("2025-05-29", "Hemelvaart"),  # 20 Apr + 39
    ("2025-06-09", "Tweede Pinksterdag"),  # 20 Apr + 50
    ("2025-12-25", "Eerste Kerstdag (do)"),
    ("2025-12-26", "Tweede Kerstdag (vr)"),
    # 2026
    ("2026-01-01", "Nieuwjaarsdag (do)"),
    ("2026-04-03", "Goede Vrijdag"),
    ("2026-04-06", "Tweede Paasdag"),
    ("2026-04-27", "Koningsdag (ma)"),
    ("2026-05-14", "Hemelvaart"),  # 5 Apr + 39
    ("2026-05-25", "Tweede Pinksterdag"),  # 5 Apr + 50
    ("2026-12-25", "Eerste Kerstdag (vr)"),
    # 2027
    ("2027-01-01", "Nieuwjaarsdag (vr)"),
    ("2027-03-26", "Goede Vrijdag"),
    ("2027-03-29", "Tweede Paasdag"),
    ("2027-04-27", "Koningsdag (di)"),
    ("2027-05-06", "Hemelvaart"),  # 28 Mar + 39
    ("2027-05-17", "Tweede Pinksterdag"),  # 28 Mar + 50
    # other years
    ("2020-05-05", "Bevrijdingsdag lustrum 2020 (di)"),
    ("2030-12-25", "Eerste Kerstdag 2030 (wo)"),
]


@pytest.mark.parametrize(("day", "name"), HOLIDAYS_ON_WEEKDAYS, ids=[f"{d} {n}" for d, n in HOLIDAYS_ON_WEEKDAYS])
def test_holidays_on_weekdays_are_not_workdays(day, name):
    day = date.fromisoformat(day)
    assert day.weekday() < 5  # a real test: it is a weekday, so only the holiday makes it free
    assert is_workday(day) is False


# Sunday holidays (Pasen, Pinksteren) and weekend ones: in the holiday set, and not workdays anyway.
HOLIDAYS_IN_SET = [
    "2025-04-20", "2025-06-08", "2026-04-05", "2026-05-24", "2027-03-28", "2027-05-16",  # Pasen/Pinksteren
    "2026-12-26", "2027-12-25", "2027-12-26",  # Kerst on Sat/Sun
    "2025-04-26", "2031-04-26", "2014-04-26",  # Koningsdag moved to the 26th (the 27th is a Sunday)
    "2030-05-05",  # Bevrijdingsdag lustrum 2030 (a Sunday)
]


@pytest.mark.parametrize("day", HOLIDAYS_IN_SET)
def test_weekend_holidays_are_in_the_holiday_set(day):
    day = date.fromisoformat(day)
    assert day in _holidays_of(day.year)
    assert is_workday(day) is False


WORKDAYS = [
    ("2026-05-05", "Bevrijdingsdag 2026: geen lustrum, dus werkdag (di)"),
    ("2027-05-05", "Bevrijdingsdag 2027: werkdag (wo)"),
    ("2028-05-05", "Bevrijdingsdag 2028: werkdag (vr)"),
    ("2025-04-28", "ma na Koningsdag-op-zaterdag 2025: niet verschoven naar maandag"),
    ("2031-04-28", "ma na Koningsdag-op-zaterdag 2031"),
    ("2014-04-28", "ma na Koningsdag-op-zaterdag 2014"),
    ("2026-04-02", "Witte Donderdag 2026"),
    ("2026-04-07", "di na Pasen 2026"),
    ("2026-05-15", "vr na Hemelvaart 2026"),
    ("2026-05-26", "di na Pinksteren 2026"),
    ("2026-12-24", "Kerstavond 2026 (do)"),
    ("2026-12-31", "Oudejaarsdag 2026 (do)"),
    ("2027-01-04", "eerste maandag 2027"),
    ("2026-12-28", "ma na Kerst 2026: Tweede Kerstdag op zaterdag wordt niet ingehaald"),
]


@pytest.mark.parametrize(("day", "name"), WORKDAYS, ids=[f"{d} {n.split(':')[0]}" for d, n in WORKDAYS])
def test_ordinary_weekdays_are_workdays(day, name):
    assert is_workday(date.fromisoformat(day)) is True


def test_koningsdag_on_the_27th_normally_and_the_26th_when_the_27th_is_a_sunday():
    assert date(2026, 4, 27) in _holidays_of(2026)
    assert date(2026, 4, 26) not in _holidays_of(2026)
    for year in (2014, 2025, 2031):
        assert date(year, 4, 26) in _holidays_of(year), year
        assert date(year, 4, 27) not in _holidays_of(year), year


def test_bevrijdingsdag_only_in_lustrum_years():
    assert date(2025, 5, 5) in _holidays_of(2025)
    assert date(2030, 5, 5) in _holidays_of(2030)
    assert date(2026, 5, 5) not in _holidays_of(2026)
    assert date(2029, 5, 5) not in _holidays_of(2029)


def test_holiday_set_for_2026_is_exactly_the_design_list():
    assert _holidays_of(2026) == {
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 3), date(2026, 4, 5), date(2026, 4, 6),  # Goede Vrijdag, Pasen
        date(2026, 4, 27),  # Koningsdag
        date(2026, 5, 14),  # Hemelvaart
        date(2026, 5, 24), date(2026, 5, 25),  # Pinksteren
        date(2026, 12, 25), date(2026, 12, 26),  # Kerst
    }


def test_weekends_are_not_workdays_and_plain_weekdays_are():
    # Week of Mon 2 March 2026 (no holidays).
    week = [date(2026, 3, 2) + timedelta(days=i) for i in range(7)]
    assert [is_workday(d) for d in week] == [True, True, True, True, True, False, False]


# ------------------------------------------------------------------------------------------ add_workdays

ADD_WORKDAYS = [
    pytest.param(
        # Mon 2 Mar 10:00 CET (09:00 UTC): Mon 14h + Tue 24h + Wed 10h = 48h → Wed 10:00 CET.
        datetime(2026, 3, 2, 9), 2, datetime(2026, 3, 4, 9), id="gewone-week",
    ),
    pytest.param(
        # Thu 5 Mar 10:00 CET: Thu 14h + Fri 24h + (weekend) + Mon 10h → Mon 9 Mar 10:00 CET.
        datetime(2026, 3, 5, 9), 2, datetime(2026, 3, 9, 9), id="over-het-weekend",
    ),
    pytest.param(
        # Wed 23 Dec 10:00 CET: Wed 14h + Thu 24 Dec 24h = 38h; Fri 25 (Kerst), Sat, Sun free;
        # Mon 28 Dec + 10h → Mon 28 Dec 10:00 CET.
        datetime(2026, 12, 23, 9), 2, datetime(2026, 12, 28, 9), id="over-kerst",
    ),
    pytest.param(
        # Wed 23 Dec 10:00 CET + 6: Wed 14h, Thu 24, Mon 28, Tue 29, Wed 30 (4×24) = 110h;
        # Thu 31 Dec 10h more → 120h = 5 days reaches Thu 31 10:00; the 6th day: Thu 31 14h,
        # Fri 1 Jan (Nieuwjaarsdag), Sat, Sun free, Mon 4 Jan 10h → Mon 4 Jan 2027 10:00 CET.
        datetime(2026, 12, 23, 9), 6, datetime(2027, 1, 4, 9), id="over-kerst-en-nieuwjaar",
    ),
    pytest.param(
        # Thu 31 Dec 10:00 CET + 1: Thu 14h, 1 Jan + weekend free, Mon 4 Jan 10h.
        datetime(2026, 12, 31, 9), 1, datetime(2027, 1, 4, 9), id="oudejaarsdag-over-jaargrens",
    ),
    pytest.param(
        # Thu 2 Apr 10:00 CEST (08:00 UTC): Thu 14h; Fri 3 (Goede Vrijdag), Sat, Sun, Mon 6
        # (Paasmaandag) free; Tue 7 24h (38h); Wed 8 10h → Wed 8 Apr 10:00 CEST.
        datetime(2026, 4, 2, 8), 2, datetime(2026, 4, 8, 8), id="over-pasen",
    ),
    pytest.param(
        # Sat 7 Mar 15:00 CET: the clock starts Mon 9 Mar 00:00; 48h → Wed 11 Mar 00:00 CET
        # = Tue 10 Mar 23:00 UTC.
        datetime(2026, 3, 7, 14), 2, datetime(2026, 3, 10, 23), id="start-op-zaterdag",
    ),
    pytest.param(
        # Fri 27 Mar 10:00 CET (09:00 UTC). Summer time starts Sun 29 Mar. Fri 14h + Mon 30 24h +
        # Tue 31 10h → Tue 31 Mar 10:00 CEST = 08:00 UTC: same wall clock, one hour earlier in UTC.
        datetime(2026, 3, 27, 9), 2, datetime(2026, 3, 31, 8), id="zomertijd-maart",
    ),
    pytest.param(
        # Fri 23 Oct 10:00 CEST (08:00 UTC). Winter time starts Sun 25 Oct. → Tue 27 Oct 10:00 CET
        # = 09:00 UTC.
        datetime(2026, 10, 23, 8), 2, datetime(2026, 10, 27, 9), id="wintertijd-oktober",
    ),
    pytest.param(
        # Mon 2 Mar 10:00 CET + 15: three whole working weeks → Mon 23 Mar 10:00 CET.
        datetime(2026, 3, 2, 9), 15, datetime(2026, 3, 23, 9), id="vijftien-werkdagen",
    ),
    pytest.param(
        # Mon 20 Apr 10:00 CEST (08:00 UTC) + 15 across Koningsdag (Mon 27 Apr):
        # working days after the 20th: 21,22,23,24 (4), 28,29,30, 1 May (8), 4,5,6,7,8 (13, 5 May is
        # a workday in 2026), 11,12 (15) → Tue 12 May 10:00 CEST.
        datetime(2026, 4, 20, 8), 15, datetime(2026, 5, 12, 8), id="vijftien-over-koningsdag",
    ),
    pytest.param(
        # 0 werkdagen on a working day is the start itself.
        datetime(2026, 3, 2, 9), 0, datetime(2026, 3, 2, 9), id="nul-dagen",
    ),
]


@pytest.mark.parametrize(("start", "days", "expected"), ADD_WORKDAYS)
def test_add_workdays(start, days, expected):
    assert add_workdays(start, days) == expected


def test_add_workdays_returns_naive_utc():
    result = add_workdays(datetime(2026, 3, 2, 9), 2)
    assert result.tzinfo is None


def test_add_working_seconds_within_the_day():
    # Mon 2 Mar 10:00 CET + 3h → 13:00 CET = 12:00 UTC.
    assert add_working_seconds(datetime(2026, 3, 2, 9), 3 * HOUR) == datetime(2026, 3, 2, 12)


def test_add_working_seconds_from_a_holiday_starts_the_next_working_morning():
    # Fri 3 Apr 2026 (Goede Vrijdag) 12:00 CEST: the clock starts Tue 7 Apr 00:00 CEST (Mon is
    # Paasmaandag); + 9h → Tue 7 Apr 09:00 CEST = 07:00 UTC.
    assert add_working_seconds(datetime(2026, 4, 3, 10), 9 * HOUR) == datetime(2026, 4, 7, 7)


# ------------------------------------------------------------------------- working_seconds_between

BETWEEN = [
    pytest.param(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 12), 3 * HOUR, id="zelfde-dag"),
    pytest.param(
        # Fri 6 Mar 10:00 → Mon 9 Mar 10:00 CET: Fri 14h + Mon 10h = 24h, the weekend does not count.
        datetime(2026, 3, 6, 9), datetime(2026, 3, 9, 9), 24 * HOUR, id="vrijdag-tot-maandag",
    ),
    pytest.param(
        # Sat 7 Mar 10:00 → Sun 8 Mar 18:00 CET: nothing.
        datetime(2026, 3, 7, 9), datetime(2026, 3, 8, 17), 0, id="alleen-weekend",
    ),
    pytest.param(
        # Sat 7 Mar 10:00 → Mon 9 Mar 10:00 CET: only Mon 00:00–10:00.
        datetime(2026, 3, 7, 9), datetime(2026, 3, 9, 9), 10 * HOUR, id="zaterdag-tot-maandag",
    ),
    pytest.param(
        # Thu 2 Apr 10:00 → Tue 7 Apr 10:00 CEST: Thu 14h + Tue 10h (Goede Vrijdag, weekend, Paasmaandag).
        datetime(2026, 4, 2, 8), datetime(2026, 4, 7, 8), 24 * HOUR, id="over-pasen",
    ),
    pytest.param(
        # Wed 23 Dec 10:00 CET → Mon 4 Jan 2027 10:00 CET: Wed 14h, Thu 24, Mon 28–Thu 31 (4×24),
        # Mon 4 Jan 10h = 14 + 24 + 96 + 10 = 144h = 6 days.
        datetime(2026, 12, 23, 9), datetime(2027, 1, 4, 9), 144 * HOUR, id="over-kerst-en-nieuwjaar",
    ),
    pytest.param(
        # Fri 27 Mar 10:00 CET → Mon 30 Mar 10:00 CEST (08:00 UTC): 14h + 10h of local wall-clock time;
        # the hour lost on Sunday 29 March is not a working hour.
        datetime(2026, 3, 27, 9), datetime(2026, 3, 30, 8), 24 * HOUR, id="over-zomertijd",
    ),
    pytest.param(
        # Fri 23 Oct 10:00 CEST → Mon 26 Oct 10:00 CET (09:00 UTC): 24h, the extra Sunday hour is free.
        datetime(2026, 10, 23, 8), datetime(2026, 10, 26, 9), 24 * HOUR, id="over-wintertijd",
    ),
    pytest.param(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9), 0, id="leeg-bereik"),
    pytest.param(datetime(2026, 3, 4, 9), datetime(2026, 3, 2, 9), 0, id="negatief-bereik"),
]


@pytest.mark.parametrize(("start", "end", "expected"), BETWEEN)
def test_working_seconds_between(start, end, expected):
    assert working_seconds_between(start, end) == expected


def test_workdays_between_is_seconds_over_a_day():
    # Mon 2 Mar 10:00 → Mon 9 Mar 22:00 CET: 5 whole days (Mon..Fri 10:00→10:00 spans 5 working days)
    # + Mon 10:00–22:00 = 12h = 0.5 day → 5.5.
    assert workdays_between(datetime(2026, 3, 2, 9), datetime(2026, 3, 9, 21)) == 5.5
    assert workdays_between(datetime(2026, 3, 6, 9), datetime(2026, 3, 9, 9)) == 1.0
    assert workdays_between(datetime(2026, 3, 9, 9), datetime(2026, 3, 6, 9)) == 0.0
    assert DAY_SECONDS == 86400


ROUND_TRIPS = [
    pytest.param(datetime(2026, 3, 2, 9), datetime(2026, 3, 4, 15, 30), id="binnen-een-week"),
    pytest.param(datetime(2026, 3, 6, 16), datetime(2026, 3, 9, 7, 15), id="over-weekend"),
    pytest.param(datetime(2026, 3, 7, 12), datetime(2026, 3, 10, 8), id="start-in-weekend"),
    pytest.param(datetime(2026, 4, 2, 8), datetime(2026, 4, 7, 13), id="over-pasen"),
    pytest.param(datetime(2026, 12, 23, 9), datetime(2027, 1, 4, 13, 45), id="over-jaargrens"),
    pytest.param(datetime(2026, 3, 27, 9), datetime(2026, 3, 31, 8), id="over-zomertijd"),
    pytest.param(datetime(2026, 10, 23, 8), datetime(2026, 10, 27, 9), id="over-wintertijd"),
    pytest.param(datetime(2026, 4, 20, 8), datetime(2026, 5, 15, 8), id="over-koningsdag-en-hemelvaart"),
]


@pytest.mark.parametrize(("start", "end"), ROUND_TRIPS)
def test_add_working_seconds_round_trips_working_seconds_between(start, end):
    assert is_workday(end.date())  # (all ends chosen in daytime on working days, in both UTC and local)
    assert add_working_seconds(start, working_seconds_between(start, end)) == end
