"""The test client every app in the suite uses."""
import secrets

from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from loket.extensions import db as _db
from tests.factories import PASSWORD


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
