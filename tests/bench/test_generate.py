"""`flask bench generate` (issue #15, point 1): a small national data set in its own PostgreSQL database."""
import io
import logging
from contextlib import ExitStack

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from config import TestingConfig
from loket import create_app
from loket.bench.generate import BENCH_DOMAIN, BENCH_PASSWORD, BENCH_TOTP_SECRET, GeneratorError, Options, generate
from loket.extensions import db as _db
from tests.support.client import CsrfClient
from tests.support.db import fresh_postgres_database

ON_POSTGRES = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() == "postgresql"
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the generator loads with COPY: PostgreSQL only "
                                                              "(DATABASE_URL); CI runs PostgreSQL")
SMALL = Options(requests=2000, clubs=300, seed=7)
# Column lists whose rows the determinism check compares (ids, texts, moments and links).
CHECKSUMMED = {
    "support_requests": "id, reference, club_id, requester_id, owner_team_id, status, title, created_at, closed_at, "
                        "due_at, paused_seconds, resolution_workdays, satisfaction_score",
    "events": "id, request_id, kind, actor_id, body, data::text, created_at",
    "clubs": "id, name, gemeente_id", "users": "id, email", "referrals": "id, request_id, to_team_id, state",
    "attachments": "id, storage_key", "measurements": "id, loket_id, value",
}


def app_for(url: str):
    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    app.test_client_class = CsrfClient
    return app


@pytest.fixture(scope="module")
def databases():
    """Fresh, empty databases next to the one DATABASE_URL names (never the shared test database)."""
    with ExitStack() as made:
        yield lambda: made.enter_context(fresh_postgres_database("loket_bench"))


