"""The demand summary (models.demand: requests per UTC month × the club's gemeente × category), kept current by
the database's triggers: after every kind of write it equals a recount from the requests, on SQLite and
PostgreSQL, and the demand figures read from it are those of a GROUP BY over the requests themselves."""
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import flask_migrate
import pytest
from sqlalchemy import delete, insert, inspect, select, update

from loket.extensions import db
from loket.models import Category, Club, Gemeente, RequestDemandCount, SupportRequest
from loket.models.base import last_months, next_month, utcnow
from loket.services.network.regions import NOT_GROUPED
from loket.services.privacy import erasure, retention
from loket.services.reporting import demand as demand_service
from loket.services.requests import actions
from loket.services.requests.relocation import relocate_open_requests
from loket.services.transaction import commit
from tests.factories import ClubFactory, GemeenteFactory, LoketFactory, SupportRequestFactory, make_region_set
from tests.support.db import ON_POSTGRES, app_on, demo_data_at
from tests.support.lookups import category_id
from tests.support.requests import file_request

TODAY = date(2026, 11, 24)


def recount() -> dict:
    """{(month, gemeente id, category id): requests} from the requests and their clubs' gemeenten now, with the
    UTC month taken in Python (not by the triggers' SQL)."""
    rows = db.session.execute(select(SupportRequest.created_at, Club.gemeente_id, SupportRequest.category_id)
                              .join(Club, Club.id == SupportRequest.club_id))
    return dict(Counter((date(r.created_at.year, r.created_at.month, 1), r.gemeente_id, r.category_id)
                        for r in rows))


def summary() -> dict:
    """The summary's rows that count something (a count that fell to 0 may stay as a row); none below 0."""
    rows = db.session.execute(select(RequestDemandCount.month, RequestDemandCount.gemeente_id,
                                     RequestDemandCount.category_id, RequestDemandCount.requests)).all()
    assert all(row.requests >= 0 for row in rows), rows
    return {(row.month, row.gemeente_id, row.category_id): row.requests for row in rows if row.requests}


def assert_current() -> dict:
    counted = summary()
    assert counted == recount()
    return counted


def test_filing_counts_each_request_under_its_utc_month_gemeente_and_category(network):
    assert summary() == {}
    file_request(network, now=datetime(2026, 11, 2, 9))
    file_request(network, now=datetime(2026, 11, 20, 23, 59))
    # 23:30 UTC on 31 October is November in Amsterdam; demand counts UTC months, so October.
    file_request(network, category="overig", now=datetime(2026, 10, 31, 23, 30))
    file_request(network, who="zeist_contact", club="club_zeist", now=datetime(2026, 11, 3, 10))  # fallback queue
    kader, overig = category_id("vrijwilligers-kader"), category_id("overig")

    assert assert_current() == {
        (date(2026, 11, 1), network.utrecht.id, kader): 2,
        (date(2026, 10, 1), network.utrecht.id, overig): 1,
        (date(2026, 11, 1), network.zeist.id, kader): 1,
    }


def test_rows_inserted_in_one_statement_are_counted_once_each(network):
    """Seed data, imports and the bench generator write many requests per statement."""
    rows = [dict(reference=f"LK-T-{i:05d}", club_id=club.id, category_id=category_id(slug), title="Vraag",
                 description="Tekst", status="gesloten", priority="normaal",
                 owner_team_id=network.loket_utrecht.team.id, created_at=moment, updated_at=moment)
            for i, (club, slug, moment) in enumerate([
                (network.club_utrecht, "overig", datetime(2026, 3, 1, 8)),
                (network.club_utrecht, "overig", datetime(2026, 3, 31, 23, 59)),
                (network.club_amersfoort, "overig", datetime(2026, 3, 2)),
                (network.club_utrecht, "vrijwilligers-kader", datetime(2026, 4, 1))])]
    db.session.execute(insert(SupportRequest), rows)
    commit()
    assert assert_current()[(date(2026, 3, 1), network.utrecht.id, category_id("overig"))] == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="COPY is PostgreSQL's")
def test_requests_loaded_with_copy_are_counted(network):
    """The bench generator loads requests with COPY: PostgreSQL fires the statement's trigger for it too."""
    clubs, overig, team = (network.club_amersfoort.id, network.club_utrecht.id), category_id("overig"), \
        network.loket_utrecht.team.id  # read before the COPY holds the connection
    columns = ("reference", "club_id", "category_id", "title", "description", "status", "priority",
               "owner_team_id", "created_at", "updated_at", "version")
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor, cursor.copy(f"COPY support_requests ({', '.join(columns)}) FROM STDIN") as copy:
        for i in range(30):
            moment = datetime(2026, 1 + i % 3, 5, 10)
            copy.write_row((f"LK-C-{i:05d}", clubs[i % 2], overig, "Vraag", "Tekst", "gesloten", "normaal", team,
                            moment, moment, 1))
    commit()
    counted = assert_current()
    assert sum(counted.values()) == 30 and counted[(date(2026, 1, 1), network.utrecht.id, category_id("overig"))] == 5


