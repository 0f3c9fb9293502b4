"""With REDIS_URL set, the limits of every login door count in Redis: the web login per account, the API token
endpoint, and the codes of the second step (issue #13)."""
from redis import Redis

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db, limiter
from tests import factories
from tests.factories import PASSWORD


def test_login_doors_count_in_redis_and_answer_429_with_retry_after(redis_url, tmp_path, app):
    redis = Redis.from_url(redis_url)
    redis.flushdb()

    class WebConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'web.db'}"
        REDIS_URL = redis_url
        RATELIMIT_STORAGE_URI = redis_url
        LOGIN_RATE_LIMIT = "2 per 15 minutes"
        TWO_FACTOR_RATE_LIMIT = "2 per 15 minutes"

    web = create_app(WebConfig)
    web.test_client_class = app.test_client_class
    try:
        with web.app_context():
            limiter.init_app(web)
            _db.create_all()
            coordinator = factories.make_user("coordinatiepunt", email="carla@example.nl")
            _db.session.commit()
            client = web.test_client()
            for _ in range(2):
                assert client.post("/inloggen", data={"email": "iemand@example.nl", "password": "fout!"},
                                   environ_base={"REMOTE_ADDR": "10.5.5.5"}).status_code == 400
            refused = client.post("/inloggen", data={"email": "iemand@example.nl", "password": PASSWORD},
                                  environ_base={"REMOTE_ADDR": "10.5.5.6"})
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
            assert "Probeer het over 15 minuten opnieuw" in refused.get_data(as_text=True)

            for _ in range(2):
                assert client.post("/api/v1/auth/token", json={"email": "x@example.nl", "password": "fout!"},
                                   environ_base={"REMOTE_ADDR": "10.6.6.6"}).status_code == 401
            api = client.post("/api/v1/auth/token", json={"email": "y@example.nl", "password": "fout!"},
                              environ_base={"REMOTE_ADDR": "10.6.6.6"})
            assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0

            second = web.test_client()
            second.post("/inloggen", data={"email": coordinator.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.7.7.7"})
            for _ in range(2):
                assert second.post("/inloggen/code", data={"code": "000000"},
                                   environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code == 400
            assert second.post("/inloggen/code", data={"code": factories.totp_code(coordinator)},
                               environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code == 429
            keys = [key.decode() for key in redis.keys("*")]
            # The counts are in Redis (not the process): per address, per typed address, per pending account.
            assert any("email:iemand@example.nl" in key for key in keys), keys
            assert any("10.6.6.6" in key and "create_token" in key for key in keys), keys
            assert any(f"second-step:{coordinator.id}" in key for key in keys), keys
            _db.drop_all()
    finally:
        with app.app_context():
            limiter.init_app(app)