def generated(url: str, options: Options = SMALL):
    """An app on `url` after one generator run; Alembic's logging setup is undone (it disables loggers)."""
    loggers = {name: logger.disabled for name, logger in logging.Logger.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    app = app_for(url)
    out = io.StringIO()
    with app.app_context():
        counts = generate(options, out=out)
        _db.engine.dispose()
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.disabled = loggers.get(name, False)
    return app, counts, out.getvalue()


@pytest.fixture(scope="module")
def bench(databases):
    if not ON_POSTGRES:
        pytest.skip("the generator loads with COPY: PostgreSQL only")
    return generated(databases())


def scalar(app, sql: str, **params):
    with app.app_context():
        return _db.session.execute(text(sql), params).scalar()


def checksum(app) -> dict[str, str]:
    with app.app_context():
        return {table: _db.session.execute(text(
            f"SELECT md5(string_agg(row({columns})::text, '|' ORDER BY id)) FROM {table}")).scalar()
            for table, columns in CHECKSUMMED.items()}


@needs_postgres
def test_it_loads_the_whole_network_and_the_requests(bench):
    app, counts, progress = bench
    assert counts["support_requests"] == 2000
    assert counts["clubs"] == 300
    assert scalar(app, "SELECT count(*) FROM gemeenten") == 342
    assert scalar(app, "SELECT count(*) FROM bonden") == 37
    assert 250 <= scalar(app, "SELECT count(*) FROM loketten") <= 320
    # Some loketten serve several gemeenten; a few gemeenten have none (their requests: the fallback queue).
    assert scalar(app, "SELECT count(*) FROM (SELECT loket_id FROM gemeenten WHERE loket_id IS NOT NULL "
                       "GROUP BY loket_id HAVING count(*) > 1) x") >= 10
    assert 1 <= scalar(app, "SELECT count(*) FROM gemeenten WHERE loket_id IS NULL") <= 20
    assert scalar(app, "SELECT count(*) FROM support_requests r JOIN teams t ON t.id = r.owner_team_id "
                       "WHERE t.kind = 'fallback'") > 0
    assert 1200 <= scalar(app, "SELECT count(*) FROM memberships WHERE role IN "
                               "('clubondersteuner', 'bondsspecialist', 'initiatiefmedewerker')") <= 1800
    assert scalar(app, "SELECT count(*) FROM memberships WHERE is_team_lead") > 300
    assert scalar(app, "SELECT count(DISTINCT club_id) FROM club_contacts") == 300
    assert scalar(app, "SELECT count(*) FROM users WHERE email NOT LIKE :d", d=f"%@{BENCH_DOMAIN}") == 0
    for table in ("referrals", "request_collaborators", "attachments", "audits", "audit_findings", "measurements",
                  "bond_agreements", "saved_views", "canned_replies", "verdict_changes", "quality_runs"):
        assert counts[table] > 0, table
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE satisfaction_score IS NOT NULL") > 100
    assert "support_requests" in progress and "rijen/s" in progress


@needs_postgres
def test_every_request_keeps_the_apps_invariants(bench):
    app, _, _ = bench
    assert scalar(app, "SELECT count(DISTINCT reference) FROM support_requests") == 2000
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE reference !~ '^LK-[0-9]{4}-[0-9]{6}$' "
                       "OR substr(reference, 4, 4)::int <> extract(year FROM created_at)") == 0
    # The reference counters continue after the last number of each year.
    assert scalar(app, "SELECT count(*) FROM reference_sequences s WHERE last_value <> (SELECT max(substr("
                       "reference, 9)::int) FROM support_requests WHERE substr(reference, 4, 4)::int = s.year)") == 0
    assert scalar(app, "SELECT count(*) FROM support_requests r LEFT JOIN teams t ON t.id = r.owner_team_id "
                       "WHERE t.id IS NULL") == 0
    low, high = [scalar(app, f"SELECT {f}(n) FROM (SELECT count(*) n FROM events GROUP BY request_id) x")
                 for f in ("min", "max")]
    assert (low, high) == (2, 8)
    assert scalar(app, "SELECT count(*) FROM support_requests r WHERE NOT EXISTS "
                       "(SELECT 1 FROM events e WHERE e.request_id = r.id)") == 0
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE closed_at < created_at OR resolved_at < created_at"
                       " OR (status = 'gesloten') <> (closed_at IS NOT NULL)"
                       " OR (status IN ('gesloten', 'opgelost')) <> (resolved_at IS NOT NULL)"
                       " OR (resolved_at IS NOT NULL) <> (resolution_workdays IS NOT NULL)"
                       " OR (status = 'wacht_op_club') <> (sla_paused_at IS NOT NULL)"
                       " OR first_response_at < created_at OR due_at IS NULL OR updated_at < created_at") == 0
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE status IN ('gesloten', 'opgelost')") > 1500
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE created_at >= '2026-12-01'") == 0
    assert scalar(app, "SELECT count(*) FROM events WHERE created_at >= '2026-12-01'") == 0
    # An open referral for every doorverwezen request, and only for those.
    assert scalar(app, "SELECT count(*) FROM support_requests r FULL JOIN referrals f ON f.request_id = r.id "
                       "AND f.state = 'voorgesteld' WHERE (r.status = 'doorverwezen') <> (f.id IS NOT NULL)") == 0
    assert scalar(app, "SELECT count(DISTINCT storage_key) = count(*) FROM attachments")
    # The generated search columns filled themselves.
    assert scalar(app, "SELECT count(*) FROM support_requests WHERE search_vector IS NULL") == 0
    # The search documents were filled after the load, each as its triggers would have made it, and the
    # triggers are on again.
    assert scalar(app, "SELECT count(*) FROM support_requests r WHERE r.document_vector IS DISTINCT FROM "
                       "loket_request_document(r.id, r.reference, r.title, r.description, r.club_id, true) "
                       "OR r.public_document_vector IS DISTINCT FROM "
                       "loket_request_document(r.id, r.reference, r.title, r.description, r.club_id, false)") == 0
    assert scalar(app, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'loket_document%' AND tgenabled = 'D'") == 0
    # Sequences continue after the generated ids: the next user gets a fresh id.
    assert scalar(app, "SELECT nextval('users_id_seq') > (SELECT max(id) FROM users)")


@needs_postgres
def test_clubs_are_skewed_by_gemeente_size(bench):
    app, _, _ = bench
    with app.app_context():
        per_gemeente = dict(_db.session.execute(text(
            "SELECT g.name, count(c.id) FROM gemeenten g LEFT JOIN clubs c ON c.gemeente_id = g.id "
            "GROUP BY g.name")).all())
    sizes = sorted(per_gemeente.values(), reverse=True)
    assert sum(sizes) == 300
    assert per_gemeente["Amsterdam"] >= 5 * 300 / 342  # five times an even share
    assert sum(sizes[:34]) > 0.4 * 300  # the largest tenth of the gemeenten holds more than 40 % of the clubs
    assert per_gemeente["Amsterdam"] > per_gemeente["Utrecht"] > per_gemeente["Schiermonnikoog"]


@needs_postgres
def test_the_same_seed_gives_the_same_rows_and_a_database_with_real_data_is_refused(bench, databases):
    app, _, _ = bench
    again, _, _ = generated(databases())
    assert checksum(again) == checksum(app)
    other, _, _ = generated(databases(), Options(requests=2000, clubs=300, seed=8))
    assert checksum(other)["events"] != checksum(app)["events"]

    # Its own data it replaces; one user it did not make, and it refuses.
    with again.app_context():
        _db.session.execute(text("INSERT INTO users (email, name, password_hash, active, created_at, "
                                 "notify_optional, session_version) VALUES ('echt@sportloket.nl', 'Echt', 'x', "
                                 "true, now(), true, 0)"))
        _db.session.commit()
        with pytest.raises(GeneratorError, match="echte gegevens"):
            generate(SMALL, out=io.StringIO())
        assert _db.session.execute(text("SELECT count(*) FROM support_requests")).scalar() == 2000
        _db.session.remove()
        _db.engine.dispose()


def test_the_team_leads_secret_is_one_an_authenticator_accepts():
    import base64

    import pyotp

    assert len(base64.b32decode(BENCH_TOTP_SECRET)) == 20
    assert pyotp.TOTP(BENCH_TOTP_SECRET).now().isdigit()


@needs_postgres
def test_a_generated_team_lead_logs_in_with_the_secret(bench):
    app, _, _ = bench
    from loket.models import User

    with app.app_context():
        user = _db.session.execute(_db.select(User).join(User.memberships).where(
            User.totp_enabled_at.is_not(None)).order_by(User.id).limit(1)).scalar_one()
        client = app.test_client()
        response = client.login(user, password=BENCH_PASSWORD)
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        _db.session.remove()
        _db.engine.dispose()


def test_sqlite_is_refused_with_a_clear_message(tmp_path):
    app = app_for(f"sqlite:///{tmp_path / 'x.db'}")
    with app.app_context(), pytest.raises(GeneratorError, match="alleen met PostgreSQL"):
        generate(SMALL, out=io.StringIO())


def test_the_command_exits_1_when_it_refuses(tmp_path):
    app = app_for(f"sqlite:///{tmp_path / 'x.db'}")
    result = app.test_cli_runner().invoke(args=["bench", "generate", "--requests", "10"])
    assert result.exit_code == 1
    assert "alleen met PostgreSQL" in result.output


@needs_postgres
def test_the_queue_page_renders_for_a_generated_supporter(bench):
    app, _, _ = bench
    with app.app_context():
        email, reference = _db.session.execute(text(
            "SELECT u.email, (SELECT r.reference FROM support_requests r WHERE r.owner_team_id = t.id "
            "AND r.status = 'in_behandeling' ORDER BY r.due_at LIMIT 1) FROM memberships m "
            "JOIN users u ON u.id = m.user_id JOIN teams t ON t.loket_id = m.loket_id "
            "WHERE m.role = 'clubondersteuner' AND NOT m.is_team_lead AND EXISTS (SELECT 1 FROM support_requests r "
            "WHERE r.owner_team_id = t.id AND r.status = 'in_behandeling') ORDER BY m.id LIMIT 1")).one()
        user = _db.session.execute(_db.select(__import__("loket.models", fromlist=["User"]).User)
                                   .filter_by(email=email)).scalar_one()
        client = app.test_client()
        client.login(user, password=BENCH_PASSWORD)
        page = client.get("/wachtrij/")
        assert page.status_code == 200
        assert reference in page.get_data(as_text=True)
        _db.session.remove()
        _db.engine.dispose()
