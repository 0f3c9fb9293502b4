"""Demand over time: requests per category and per province per month, in a constant number of queries."""
from datetime import date, datetime

from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Category
from loket.services.reporting import demand as demand_service
from tests.factories import ClubFactory
from tests.support.db import count_queries
from tests.support.quality import NOVEMBER, stored_request

TODAY = date(2026, 11, 24)


def test_last_months_run_across_the_year_boundary():
    assert demand_service.last_months(3, date(2026, 2, 14)) == (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))
    assert len(demand_service.last_months(12, TODAY)) == 12 and demand_service.last_months(12, TODAY)[0] == date(2025, 12, 1)


def test_demand_per_category_counts_requests_per_month(quality):
    club = quality.club_utrecht
    stored_request(club, "overig", datetime(2026, 11, 2, 9))
    stored_request(club, "overig", datetime(2026, 11, 20, 23, 59))
    stored_request(quality.club_zeist, "overig", datetime(2026, 10, 31, 23, 59))  # fallback queue: counts too
    stored_request(club, "sport-en-zorg", datetime(2025, 12, 1, 0, 0))  # first day of the window
    stored_request(club, "sport-en-zorg", datetime(2025, 11, 30, 23, 59))  # just before: not counted
    demand = demand_service.demand_by_category(TODAY)
    series = {s.key: s for s in demand.series}
    assert demand.months[0] == date(2025, 12, 1) and demand.months[-1] == NOVEMBER
    assert series["overig"].counts[-2:] == (1, 2) and series["overig"].total == 3
    assert series["sport-en-zorg"].counts[0] == 1 and series["sport-en-zorg"].total == 1
    active = _db.session.scalars(select(Category.slug).where(Category.active.is_(True))).all()
    assert set(series) == set(active)  # every active category, with zeros
    assert demand.totals[-1] == 2 and demand.total == 4


def test_demand_per_province_follows_the_clubs_gemeente(quality):
    gelderland_club = ClubFactory(gemeente=quality.arnhem)
    stored_request(gelderland_club, "overig", datetime(2026, 11, 3))
    stored_request(gelderland_club, "overig", datetime(2026, 9, 3))
    stored_request(quality.club_utrecht, "overig", datetime(2026, 11, 4))
    demand = demand_service.demand_by_province(TODAY)
    series = {s.key: s for s in demand.series}
    assert list(series) == ["Gelderland", "Utrecht"]
    assert series["Gelderland"].counts[-3:] == (1, 0, 1)
    assert series["Utrecht"].counts[-1] == 1 and series["Utrecht"].total == 1


def test_demand_uses_a_constant_number_of_queries(app, quality):
    stored_request(quality.club_utrecht, "overig", datetime(2026, 11, 2))
    with count_queries(app) as few:
        demand_service.demand_by_category(TODAY), demand_service.demand_by_province(TODAY)
    for month in range(1, 12):
        stored_request(ClubFactory(gemeente=quality.arnhem), "sport-en-zorg", datetime(2026, month, 2))
    with count_queries(app) as many:
        demand_service.demand_by_category(TODAY), demand_service.demand_by_province(TODAY)
    assert len(many) == len(few) == 4


def test_demand_months_are_utc_months(network):
    # Stored times are naive UTC: 23:30 UTC on 31 October is already November in Amsterdam, but counts in October.
    stored_request(network.club_utrecht, "overig", datetime(2026, 10, 31, 23, 30))
    series = {s.key: s for s in demand_service.demand_by_category(TODAY).series}
    assert series["overig"].counts[-2:] == (1, 0)
