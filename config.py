"""Configuration classes, read from the environment; `create_app` picks one by name."""
import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _database_url(default):
    url = _env("DATABASE_URL", default)
    # Hosting platforms still hand out "postgres://"; SQLAlchemy wants a driver name.
    if url and url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def engine_options(url: str | None, options: dict) -> dict:
    """The SQLAlchemy engine options for the database `url` (the factory passes the configured URL, which a
    test or a command may have changed since the class was read)."""
    options = dict(options)
    if url and url.startswith("postgresql"):
        # Loket's statements read a page, not a table: PostgreSQL's parallel workers only add start-up and
        # contention (a search page's ranked rows took 23-34 ms with two workers on two cores, 9.5 without).
        options.setdefault("connect_args", {"options": "-c max_parallel_workers_per_gather=0"})
        # The connection used last is taken again: a process keeps few connections warm, and each runs its
        # pages' statements often enough that psycopg prepares them (after five runs on that connection).
        options.setdefault("pool_use_lifo", True)
    return options


# Length limits of a request's title and of a description or message: the services check them (they read
# the app config) and the forms use them as maxlength, so one change moves both.
REQUEST_TITLE_MAX = 200
REQUEST_BODY_MAX = 10000
# The providers loket/services/messaging/mail.py sends with (its PROVIDERS).
MAIL_PROVIDERS = ("sendgrid", "log")


