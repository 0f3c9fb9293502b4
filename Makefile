# Developer entry points. No activation needed: every tool is called from .venv/bin.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when pyproject.toml changes.
STAMP := $(VENV)/.installed-stamp
FLASK := LOKET_CONFIG=development $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per CPU; TEST_PROCESSES=0 runs everything in this process.
TEST_PROCESSES ?= auto

.PHONY: venv run test worker scheduler loadtest

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The embedded default (DESIGN §8): SQLite under instance/, jobs inline, demo data.
run: venv
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed reference
	$(FLASK) seed demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# pytest exits non-zero on failures and when no tests are collected (exit code 5); make passes it on.
test: venv
	$(BIN)/pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# Background work (needs REDIS_URL): a worker for the mail, default and reports queues, and the planner.
worker: venv
	$(FLASK) worker

scheduler: venv
	$(FLASK) scheduler

# Load and faults (issue #13): its own PostgreSQL, Redis, gunicorn, RQ workers, planner and fake SendGrid on
# 127.0.0.1; 50 clients file 10,000 requests and reply to each while PostgreSQL restarts, Redis stops for 20 s
# and an RQ worker is killed; then it counts what was lost or duplicated. LOADTEST_ARGS="--requests 500" for less.
LOADTEST_ARGS ?=
loadtest: venv
	$(BIN)/python tools/loadtest.py $(LOADTEST_ARGS)

# A national data set for the benchmark (issue #15): `flask bench generate` (1,000,000 requests, 24,000 clubs,
# seed 2026; BENCH_DATA_ARGS="--requests 100000" for less) bulk-loads it with COPY. Without DATABASE_URL it
# starts its own PostgreSQL 15 (data in instance/bench-postgres, port 55499, left running) and writes the
# database's URL to instance/bench-postgres/url: `make bench` reads that file. `make bench-stop` stops it.
# It refuses a database with real data (see loket/bench/generate.py) and SQLite.
BENCH_PG := instance/bench-postgres
BENCH_DATA_ARGS ?=
.PHONY: bench-data bench-stop
bench-data: venv
	mkdir -p instance
	url="$${DATABASE_URL:-$$($(BIN)/python tools/throwaway_postgres.py start --folder $(BENCH_PG))}" && \
		DATABASE_URL="$$url" $(FLASK) bench generate $(BENCH_DATA_ARGS)

bench-stop:
	$(BIN)/python tools/throwaway_postgres.py stop --folder $(BENCH_PG)

# The benchmark (issue #15): `flask bench run` (BENCH_ARGS="--explain", "--concurrency 16", "--runs 50") against
# DATABASE_URL, else the database `make bench-data` made (its PostgreSQL is started again if it was stopped).
# It writes: each run files requests and recomputes the quality measurements. BENCHMARKS.md keeps its table.
BENCH_ARGS ?=
.PHONY: bench
bench: venv
	@if [ -z "$$DATABASE_URL" ] && [ ! -f $(BENCH_PG)/url ]; then \
		echo "Geen benchmarkdatabase: draai eerst make bench-data (of zet DATABASE_URL)." >&2; exit 2; fi
	url="$${DATABASE_URL:-$$($(BIN)/python tools/throwaway_postgres.py start --folder $(BENCH_PG))}" && \
		PATH="$$PATH:$$($(BIN)/python tools/throwaway_postgres.py bindir)" DATABASE_URL="$$url" \
		$(FLASK) bench run $(BENCH_ARGS)