def test_a_category_change_moves_the_count_and_other_updates_leave_it(network):
    request = file_request(network, now=datetime(2026, 11, 2, 9))
    file_request(network, now=datetime(2026, 11, 3, 9))
    before = assert_current()
    actions.change_status(request, "in_behandeling", actor=network.ondersteuner)
    request.title = "Een andere titel"
    commit()
    assert assert_current() == before

    request.category = db.session.get(Category, category_id("overig"))
    commit()
    assert assert_current() == {(date(2026, 11, 1), network.utrecht.id, category_id("vrijwilligers-kader")): 1,
                                (date(2026, 11, 1), network.utrecht.id, category_id("overig")): 1}


def test_a_changed_filing_moment_or_club_moves_the_count(network):
    request = file_request(network, now=datetime(2026, 11, 2, 9))
    request.created_at = datetime(2026, 11, 30, 23, 59)  # the same month: the same row
    commit()
    assert assert_current() == {(date(2026, 11, 1), network.utrecht.id, category_id("vrijwilligers-kader")): 1}
    request.created_at = datetime(2026, 12, 1)
    commit()
    assert_current()
    db.session.execute(update(SupportRequest).where(SupportRequest.id == request.id)
                       .values(club_id=network.club_amersfoort.id))
    commit()
    assert assert_current() == {(date(2026, 12, 1), network.amersfoort.id, category_id("vrijwilligers-kader")): 1}


def test_a_club_moving_gemeente_takes_its_requests_along(network):
    for moment, slug in [(datetime(2026, 9, 2), "overig"), (datetime(2026, 9, 3), "overig"),
                         (datetime(2026, 10, 2), "vrijwilligers-kader")]:
        SupportRequestFactory(club=network.club_utrecht, category_slug=slug, created_at=moment)
    neighbour = ClubFactory(gemeente=network.utrecht)
    SupportRequestFactory(club=neighbour, category_slug="overig", created_at=datetime(2026, 9, 4))
    commit()
    assert assert_current()[(date(2026, 9, 1), network.utrecht.id, category_id("overig"))] == 3

    network.club_utrecht.gemeente = network.amersfoort  # the gemeente counts as it is now, also for old requests
    commit()
    counted = assert_current()
    assert counted[(date(2026, 9, 1), network.utrecht.id, category_id("overig"))] == 1
    assert counted[(date(2026, 9, 1), network.amersfoort.id, category_id("overig"))] == 2
    per_gemeente = {s.key: s.total for s in demand_service.demand_by_gemeente(
        [network.utrecht.id, network.amersfoort.id], TODAY).series}
    assert per_gemeente == {network.utrecht.code: 1, network.amersfoort.code: 3}

    network.club_utrecht.gemeente = network.utrecht  # and back
    commit()
    assert assert_current()[(date(2026, 9, 1), network.utrecht.id, category_id("overig"))] == 3


def test_a_club_moving_with_requests_filed_in_the_same_transaction(network):
    SupportRequestFactory(club=network.club_utrecht, created_at=datetime(2026, 9, 2))
    db.session.flush()
    network.club_utrecht.gemeente = network.zeist
    db.session.flush()
    SupportRequestFactory(club=network.club_utrecht, created_at=datetime(2026, 9, 3))
    commit()
    assert assert_current() == {(date(2026, 9, 1), network.zeist.id, category_id("overig")): 2}


def test_deleting_requests_lowers_the_counts_and_an_emptied_inactive_category_is_gone(network):
    retired = Category(slug="oud", name="Oud", scope="generiek", active=False)
    db.session.add(retired)
    kept = SupportRequestFactory(club=network.club_utrecht, created_at=datetime(2026, 11, 2))
    one = SupportRequestFactory(club=network.club_utrecht, category_slug="oud", created_at=datetime(2026, 11, 3))
    for day in (4, 5, 6):
        SupportRequestFactory(club=network.club_amersfoort, category_slug="oud", created_at=datetime(2026, 10, day))
    commit()
    assert "oud" in {s.key for s in demand_service.demand_by_category(TODAY).series}

    db.session.delete(one)
    commit()
    assert_current()
    db.session.execute(delete(SupportRequest).where(SupportRequest.id != kept.id))  # several in one statement
    commit()
    assert assert_current() == {(date(2026, 11, 1), network.utrecht.id, category_id("overig")): 1}
    assert "oud" not in {s.key for s in demand_service.demand_by_category(TODAY).series}


