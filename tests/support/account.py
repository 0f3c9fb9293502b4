"""Account work in tests: mailed account links as a test reads them (from the outbox row the service wrote; the
mail holds the link), remembered logins, and counting the expensive steps a request takes."""
from tests.support.mails import outbox_rows


def mailed_path(template: str, to: str | None = None) -> str:
    """The site path of the link in the newest mail of `template` (to `to`, when given)."""
    rows = outbox_rows(template, to)
    assert rows, f"no {template} mail" + (f" to {to}" if to else "")
    return rows[-1].payload["context"]["link_path"]


def mailed_token(template: str, to: str | None = None) -> str:
    """The token at the end of that link."""
    return mailed_path(template, to).rsplit("/", 1)[1]


def remembered_client(app, user, password: str):
    """A browser that logged in with "Ingelogd blijven" and was closed since: only its remember-me cookie is left."""
    client = app.test_client()
    response = client.post("/inloggen", data={"email": user.email, "password": password, "remember": "y"})
    assert response.status_code == 302, response.status_code
    client.delete_cookie("session")
    return client


def logged_in_by_cookie(client) -> bool:
    """Whether the remember-me cookie alone logs this browser in (its session cookie dropped first, as when the
    browser closes, so every check starts from the cookie)."""
    client.delete_cookie("session")
    return client.get("/account/").status_code == 200


def recorded_calls(monkeypatch, owner, name: str) -> list:
    """Let `owner.name` record each call's arguments in the returned list and then do its work. The tests compare
    how often two requests call it: a known and an unknown address must cost the same work, or the time tells."""
    calls = []
    real = getattr(owner, name)
    monkeypatch.setattr(owner, name, lambda *args: calls.append(args) or real(*args))
    return calls
