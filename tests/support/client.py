"""The test client every app in the suite uses."""
import re
import secrets
from urllib.parse import urlsplit

from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from loket.extensions import db as _db
from loket.services.network import two_factor
from tests.factories import PASSWORD, totp_code


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

    def login(self, user, password=PASSWORD, *, remember=False):
        """Log in through the form as the person would: the password, then (with two-factor authentication) the
        code their app shows, or (a role that requires it, not yet on) turning it on with the page's secret.
        Returns the last answer (a redirect to where the login leads)."""
        data = {"email": user.email, "password": password, **({"remember": "y"} if remember else {})}
        response = self.post("/inloggen", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if urlsplit(response.location).path == "/inloggen/code":
            response = self.post(response.location, data={"code": totp_code(user)})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        elif two_factor.required_for(user) and not user.has_two_factor:
            self.enrol_two_factor()
        return response

    def enrol_two_factor(self, secret_out: list | None = None) -> list[str]:
        """Turn on two-factor authentication from the account page: read the secret the page shows, answer
        with the code an app would compute from it. Returns the recovery codes shown."""
        page = self.get("/account/tweestapsverificatie").get_data(as_text=True)
        secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
        signed = re.search(r'name="secret" type="hidden" value="([^"]+)"', page).group(1)
        code = two_factor.code_at(secret, two_factor.current_step())
        response = self.post("/account/tweestapsverificatie/aanzetten", data={"secret": signed, "code": code})
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        if secret_out is not None:
            secret_out.append(secret)
        return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.get_data(as_text=True))

    def logout(self):
        return self.post("/uitloggen")
