"""Shared fixtures: app, a clean database per test, a CSRF-aware client, and logged-in users.

The suite runs on in-memory SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""
from tests.support import parallel

parallel.give_this_worker_its_own_services()  # before config.py reads DATABASE_URL

import pytest  # noqa: E402

from config import TestingConfig  # noqa: E402
from loket import create_app  # noqa: E402
from loket.extensions import db as _db, limiter  # noqa: E402
from loket.services.messaging import outbox  # noqa: E402
from loket.services.network import account_tokens  # noqa: E402
from loket.services.requests import actions  # noqa: E402
from tests import factories  # noqa: E402
from tests.support import network_snapshot  # noqa: E402
from tests.support.account import recorded_calls  # noqa: E402
from tests.support.client import CsrfClient  # noqa: E402
from tests.support.db import ON_POSTGRES, clean_database, fresh_postgres_database, logging_kept  # noqa: E402
from tests.support.requests import file_request  # noqa: E402


@pytest.fixture(autouse=True)
def every_commit_dispatches_its_outbox_rows(request):
    """Fails a test in which a commit left new outbox rows to the scheduler because it bypassed
    `transaction.commit()` (the one transaction boundary, which dispatches them after the commit)."""
    if request.node.get_closest_marker("bypasses_outbox_commit"):
        yield
        return
    bypasses = []

    def record(session, ids):
        bypasses.append(ids)

    outbox.bypassed.connect(record)
    yield
    outbox.bypassed.disconnect(record)
    assert not bypasses, f"outbox rows {bypasses} were committed outside transaction.commit()"


@pytest.fixture(scope="session")
def app():
    app = create_app(TestingConfig)
    app.test_client_class = CsrfClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


@pytest.fixture()
def db(app):
    """A clean database for every test: every table emptied (tests/support/db.clean_database), and no
    rate limit counted from an earlier test."""
    with app.app_context():
        # The limiter is one per process and takes its storage from the app it was last bound to (a test may
        # build an app with another Redis): bind it to this app again, which also starts a fresh count.
        limiter.init_app(app)
        clean_database()
        yield _db
        _db.session.remove()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def network(db):
    """A small, realistic network: see factories.build_network (built once per process, then put back:
    tests/support/network_snapshot.py)."""
    return network_snapshot.network()


@pytest.fixture()
def login_as(app, network):
    """Log a fresh client in as one of the network's users: login_as("club_contact")."""

    def _login(who):
        client = app.test_client()
        client.login(getattr(network, who) if isinstance(who, str) else who)
        return client

    return _login


@pytest.fixture()
def hashes(monkeypatch):
    """Each hash of an account token (the one hash every issued or looked-up token goes through)."""
    return recorded_calls(monkeypatch, account_tokens, "_digest")


@pytest.fixture()
def lead(network):
    """The team lead of Sportloket Utrecht (who writes its self-assessment)."""
    user = factories.make_user("clubondersteuner", network.loket_utrecht, name="Lotte Lead", team_lead=True)
    _db.session.commit()
    return user


@pytest.fixture()
def resolved(network):
    """A request of VV Utrechtse Boys, filed by its contact and resolved by the loket."""
    request = file_request(network, category="overig", title="Hulp bij subsidie",
                           description="Welke fondsen zijn er?")
    actions.change_status(request, "opgelost", actor=network.ondersteuner)
    return request


@pytest.fixture()
def keep_logging():
    """For a test that runs Alembic (its env.py reconfigures logging): every logger put back afterwards."""
    with logging_kept():
        yield


@pytest.fixture()
def empty_database(tmp_path):
    """An empty database for a test that migrates it itself: a SQLite file, or a fresh PostgreSQL database next
    to DATABASE_URL's (dropped afterwards)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database("loket_empty") as url:
        yield url
