"""The configuration a worker test shares with its worker subprocesses.

TestingConfig forces jobs inline and no Redis, and LOKET_CONFIG can only name the built-in configs, so a
worker subprocess selects this one instead: `flask --app tests.workers.worker_app worker --burst` with the
settings as JSON in LOKET_WORKER_TEST_SETTINGS (the fixture writes them from the test's own app.config).
"""
import json
import os

SETTINGS_ENV = "LOKET_WORKER_TEST_SETTINGS"
# The app.config keys a worker subprocess must share with the test's app.
SHARED_KEYS = (
    "SQLALCHEMY_DATABASE_URI", "REDIS_URL", "JOBS_INLINE", "MAIL_PROVIDER", "SENDGRID_API_KEY",
    "SENDGRID_API_HOST", "SENDGRID_TIMEOUT_SECONDS", "OUTBOX_BACKOFF_SECONDS", "OUTBOX_VISIBILITY_SECONDS",
    "BASE_URL", "MAIL_FROM",
)


def worker_config(settings: dict):
    """A TestingConfig subclass with real background work: RQ on Redis, mail through SendGrid."""
    from config import TestingConfig

    values = {"JOBS_INLINE": False, "MAIL_PROVIDER": "sendgrid", "SENDGRID_API_KEY": "test-key", **settings}
    return type("WorkerTestConfig", (TestingConfig,), values)


def config_from_environ():
    return worker_config(json.loads(os.environ[SETTINGS_ENV]))


def settings_of(app, **overrides) -> str:
    return json.dumps({**{key: app.config.get(key) for key in SHARED_KEYS}, **overrides})
