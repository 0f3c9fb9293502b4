"""With Redis, rate limits are counted in Redis: every web process (each its own app) counts together."""
from redis import Redis

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db, limiter


def _web_process(redis_url, database_url):
    class WebConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = redis_url
        LOGIN_RATE_LIMIT = "3 per 15 minutes"

    app = create_app(WebConfig)
    with app.app_context():
        _db.create_all()
    return app


def _attempt(app, email):
    with app.app_context():
        limiter.init_app(app)  # two apps in one test process share the one limiter: bind it to this one
        client = app.test_client()  # the project's test client adds the form's CSRF token
        return client.post("/inloggen", data={"email": email, "password": "fout-wachtwoord-123"}).status_code


def test_two_web_processes_share_one_count_in_redis(redis_url, tmp_path, app):
    Redis.from_url(redis_url).flushdb()
    first = _web_process(redis_url, f"sqlite:///{tmp_path / 'a.db'}")
    second = _web_process(redis_url, f"sqlite:///{tmp_path / 'b.db'}")
    first.test_client_class = second.test_client_class = app.test_client_class
    try:
        assert [_attempt(first, "iemand@example.nl") for _ in range(2)] == [400, 400]
        assert _attempt(second, "iemand@example.nl") == 400
        assert _attempt(second, "iemand@example.nl") == 429  # the fourth attempt, counted across both
        assert Redis.from_url(redis_url).keys("*")  # the counts are in Redis, not in the process
    finally:
        with app.app_context():
            limiter.init_app(app)