def test_erasure_relocation_and_retention_keep_the_counts(network):
    """The AVG keeps the statistics; an open request following its gemeente to a new loket stays where it was
    filed."""
    file_request(network, now=utcnow() - timedelta(days=1))
    file_request(network, who="zeist_contact", club="club_zeist", now=utcnow() - timedelta(days=1))
    old = SupportRequestFactory(club=network.club_utrecht, status="gesloten", created_at=datetime(2015, 3, 2),
                                closed_at=datetime(2015, 4, 1))
    commit()
    before = assert_current()

    erasure.erase_person("anna@uboys.example", actor=network.beheerder, confirmation="anna@uboys.example",
                         reason="Verzoek van de betrokkene")
    zeist = LoketFactory(name="Sportloket Zeist", slug="zeist", status="operationeel", gemeenten=[network.zeist])
    db.session.flush()
    relocate_open_requests([network.zeist.id], from_team_ids=[network.fallback_team.id], to_team=zeist.team,
                           actor=network.beheerder, now=utcnow(), note="Zeist heeft nu een loket.")
    commit()
    assert retention.apply_retention()["requests"] >= 1
    assert db.session.get(SupportRequest, old.id).anonymised_at is not None

    assert assert_current() == before


def test_the_demand_figures_are_those_of_a_group_by_over_the_requests(network):
    """Requests over 18 months, three provinces, every category; a region set that leaves a gemeente out."""
    rng = random.Random(15)
    gelderland = [GemeenteFactory(province="Gelderland") for _ in range(2)]
    zeeland = GemeenteFactory(province="Zeeland")
    gemeenten = [network.utrecht, network.amersfoort, network.zeist, *gelderland, zeeland]
    clubs = [ClubFactory(gemeente=gemeenten[i % len(gemeenten)]) for i in range(9)]
    slugs = db.session.scalars(select(Category.slug)).all()
    for _ in range(150):
        start = datetime(2025, 6, 1)
        SupportRequestFactory(club=rng.choice(clubs), category_slug=rng.choice(slugs),
                              created_at=start + timedelta(minutes=rng.randrange(60 * 24 * 550)))
    vsg = make_region_set("Proef", {"Midden": [network.utrecht, network.zeist], "Oost": gelderland})
    commit()
    clubs[0].gemeente = zeeland  # a move after filing counts too
    commit()
    assert_current()

    window = last_months(12, TODAY)
    requests = db.session.execute(
        select(SupportRequest.created_at, SupportRequest.category_id, Club.gemeente_id)
        .join(Club, Club.id == SupportRequest.club_id)
        .where(SupportRequest.created_at >= datetime.combine(window[0], datetime.min.time()),
               SupportRequest.created_at < datetime.combine(next_month(window[-1]), datetime.min.time()))).all()
    province = dict(db.session.execute(select(Gemeente.id, Gemeente.province)).all())
    region = {g.id: "Midden" for g in (network.utrecht, network.zeist)} | {g.id: "Oost" for g in gelderland}
    slug = dict(db.session.execute(select(Category.id, Category.slug)).all())
    code = {g.id: g.code for g in gemeenten}

    def expected(key_of, only=None):
        counts = defaultdict(Counter)
        for r in requests:
            if only is None or r.gemeente_id in only:
                counts[key_of(r)][date(r.created_at.year, r.created_at.month, 1)] += 1
        return {key: tuple(per_month[m] for m in window) for key, per_month in counts.items()}

    def shown(demand):
        assert demand.months == window
        return {s.key: s.counts for s in demand.series if any(s.counts)}

    some = [network.utrecht.id, gelderland[0].id, zeeland.id]
    assert shown(demand_service.demand_by_category(TODAY)) == expected(lambda r: slug[r.category_id])
    assert shown(demand_service.demand_by_category(TODAY, gemeente_ids=some)) == expected(
        lambda r: slug[r.category_id], some)
    assert shown(demand_service.demand_by_province(TODAY)) == expected(lambda r: province[r.gemeente_id])
    assert shown(demand_service.demand_by_province(TODAY, gemeente_ids=some)) == expected(
        lambda r: province[r.gemeente_id], some)
    assert shown(demand_service.demand_by_region(vsg, TODAY)) == expected(
        lambda r: region.get(r.gemeente_id, NOT_GROUPED))
    assert shown(demand_service.demand_by_gemeente(some, TODAY)) == expected(lambda r: code[r.gemeente_id], some)


# ------------------------------------------------------------------------------------------- the migration

FILLING_REVISION = "c15a00000002"


def test_the_migration_fills_the_summary_from_the_requests_there_are(empty_database, keep_logging):
    app = app_on(empty_database)
    with app.app_context():
        demo_data_at(app, "c15a00000001")
        flask_migrate.upgrade(revision=FILLING_REVISION)
        assert recount() and assert_current()
        club = db.session.scalars(select(Club).order_by(Club.id)).first()
        club.gemeente = db.session.scalars(select(Gemeente).where(Gemeente.id != club.gemeente_id)).first()
        moved_to = club.gemeente_id
        db.session.commit()
        assert_current()  # and the migration's triggers keep it
        db.session.remove()

        flask_migrate.downgrade(revision="c15a00000001")
        assert "request_demand_counts" not in inspect(db.engine).get_table_names()
        # No trigger is left behind to write into the table that is gone.
        db.session.execute(update(SupportRequest).values(category_id=category_id("overig")))
        db.session.execute(update(Club).values(gemeente_id=moved_to))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
