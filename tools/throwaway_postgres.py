"""A throwaway PostgreSQL 15 cluster on 127.0.0.1, for `make loadtest` and the bench targets.

Run as root (as on the CI machines), initdb and pg_ctl run as the postgres user; otherwise as whoever runs it.
Used from Python (`ThrowawayPostgres(folder, port)`) and from the Makefile:

    .venv/bin/python tools/throwaway_postgres.py start --folder instance/bench-postgres --port 55499
    .venv/bin/python tools/throwaway_postgres.py stop --folder instance/bench-postgres

`start` creates the cluster on first use (data in FOLDER/data), starts it when it is not running, creates the
database `loket_bench` and writes its URL to FOLDER/url (printed too): what the bench targets agree on.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """One cluster: its data directory, socket and log in `folder`, listening on 127.0.0.1:`port`."""

    def __init__(self, folder: Path, port: int, *, settings: str = "-c max_connections=200"):
        self.folder, self.port, self.settings = Path(folder).resolve(), port, settings
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.data = self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def is_running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        done = subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return done.returncode == 0

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        subprocess.run([*self.as_postgres, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust"], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.init()
        if not self.is_running:
            self._pg_ctl("start", "-o", self._options())

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast", "-o", self._options())

    def stop(self) -> None:
        if self.is_running:
            self._pg_ctl("stop", "-m", "fast")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> None:
        """Create `name` unless it exists (through psql, so this module needs nothing but the PG binaries)."""
        psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                "-tAc"]
        exists = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], check=True,
                                capture_output=True, text=True).stdout.strip()
        if not exists:
            subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, stdout=subprocess.DEVNULL)

    def _options(self) -> str:
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {self.settings}"

    def _pg_ctl(self, *args) -> None:
        subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w",
                        "-l", str(self.folder / "pg.log"), *args], check=True, stdout=subprocess.DEVNULL)


# A bulk load and a benchmark: more memory for sorts and index builds, no fsync wait per commit (the data is
# regenerated, never precious).
BENCH_SETTINGS = ("-c max_connections=50 -c shared_buffers=512MB -c maintenance_work_mem=512MB -c work_mem=32MB "
                  "-c synchronous_commit=off -c max_wal_size=4GB -c checkpoint_timeout=30min")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("start", "stop", "url", "bindir"))
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--port", type=int, default=55499)
    parser.add_argument("--database", default="loket_bench")
    arguments = parser.parse_args(argv)
    if arguments.action == "bindir":  # where PostgreSQL's programs are (pgbench for `make bench`)
        print(PG_BIN)
        return 0
    if arguments.folder is None:
        parser.error("--folder is needed for start, stop and url")
    cluster = ThrowawayPostgres(arguments.folder, arguments.port, settings=BENCH_SETTINGS)
    url_file = cluster.folder / "url"
    if arguments.action == "stop":
        cluster.stop()
        return 0
    if arguments.action == "start":
        if not PG_BIN.exists():
            print(f"PostgreSQL 15 ontbreekt ({PG_BIN}); zet DATABASE_URL naar een eigen PostgreSQL.", file=sys.stderr)
            return 1
        cluster.start()
        cluster.create_database(arguments.database)
        url_file.write_text(cluster.url(arguments.database) + "\n")
    print(url_file.read_text().strip() if url_file.exists() else cluster.url(arguments.database))
    return 0


if __name__ == "__main__":
    sys.exit(main())
