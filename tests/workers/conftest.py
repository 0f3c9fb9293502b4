"""Fixtures for background work for real: a real redis-server, real RQ workers (subprocesses running
`flask worker --burst`), the fake SendGrid, and a database both this process and the workers reach.

- `redis_url`: CI's REDIS_URL (a dedicated db number, flushed per test), else a redis-server of our own.
- `redis_server`: a redis-server of our own, always (it can be stopped and restarted on the same port).
- `worker_app`: create_app with a TestingConfig subclass: JOBS_INLINE False, REDIS_URL, SendGrid at the fake;
  its database is a temporary SQLite *file* or, with DATABASE_URL, a fresh PostgreSQL database.
- `live`: one test's world: clean database with the factories' network, empty Redis, the fake SendGrid,
  helpers to run and kill workers.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db
from loket.models import OutboxMessage
from tests import factories
from tests.fakes.sendgrid import sendgrid_fake  # noqa: F401  (fixture)
from tests.support.client import CsrfClient
from tests.support.db import ON_POSTGRES, clean_database, fresh_postgres_database
from tests.support.worker_settings import SETTINGS_ENV, settings_of, worker_config
from tests.support.workers import kill_worker

REPO = Path(__file__).resolve().parents[2]
CI_REDIS_DB = int(os.environ.get("LOKET_TEST_REDIS_DB", "15"))
WORKER_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server in the foreground on 127.0.0.1, no persistence; stop() and start() keep the port."""

    def __init__(self, binary: str, directory: Path):
        self.binary, self.directory, self.port = binary, directory, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return self
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (its data is gone: no persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


def _redis_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not on PATH (apt-get install redis-server): the worker tests need a real Redis")
    return binary


def _with_db_number(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """CI's Redis (REDIS_URL, on a dedicated db number) or a redis-server started for this session."""
    if os.environ.get("REDIS_URL"):
        yield _with_db_number(os.environ["REDIS_URL"], CI_REDIS_DB)
        return
    server = RedisServer(_redis_binary(), tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.stop()


@pytest.fixture()
def redis_server(tmp_path):
    """A redis-server of this test's own, even in CI: the fault tests stop and restart it."""
    server = RedisServer(_redis_binary(), tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def worker_database(tmp_path_factory):
    """A database URL both this process and worker subprocesses can open."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('workerdb') / 'loket.db'}"
        return
    with fresh_postgres_database(f"{make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).database}_w") as url:
        yield url


@pytest.fixture(scope="module")
def worker_app(worker_database, redis_url):
    app = create_app(worker_config({
        "SQLALCHEMY_DATABASE_URI": worker_database,
        "REDIS_URL": redis_url,
        "SENDGRID_API_HOST": "http://127.0.0.1:9",  # each test points this at its own fake
        "SENDGRID_TIMEOUT_SECONDS": 5,  # headroom on a loaded machine; the hang test lowers it
        "OUTBOX_BACKOFF_SECONDS": 0.2,
        "OUTBOX_VISIBILITY_SECONDS": 30,
    }))
    app.test_client_class = CsrfClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


class Live(SimpleNamespace):
    """One worker test's world (see the module docstring)."""

    def client(self, who):
        client = self.app.test_client()
        client.login(getattr(self.network, who) if isinstance(who, str) else who)
        return client

    def worker_env(self, **settings) -> dict:
        """The environment of a worker subprocess: the test app's settings, plus `settings` for it alone."""
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        env.update({SETTINGS_ENV: settings_of(self.app, **settings), "LOKET_CONFIG": "testing",
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))})
        return env

    def worker_command(self, *args) -> list[str]:
        return [sys.executable, "-m", "flask", "--app", "tests.workers.worker_app", *args]

    def run_worker(self) -> subprocess.CompletedProcess:
        """`flask worker --burst`: dispatch due outbox rows, run every queued job, stop."""
        _db.session.rollback()  # hold no locks or snapshots while the worker works
        result = subprocess.run(self.worker_command("worker", "--burst"), cwd=REPO, env=self.worker_env(),
                                capture_output=True, text=True, timeout=WORKER_TIMEOUT)
        self.worker_output = result.stdout[-4000:] + result.stderr[-6000:]
        assert result.returncode == 0, self.worker_output
        _db.session.expire_all()
        return result

    def first_call(self):
        """The first call SendGrid got (with the last worker's output when there was none)."""
        try:
            return self.fake.wait_for_calls(1, timeout=10)[0]
        except AssertionError:
            raise AssertionError(f"SendGrid got no call; worker output:\n{getattr(self, 'worker_output', '')}") from None

    def start_worker(self) -> subprocess.Popen:
        """A burst worker the test can kill (see kill_worker)."""
        _db.session.rollback()
        return subprocess.Popen(self.worker_command("worker", "--burst"), cwd=REPO, env=self.worker_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_process(self, *args, log: Path, **settings) -> subprocess.Popen:
        """A long-running `flask worker` or `flask scheduler` (stop it with stop_process); output goes to `log`."""
        _db.session.rollback()
        with open(log, "w") as output:
            return subprocess.Popen(self.worker_command(*args), cwd=REPO, env=self.worker_env(**settings),
                                    stdout=output, stderr=subprocess.STDOUT)

    @staticmethod
    def stop_process(process: subprocess.Popen) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL if it does not stop."""
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                kill_worker(process)

    def rows(self) -> list[OutboxMessage]:
        _db.session.rollback()
        return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    def row_by_key(self, key: str) -> OutboxMessage:
        return next(row for row in self.rows() if row.idempotency_key == key)


@pytest.fixture()
def live(worker_app, sendgrid_fake, redis_url, monkeypatch):
    monkeypatch.setitem(worker_app.config, "SENDGRID_API_HOST", sendgrid_fake.url)
    Redis.from_url(redis_url).flushdb()
    with worker_app.app_context():
        clean_database()
        network = factories.build_network()
        world = Live(app=worker_app, fake=sendgrid_fake, network=network, redis_url=redis_url)
        yield world
        _db.session.remove()
