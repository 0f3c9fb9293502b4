"""`flask bench generate` leaves the demand summary (models.demand) and the team × status summary
(models.team_counts) equal to a recount: the COPY of the requests fires their triggers like any insert."""
import io
from collections import Counter

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from config import TestingConfig
from loket.bench.generate import Options, generate
from loket.extensions import db as _db
from tests.support.db import app_on, fresh_postgres_database, logging_kept

ON_POSTGRES = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() == "postgresql"
pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the generator loads with COPY: PostgreSQL only")


@pytest.fixture()
def fresh_database():
    """An empty database next to the one DATABASE_URL names (never the shared test database)."""
    with fresh_postgres_database("loket_bench") as url:
        yield url


def test_the_generated_requests_are_in_both_summaries(fresh_database):
    with logging_kept():
        app = app_on(fresh_database)
        with app.app_context():
            for _ in range(2):  # the second run empties what the first loaded, summary included
                counts = generate(Options(requests=3000, clubs=300, seed=11), out=io.StringIO())
            with _db.engine.connect() as connection:
                recount = Counter({(row.month, row.gemeente_id, row.category_id): row.requests
                                   for row in connection.execute(text(
                                       "SELECT date_trunc('month', r.created_at)::date AS month, c.gemeente_id, "
                                       "r.category_id, count(*) AS requests FROM support_requests r "
                                       "JOIN clubs c ON c.id = r.club_id GROUP BY 1, 2, 3"))})
                summary = Counter({(row.month, row.gemeente_id, row.category_id): row.requests
                                   for row in connection.execute(text(
                                       "SELECT month, gemeente_id, category_id, requests FROM request_demand_counts "
                                       "WHERE requests <> 0"))})
                team_recount = dict(connection.execute(text(
                    "SELECT owner_team_id || ' ' || status, count(*) FROM support_requests GROUP BY 1")).all())
                team_summary = dict(connection.execute(text(
                    "SELECT team_id || ' ' || status, requests FROM request_team_counts WHERE requests <> 0")).all())
            _db.engine.dispose()
    assert sum(summary.values()) == counts["support_requests"] == 3000
    assert summary == recount
    assert team_summary == team_recount and sum(team_summary.values()) == 3000
