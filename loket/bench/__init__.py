"""Benchmark tooling (issue #15): `flask bench generate` fills a PostgreSQL database with a national data set
(generate.py); `flask bench run` measures against it (measure.py). Tooling, not pages: nothing here serves a
request. Commands are added to `bench_cli`, which loket/cli.py registers."""
from flask.cli import AppGroup

bench_cli = AppGroup("bench", help="Benchmark: landelijke testgegevens genereren en meten (alleen PostgreSQL).")

from loket.bench import generate as _generate  # noqa: E402,F401  (registers `bench generate`)
from loket.bench import measure as _measure  # noqa: E402,F401  (registers `bench run`)
