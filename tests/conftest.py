"""Shared fixtures: app, a clean database per test, a CSRF-aware client, and logged-in users.

The suite runs on in-memory SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""
import os
import secrets

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db
from loket.services.messaging import outbox
from tests import factories

PASSWORD = factories.PASSWORD
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


class CsrfClient(FlaskClient):
    """A test client that adds a valid CSRF token to form posts, as a browser with the page would.

    Pass csrf=False to post without one (to prove the app rejects it).
    """

    def open(self, *args, **kwargs):
        # Each request gets its own app context (own `g`, own db session), as in production;
        # without this Flask reuses the test's context and Flask-Login's cached user leaks.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            _db.session.expire_all()  # the test's own session must see what the request committed
        return response

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post(self, *args, csrf=True, **kwargs):
        if csrf and "json" not in kwargs:
            data = dict(kwargs.get("data") or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)

    def login(self, user, password=PASSWORD):
        response = self.post("/inloggen", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.post("/uitloggen")


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
    """A clean database for every test (truncate on PostgreSQL, rebuild on in-memory SQLite)."""
    with app.app_context():
        if ON_POSTGRES:
            tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            _db.session.execute(text(f"TRUNCATE TABLE {tables} RESTART IDENTITY CASCADE"))
            _db.session.commit()
        else:
            _db.drop_all()
            _db.create_all()
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
    """A small, realistic network: see factories.build_network."""
    return factories.build_network()


@pytest.fixture()
def login_as(app, network):
    """Log a fresh client in as one of the network's users: login_as("club_contact")."""

    def _login(who):
        client = app.test_client()
        client.login(getattr(network, who) if isinstance(who, str) else who)
        return client

    return _login
