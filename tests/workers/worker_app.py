"""The app a worker subprocess runs: `flask --app tests.workers.worker_app worker --burst`.

Never imported by the test process itself (it needs LOKET_WORKER_TEST_SETTINGS in the environment).
"""
from loket import create_app
from tests.support.worker_settings import config_from_environ

app = create_app(config_from_environ())
