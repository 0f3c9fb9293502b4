"""A fake SendGrid v3 API on 127.0.0.1: records every call, validates it, answers as scripted.

- Every POST to /v3/mail/send is recorded as a `Call` (headers, raw and parsed body, what was answered).
- Each body is validated against SendGrid's official request schema (Draft 2020-12; the file lives in
  ../shared/data/sendgrid-mail-send.schema.json) plus the one rule the schema leaves out: at least one
  personalization. Invalid bodies are answered 400 as SendGrid would, and the errors are kept in
  `call.schema_errors` and `fake.schema_errors`.
- A wrong or missing `Authorization: Bearer <key>` is answered 401.
- KNOWN_DEVIATIONS: schema errors at these body paths are bugs of the code under test that already have a
  strict xfail test of their own; they are recorded in `call.known_deviations` (not `schema_errors`) and not
  rejected, so the other tests can check everything else. `FakeSendGrid(tolerate=())` tolerates nothing.
- `fake.script(500, 202, HANG, Delay(3, 202))` sets the answers of the next calls, in order; when the script
  is empty every call gets 202. `HANG` never answers (the connection is closed when the fake stops or after
  `hang_limit` seconds): a stuck API. `Delay(s, status)` answers after s seconds: a slow API.
"""
import json
import os
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
MAIL_SEND_PATH = "/v3/mail/send"


def schema_path() -> Path:
    data_dir = os.environ.get("LOKET_DATA_DIR") or str(REPO.parent / "shared" / "data")
    return Path(data_dir) / "sendgrid-mail-send.schema.json"


def load_validator() -> Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@dataclass(frozen=True)
class Delay:
    seconds: float
    status: int = 202


HANG = "hang"

# loket/mail.py sends custom_args as an object at the top level; the official schema types it as a
# string there (an object is allowed inside a personalization). See
# tests/services/test_notifications.py::test_mail_bodies_are_valid_against_the_official_schema.
KNOWN_DEVIATIONS = ()


@dataclass(repr=False)
class Call:
    path: str
    headers: dict
    raw: bytes
    body: dict | None
    schema_errors: list[str]
    known_deviations: list[str]
    received_at: float
    status: int | None = None  # what the fake answered; None while hanging / never answered
    answered: threading.Event = field(default_factory=threading.Event, repr=False)

    def __repr__(self):
        return f"<Call {self.key} to={self.to} status={self.status} errors={len(self.schema_errors)}>"

    @property
    def to(self) -> list[str]:
        return [r["email"] for p in (self.body or {}).get("personalizations", []) for r in p.get("to", [])]

    @property
    def key(self) -> str | None:
        """The outbox idempotency key, from custom_args of the personalization or of the whole mail."""
        body = self.body or {}
        for personalization in body.get("personalizations", []):
            if "outbox_key" in (personalization.get("custom_args") or {}):
                return personalization["custom_args"]["outbox_key"]
        custom_args = body.get("custom_args")
        return custom_args.get("outbox_key") if isinstance(custom_args, dict) else None

    @property
    def subject(self) -> str:
        return (self.body or {}).get("subject", "")

    def content(self, mime: str) -> str:
        return next((c["value"] for c in (self.body or {}).get("content", []) if c["type"] == mime), "")

    @property
    def text(self) -> str:
        return self.content("text/plain")

    @property
    def html(self) -> str:
        return self.content("text/html")


class FakeSendGrid:
    def __init__(self, *, api_key: str = "test-key", hang_limit: float = 30.0, tolerate=KNOWN_DEVIATIONS):
        self.api_key = api_key
        self.tolerate = tuple(tolerate)
        self.hang_limit = hang_limit
        self.validator = load_validator()
        self.calls: list[Call] = []
        self._script: deque = deque()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "FakeSendGrid":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._handle(self)

            def log_message(self, *args):  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="fake-sendgrid")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # let hanging handlers go
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ------------------------------------------------------------ scripting and reading
    def script(self, *responses) -> None:
        """Answers for the next calls, in order (int status, HANG, or Delay)."""
        with self._lock:
            self._script.extend(responses)

    @property
    def schema_errors(self) -> list[str]:
        with self._lock:
            return [error for call in self.calls for error in call.schema_errors]

    @property
    def accepted(self) -> list[Call]:
        """Calls SendGrid would have sent: answered 202."""
        with self._lock:
            return [call for call in self.calls if call.status == 202]

    def wait_for_calls(self, count: int, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.calls) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"fake SendGrid got {len(self.calls)} calls, expected {count}")
                self._changed.wait(remaining)
            return list(self.calls)

    # ------------------------------------------------------------ the endpoint
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        errors: list[str] = []
        known: list[str] = []
        body = None
        try:
            body = json.loads(raw)
        except ValueError as error:
            errors.append(f"body is not JSON: {error}")
        if body is not None:
            for error in self.validator.iter_errors(body):
                path = "/".join(map(str, error.absolute_path)) or "<root>"
                (known if path in self.tolerate else errors).append(f"{path}: {error.message}")
            if isinstance(body, dict) and not body.get("personalizations"):
                errors.append("personalizations: must not be empty")
        call = Call(path=handler.path, headers=dict(handler.headers.items()), raw=raw, body=body,
                    schema_errors=errors, known_deviations=known, received_at=time.time())
        with self._changed:
            self.calls.append(call)
            scripted = self._script.popleft() if self._script else 202
            self._changed.notify_all()

        if handler.path != MAIL_SEND_PATH:
            status, message = 404, "not found"
        elif handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            status, message = 401, "The provided authorization grant is invalid, expired, or revoked"
        elif errors:
            status, message = 400, "; ".join(errors)
        elif scripted == HANG:
            self._release.wait(self.hang_limit)
            return  # never answer: the server closes the connection
        else:
            if isinstance(scripted, Delay):
                self._release.wait(scripted.seconds)
                scripted = scripted.status
            status, message = scripted, f"scripted {scripted}"
        self._answer(handler, call, status, message)

    @staticmethod
    def _peer_gone(handler) -> bool:
        """True when the client already closed the connection (it timed out or was killed)."""
        try:
            readable, _, _ = select.select([handler.connection], [], [], 0)
            return bool(readable) and handler.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _answer(self, handler, call: Call, status: int, message: str) -> None:
        if self._peer_gone(handler):
            return  # nobody is listening: the call stays unanswered (status None)
        payload = b"" if status == 202 else json.dumps({"errors": [{"message": message}]}).encode()
        with self._changed:  # recorded before the client can read the answer
            call.status = status
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            handler.wfile.flush()
        except OSError:  # the client gave up (timeout, killed worker)
            with self._changed:
                call.status = None
            return
        with self._changed:
            call.answered.set()
            self._changed.notify_all()


@pytest.fixture()
def sendgrid_fake():
    fake = FakeSendGrid().start()
    yield fake
    fake.stop()


@pytest.fixture()
def mail_to_fake(app, sendgrid_fake, monkeypatch):
    """The session app (jobs inline) sends its mail through the real SendGrid client to the fake."""
    settings = {"MAIL_PROVIDER": "sendgrid", "SENDGRID_API_KEY": "test-key", "SENDGRID_API_HOST": sendgrid_fake.url,
                "SENDGRID_TIMEOUT_SECONDS": 5, "JOBS_INLINE": True, "OUTBOX_BACKOFF_SECONDS": 30,
                "OUTBOX_VISIBILITY_SECONDS": 300}
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return sendgrid_fake
