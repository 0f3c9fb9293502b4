"""The team × status summary (models.team_counts), kept current by the database's triggers: after every kind of
write it equals a recount from the requests, on SQLite and PostgreSQL, and the queue's counts read from it are
those of counting the requests themselves."""
from collections import Counter
from datetime import datetime

import flask_migrate
import pytest
from sqlalchemy import delete, func, insert, inspect, select, update

from loket.extensions import db
from loket.models import STATUSES, RequestTeamCount, SupportRequest
from loket.services.requests import actions, queues, teamwork
from loket.services.requests.queues import QueueFilter
from loket.services.requests.request_search import Search
from loket.services.transaction import commit
from tests.factories import SupportRequestFactory
from tests.support.db import ON_POSTGRES, app_on, demo_data_at
from tests.support.lookups import category_id
from tests.support.requests import file_request


def recount() -> dict:
    """{(team id, status): requests} counted from the requests."""
    return dict(Counter(db.session.execute(select(SupportRequest.owner_team_id, SupportRequest.status)).all()))


def summary() -> dict:
    """The summary's rows that count something (a count that fell to 0 may stay as a row); none below 0."""
    rows = db.session.execute(select(RequestTeamCount.team_id, RequestTeamCount.status,
                                     RequestTeamCount.requests)).all()
    assert all(row.requests >= 0 for row in rows), rows
    return {(row.team_id, row.status): row.requests for row in rows if row.requests}


def assert_current() -> dict:
    counted = summary()
    assert counted == recount()
    return counted


def test_filing_a_status_change_and_a_referral_move_the_counts(network):
    loket, bond = network.loket_utrecht.team.id, network.knvb.team.id
    first = file_request(network)
    file_request(network)
    assert assert_current() == {(loket, "nieuw"): 2}

    actions.change_status(first, "in_behandeling", actor=network.ondersteuner)
    first.title = "Een andere titel"  # not counted: no change
    commit()
    assert assert_current() == {(loket, "nieuw"): 1, (loket, "in_behandeling"): 1}

    access = teamwork.supporter_access(network.ondersteuner, first.id)
    teamwork.propose_referral(access, actor=network.ondersteuner, to_team_id=bond, reason="sporttechnisch")
    teamwork.accept_referral(teamwork.supporter_access(network.bondsspecialist, first.id),
                             actor=network.bondsspecialist)
    counted = assert_current()
    assert counted[(loket, "nieuw")] == 1 and sum(n for (team, _), n in counted.items() if team == bond) == 1


def test_writes_of_many_rows_in_one_statement_count_each_row(network):
    """Seed data, imports, the bench generator and the bulk actions write many requests per statement."""
    team = network.loket_utrecht.team.id
    moment = datetime(2026, 3, 1, 8)
    db.session.execute(insert(SupportRequest), [
        dict(reference=f"LK-T-{i:05d}", club_id=network.club_utrecht.id, category_id=category_id("overig"),
             title="Vraag", description="Tekst", status=status, priority="normaal", owner_team_id=team,
             created_at=moment, updated_at=moment)
        for i, status in enumerate(["gesloten", "gesloten", "opgelost", "nieuw"])])
    commit()
    assert assert_current() == {(team, "gesloten"): 2, (team, "opgelost"): 1, (team, "nieuw"): 1}

    db.session.execute(update(SupportRequest).where(SupportRequest.status == "gesloten").values(status="opgelost"))
    commit()
    assert assert_current() == {(team, "opgelost"): 3, (team, "nieuw"): 1}

    db.session.execute(update(SupportRequest).values(owner_team_id=network.fallback_team.id))
    commit()
    assert assert_current() == {(network.fallback_team.id, "opgelost"): 3, (network.fallback_team.id, "nieuw"): 1}


def test_deleting_requests_lowers_the_counts(network):
    kept = SupportRequestFactory(club=network.club_utrecht, status="gesloten")
    one = SupportRequestFactory(club=network.club_utrecht, status="gesloten")
    for _ in range(3):
        SupportRequestFactory(club=network.club_utrecht, status="nieuw")
    commit()
    db.session.delete(one)
    commit()
    assert_current()
    db.session.execute(delete(SupportRequest).where(SupportRequest.id != kept.id))  # several in one statement
    commit()
    assert assert_current() == {(kept.owner_team_id, "gesloten"): 1}


@pytest.mark.skipif(not ON_POSTGRES, reason="COPY is PostgreSQL's")
def test_requests_loaded_with_copy_are_counted(network):
    club, overig, team = network.club_utrecht.id, category_id("overig"), network.loket_utrecht.team.id
    columns = ("reference", "club_id", "category_id", "title", "description", "status", "priority",
               "owner_team_id", "created_at", "updated_at", "version")
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor, cursor.copy(f"COPY support_requests ({', '.join(columns)}) FROM STDIN") as copy:
        for i in range(30):
            moment = datetime(2026, 1, 5, 10)
            copy.write_row((f"LK-C-{i:05d}", club, overig, "Vraag", "Tekst", STATUSES[i % 3], "normaal", team,
                            moment, moment, 1))
    commit()
    assert assert_current() == {(team, STATUSES[0]): 10, (team, STATUSES[1]): 10, (team, STATUSES[2]): 10}


def test_the_queue_counts_read_from_the_summary_are_those_of_the_requests(network):
    """Every status filter of the team view is summed from the summary; the same filters counted from the
    requests themselves (the path every other filter takes) give the same numbers."""
    for status, number in (("nieuw", 3), ("in_behandeling", 2), ("gesloten", 4), ("opgelost", 1)):
        for _ in range(number):
            SupportRequestFactory(club=network.club_utrecht, status=status)
    SupportRequestFactory(club=network.club_zeist, status="nieuw")  # the fallback queue's: not this team's
    commit()
    user = network.ondersteuner
    filters = [QueueFilter(), QueueFilter(status="alle"), *(QueueFilter(status=s) for s in STATUSES)]
    from_summary = queues.counts_of(user, filters)
    from_requests = [db.session.scalar(select(func.count()).select_from(
        select(SupportRequest.id).where(*queues._conditions(user, one)).subquery())) for one in filters]
    assert from_summary == from_requests
    assert from_summary[:2] == [5, 10]
    # What the summary cannot answer is counted from the requests.
    for other in (QueueFilter(status="alle", category_id=1), QueueFilter(view="inkomend"),
                  QueueFilter(view="samenwerking"), QueueFilter(assignee="niemand"),
                  QueueFilter(search=Search.of("vraag"))):
        assert "request_team_counts" not in str(queues.count_query(user, other))
    assert "request_team_counts" in str(queues.count_query(user, QueueFilter(status="gesloten")))


# ------------------------------------------------------------------------------------------- the migration

FILLING_REVISION = "c15a00000006"


def test_the_migration_fills_the_summary_from_the_requests_there_are(empty_database, keep_logging):
    app = app_on(empty_database)
    with app.app_context():
        demo_data_at(app, "c15a00000005")
        flask_migrate.upgrade(revision=FILLING_REVISION)
        assert recount() and assert_current()
        request = db.session.scalars(select(SupportRequest).order_by(SupportRequest.id)).first()
        request.status = "gesloten" if request.status != "gesloten" else "opgelost"
        db.session.commit()
        assert_current()  # and the migration's triggers keep it
        db.session.remove()

        flask_migrate.downgrade(revision="c15a00000005")
        assert "request_team_counts" not in inspect(db.engine).get_table_names()
        # No trigger is left behind to write into the table that is gone.
        db.session.execute(update(SupportRequest).values(status="gesloten"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
