"""The benchmark's own arithmetic and table (loket/bench/measure.py), without a database or a clock."""
import re

import pytest
from sqlalchemy.engine import make_url

from config import TestingConfig
from loket.bench.measure import (
    CREATE, QUEUE, RECOMPUTE, THROUGHPUT, Recorder, Result, Statement, Target, percentile, table,
)


def test_percentile_interpolates_between_the_nearest_ranks():
    values = [5, 1, 4, 2, 3]  # order does not matter
    assert percentile(values, 0.5) == 3
    assert percentile(values, 0) == 1 and percentile(values, 1) == 5
    assert percentile(values, 0.95) == pytest.approx(4.8)
    assert percentile(list(range(1, 31)), 0.95) == pytest.approx(28.55)  # 30 runs: between the 29th and 30th
    assert percentile([7], 0.95) == 7


@pytest.mark.parametrize("values, fraction", [([], 0.5), ([1], 1.5), ([1], -0.1)])
def test_percentile_refuses_nonsense(values, fraction):
    with pytest.raises(ValueError):
        percentile(values, fraction)


def test_a_target_needs_both_the_time_and_the_statement_count():
    assert QUEUE.met(25.0, 10)
    assert not QUEUE.met(25.1, 10)
    assert not QUEUE.met(10.0, 11)
    assert not QUEUE.met(None, 5)
    assert CREATE.met(30, 12) and not CREATE.met(30, 13)
    assert RECOMPUTE.met(9_000, 500) and not RECOMPUTE.met(10_001, 1)
    assert QUEUE.describe() == "p95≤25ms ≤10 st" and RECOMPUTE.describe() == "<10s"
    assert Target(None, 10).describe() == "≤10 st"


def test_the_table_shows_each_figure_its_target_and_a_verdict():
    fast = Result("loket queue (default)", QUEUE, totals=[10.0] * 29 + [20.0], statements=8,
                  statement_range=(8, 8), sql_ms=3.25, render_ms=2.0, bare_sql_ms=0.4, status=200)
    slow = Result("request detail", QUEUE, totals=[30.0] * 30, statements=12, statement_range=(11, 12),
                  sql_ms=20.0, render_ms=5.0, status=200)
    broken = Result("club's own list", QUEUE, totals=[1.0] * 30, statements=3, statement_range=(3, 3), status=500)
    served = Result("gunicorn 2 workers, queue, 8 clients", THROUGHPUT, totals=[12.0] * 30, rps=150.0)
    text = table([fast, slow, broken, served])
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["measurement", "stmts", "SQL"]
    assert len({len(line) for line in lines[2:5]}) == 1  # fixed width: the rows line up
    row = lines[2]
    assert row.startswith("loket queue (default)") and row.rstrip().endswith("✓")
    assert "3.2" in row and "0.4" in row and " 10.0 " in row and "p95≤25ms ≤10 st" in row
    assert "11-12" in lines[3] and lines[3].endswith("✗")  # statement counts that varied between runs
    assert "[HTTP 500]" in lines[4] and lines[4].endswith("✗")  # an error answer never passes
    assert "150/s" in lines[5] and "≥100/s" in lines[5] and lines[5].endswith("✓")
    assert lines[-1] == "2 of 4 targets met"


def test_the_served_pages_are_judged_by_their_rate_alone():
    """Eight clients on two workers wait in line: the latency is shown, the rate decides."""
    queued = Result("gunicorn 2 workers, queue, 8 clients", THROUGHPUT, totals=[80.0] * 30, rps=101.0)
    short = Result("gunicorn 2 workers, queue, 8 clients", THROUGHPUT, totals=[10.0] * 30, rps=99.0)
    assert queued.met and not short.met
    row = table([queued]).splitlines()[2]
    assert "≥100/s" in row and "ms" not in row.split("≥100/s")[1] and row.rstrip().endswith("✓")


def test_the_recorder_picks_the_statement_that_fetches_the_page_rows():
    recorder = Recorder(engine=None, app=None)
    recorder.statements = [
        Statement("SELECT users.id FROM users WHERE users.id = %(id)s", {}, 0.009),
        Statement("SELECT support_requests.id FROM support_requests ORDER BY due_at LIMIT %(n)s", {}, 0.004),
        Statement("SELECT count(*) FROM support_requests", {}, 0.002),
        Statement("UPDATE login_sessions SET last_seen_at = now()", {}, 0.020),
    ]
    assert recorder.main_select().sql.endswith("LIMIT %(n)s")
    assert recorder.slowest().sql.startswith("UPDATE")
    assert recorder.sql_seconds == pytest.approx(0.035)