class Config:
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(None)
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # and what `engine_options` adds for the URL
    REDIS_URL = _env("REDIS_URL")
    SENDGRID_API_KEY = _env("SENDGRID_API_KEY")
    # One of MAIL_PROVIDERS; empty: sendgrid when SENDGRID_API_KEY is set, else log.
    MAIL_PROVIDER = _env("MAIL_PROVIDER", "")
    SENDGRID_API_HOST = _env("SENDGRID_API_HOST", "https://api.sendgrid.com")
    MAIL_FROM = _env("MAIL_FROM", "Loket <noreply@loket.example>")
    # Reference data (gemeenten.csv, bonden.csv) lives beside the repository by default.
    REFERENCE_DATA_DIR = _env("LOKET_DATA_DIR", str(BASE_DIR.parent / "shared" / "data"))
    # Inline jobs run in the web process; with Redis they go to RQ queues.
    JOBS_INLINE = REDIS_URL is None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # Argon2id parameters (RFC 9106 low-memory profile); tests lower them for speed.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536
    # Outbox: a row a worker took (status sending) is left to it this long; then the dispatcher decides (a mail:
    # failed, "mogelijk verzonden"; a job: run again). Longer than RQ's job timeout (180 s). Without Redis to
    # ask, an enqueued row not delivered within this time is dispatched again.
    OUTBOX_VISIBILITY_SECONDS = int(_env("OUTBOX_VISIBILITY_SECONDS", "300"))
    OUTBOX_BACKOFF_SECONDS = 30
    # The SendGrid client has no timeout of its own: a hung API would block a worker forever.
    SENDGRID_TIMEOUT_SECONDS = float(_env("SENDGRID_TIMEOUT_SECONDS", "10"))
    # `flask worker` waits for a lost Redis 1, 2, 4 … seconds between attempts, at most this long.
    WORKER_RECONNECT_MAX_SECONDS = float(_env("WORKER_RECONNECT_MAX_SECONDS", "30"))
    # Inbound Parse: the shared secret in the webhook URL, and the domain replies are addressed to.
    INBOUND_SECRET = _env("INBOUND_SECRET")
    INBOUND_EMAIL_DOMAIN = _env("INBOUND_EMAIL_DOMAIN", "reply.loket.example")
    # Keys the reply token in every reply address (loket+LK-2026-000123.<token>@…); unset: derived from SECRET_KEY.
    # Changing it ends the reply addresses mailed before.
    INBOUND_REPLY_SECRET = _env("INBOUND_REPLY_SECRET")
    # Rendered mails (request titles and texts, single-use links) may be shown beyond their recipient: beheer's
    # mail preview and the log provider's subjects and links. Development only.
    MAIL_PREVIEW = False
    # Attachments (services/requests/attachments.py): at most this per file and this in total per request (also
    # the limit an inbound mail's files are checked against). A whole form or upload is cut off at
    # MAX_CONTENT_LENGTH, which stays above the per-file limit so an oversized file gets its Dutch message.
    MAX_ATTACHMENT_BYTES = int(_env("MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))
    MAX_REQUEST_ATTACHMENT_BYTES = int(_env("MAX_REQUEST_ATTACHMENT_BYTES", str(50 * 1024 * 1024)))
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    # Where the files are kept (services/storage.py): a folder outside the web root, or, with ATTACHMENT_S3_BUCKET,
    # an S3-compatible object store (so several web hosts share the files).
    ATTACHMENT_STORAGE_DIR = _env("ATTACHMENT_STORAGE_DIR", str(BASE_DIR / "instance" / "attachments"))
    ATTACHMENT_S3_BUCKET = _env("ATTACHMENT_S3_BUCKET")
    ATTACHMENT_S3_ENDPOINT_URL = _env("ATTACHMENT_S3_ENDPOINT_URL")  # empty: AWS itself
    ATTACHMENT_S3_REGION = _env("ATTACHMENT_S3_REGION", "eu-west-1")
    ATTACHMENT_S3_ACCESS_KEY_ID = _env("ATTACHMENT_S3_ACCESS_KEY_ID")
    ATTACHMENT_S3_SECRET_ACCESS_KEY = _env("ATTACHMENT_S3_SECRET_ACCESS_KEY")
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    # AVG retention (services/privacy/retention.py, nightly): closed requests lose their texts after this many
    # days (seven years), outbox rows their recipient and context after this many.
    REQUEST_RETENTION_DAYS = int(_env("REQUEST_RETENTION_DAYS", str(7 * 365)))
    OUTBOX_RETENTION_DAYS = int(_env("OUTBOX_RETENTION_DAYS", "90"))
    REQUEST_TITLE_MAX = REQUEST_TITLE_MAX
    REQUEST_BODY_MAX = REQUEST_BODY_MAX
    QUEUE_PAGE_SIZE = 50
    # Rate limits (Flask-Limiter): counted in Redis when there is one, else in the process's memory.
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address and per email address (Flask-Limiter notation; several limits separated by ";").
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per 15 minutes")
    PASSWORD_RESET_RATE_LIMIT = _env("PASSWORD_RESET_RATE_LIMIT", "5 per 15 minutes")
    # Wrong codes of two-factor authentication, per account (web login, account page) and per client address.
    TWO_FACTOR_RATE_LIMIT = _env("TWO_FACTOR_RATE_LIMIT", "5 per 15 minutes")
    # A login with "Ingelogd blijven" lasts this long (its login_sessions row and its cookie); another login
    # ends after LOGIN_SESSION_IDLE_HOURS without a page. Either ends at once with a logout.
    REMEMBER_COOKIE_DURATION = timedelta(days=int(_env("REMEMBER_COOKIE_DAYS", "30")))
    REMEMBER_COOKIE_SAMESITE = "Lax"
    LOGIN_SESSION_IDLE_HOURS = int(_env("LOGIN_SESSION_IDLE_HOURS", "12"))
    REGISTRATION_RATE_LIMIT = _env("REGISTRATION_RATE_LIMIT", "5 per hour")
    # Links mailed for one purpose (confirming an address, resetting a password) stop working after this.
    PASSWORD_RESET_MINUTES = int(_env("PASSWORD_RESET_MINUTES", "60"))
    EMAIL_CONFIRMATION_HOURS = int(_env("EMAIL_CONFIRMATION_HOURS", "48"))
    # A team lead's invitation to join a loket or bond team stops working after this many days.
    TEAM_INVITATION_DAYS = int(_env("TEAM_INVITATION_DAYS", "7"))
    # A CSV of clubs for a loket's register: far more rows than a werkgebied has clubs is a mistake.
    CLUB_IMPORT_MAX_ROWS = int(_env("CLUB_IMPORT_MAX_ROWS", "5000"))
    CLUB_IMPORT_MAX_BYTES = int(_env("CLUB_IMPORT_MAX_BYTES", str(1024 * 1024)))
    # A CSV of a region set (beheer): one row per gemeente, so far fewer than this; carried between preview and
    # confirmation in the form, which keeps it well under the form memory limit.
    REGION_IMPORT_MAX_ROWS = int(_env("REGION_IMPORT_MAX_ROWS", "2000"))
    REGION_IMPORT_MAX_BYTES = int(_env("REGION_IMPORT_MAX_BYTES", str(256 * 1024)))

    @classmethod
    def validate(cls):
        """Hook for configs that refuse to start without some settings."""


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_PREVIEW = True
    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'loket.db'}")
    REDIS_URL = _env("REDIS_URL")
    JOBS_INLINE = REDIS_URL is None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-not-secret"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    # Tests decide per test whether Redis is there; by default jobs run inline and limits count in memory.
    REDIS_URL = None
    JOBS_INLINE = True
    RATELIMIT_STORAGE_URI = "memory://"
    # CSRF stays on in tests: the test client injects valid tokens, so rejection is tested for real.
    WTF_CSRF_ENABLED = True
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    # Each test process keeps attachments in a temporary folder of its own.
    ATTACHMENT_STORAGE_DIR = str(Path(tempfile.gettempdir()) / f"loket-test-attachments-{os.getpid()}")
    ATTACHMENT_S3_BUCKET = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = 63072000  # two years: production is served over HTTPS only

    @classmethod
    def validate(cls):
        # Both the environment now and the values the class read at import must be present.
        settings = {"SECRET_KEY": "SECRET_KEY", "DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "REDIS_URL": "REDIS_URL"}
        missing = [env for env, attr in settings.items() if not _env(env) or not getattr(cls, attr)]
        if missing:
            raise RuntimeError(
                "Production configuration refuses to start without: " + ", ".join(missing)
            )
        if cls.MAIL_PROVIDER and cls.MAIL_PROVIDER not in MAIL_PROVIDERS:
            raise RuntimeError(f"Unknown MAIL_PROVIDER {cls.MAIL_PROVIDER!r}; choose one of "
                               f"{', '.join(MAIL_PROVIDERS)} or leave it empty")
        if cls.MAIL_PROVIDER == "sendgrid" and not cls.SENDGRID_API_KEY:
            raise RuntimeError("MAIL_PROVIDER sendgrid needs SENDGRID_API_KEY")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The config class named by LOKET_CONFIG (development when unset)."""
    name = _env("LOKET_CONFIG", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown LOKET_CONFIG {name!r}; choose one of {', '.join(CONFIGS)}")
    return CONFIGS[name]