@pytest.fixture(autouse=True)
def settings_put_back(app, monkeypatch):
    """`bench run` switches the rate limiter, template reloading and the mail preview off on the app it measures:
    on the test app that would last into every later test of the process, so each is put back afterwards."""
    for key in ("RATELIMIT_ENABLED", "TEMPLATES_AUTO_RELOAD", "MAIL_PREVIEW"):
        monkeypatch.setitem(app.config, key, app.config.get(key))
    monkeypatch.setattr(app.jinja_env, "auto_reload", app.jinja_env.auto_reload)


def test_the_command_refuses_a_database_without_a_busy_loket(runner):
    result = runner.invoke(args=["bench", "run", "--no-gunicorn"])
    assert result.exit_code == 2
    assert "Geen loket met open aanvragen" in result.output


def test_the_command_measures_a_page_logged_in_as_its_user(runner, network):
    """End to end on the test database: the cast is found, everyone logs in through the form (the coördinatiepunt
    and beheer with their second step), and the chosen measurement lands in the table with its figures."""
    from tests.factories import PASSWORD
    from tests.support.requests import file_request
    for i in range(3):
        file_request(network, title=f"Vraag over de jeugdtrainers {i}")
    result = runner.invoke(args=["bench", "run", "--no-gunicorn", "--only", "club's own list", "--warmup", "1",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert f"({network.ondersteuner.email})" in result.output
    row = next(line for line in result.output.splitlines() if line.startswith("club's own list"))
    assert row.split()[3].isdigit()  # its statement count
    assert re.search(r"Python reference loop \(the machine's speed\): \d+ ms before, \d+ ms after", result.output)
    assert result.output.rstrip().endswith("of 1 targets met")


def test_a_figure_without_a_target_is_shown_but_not_counted():
    served = Result("gunicorn 2 workers, queue, 8 clients", THROUGHPUT, totals=[12.0] * 30, rps=150.0)
    alone = Result("PostgreSQL alone: queue pages/s, 8 clients", Target(None, None), rps=412.0, informative=True)
    lines = table([served, alone]).splitlines()
    assert "412/s" in lines[3] and "(no target)" in lines[3] and not lines[3].endswith(("✓", "✗"))
    assert lines[-1] == "1 of 1 targets met"


@pytest.mark.skipif(make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() != "postgresql",
                    reason="pgbench scripts are made with PostgreSQL's driver (DATABASE_URL); CI runs PostgreSQL")
def test_the_pgbench_script_sends_the_pages_selects_with_their_values(app):
    from loket.bench.measure import pgbench_script
    with app.app_context():
        script = pgbench_script([
            ("SELECT id FROM users\n WHERE email = %(email)s AND id IN (%(a)s, %(b)s)",
             {"email": "o'k@x.nl", "a": 1, "b": 2}),
            ("INSERT INTO audit_log (action) VALUES (%(action)s)", {"action": "x"}),
            ("WITH q AS (SELECT 1) SELECT * FROM q", {}),
        ])
    assert script.splitlines() == ["SELECT id FROM users WHERE email = 'o''k@x.nl' AND id IN (1, 2);",
                                   "WITH q AS (SELECT 1) SELECT * FROM q;"]


def test_the_profile_lists_the_functions_with_the_most_time_per_run():
    import cProfile

    from loket.bench.measure import profile_table

    def busy():
        return sum(i * i for i in range(20_000))

    def idle():
        return 1

    profiler = cProfile.Profile()
    for _ in range(4):
        profiler.enable()
        busy()
        idle()
        profiler.disable()
    lines = profile_table(profiler, runs=4, limit=3).splitlines()
    own_at = next(i for i, line in enumerate(lines) if line.startswith("-- by own time"))
    assert lines[0].startswith("-- by package")
    package_rows = [line.split() for line in lines[1:own_at]]  # ms per run, share, package
    packages = [row[-1] for row in package_rows]
    assert packages[0] == "tests"  # this file's generator holds most of the time
    assert set(packages) <= {"tests", "built-ins"}
    assert 98 <= sum(int(row[1].rstrip("%")) for row in package_rows) <= 102
    assert lines[own_at + 4].startswith("-- by including calls")
    own = lines[own_at + 1:own_at + 4]
    assert any("<genexpr>" in line for line in own)  # where busy() spends its own time
    assert not any("(idle)" in line for line in own)  # the cheapest call is not among the top three
    assert any(" tests/bench/test_measure.py:" in line for line in lines if "(busy)" in line)  # its path, short
    calls_per_run = next(float(line.split()[2]) for line in lines if "(busy)" in line)
    assert calls_per_run == 1.0  # four calls over four runs
