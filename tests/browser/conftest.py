"""Browser tests: the app served for real on 127.0.0.1 (a server thread, SQLite, inline jobs, the demo
data) and driven by Debian's Chromium through Playwright. Nothing is downloaded.

Without Chromium the tests are skipped with the reason, except in CI (CI=true), where they fail.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db
from loket.models import SupportRequest
from loket.services.seed.demo_data import DEMO_DOMAIN, seed_demo
from loket.services.seed.reference_data import seed_reference
from tests.factories import OutboxMessageFactory
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, WIDTHS, log_in


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return CHROMIUM
    message = (f"Chromium is not at {CHROMIUM}: install Debian's package (apt-get install chromium) "
               "or point LOKET_CHROMIUM at it")
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must run the browser tests.", pytrace=False)
    pytest.skip(message + ".")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the reference and demo data, served on a free port; yields its base URL."""
    database = tmp_path_factory.mktemp("browser") / "loket.db"

    class BrowserConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        REDIS_URL = None
        JOBS_INLINE = True
        # A development server with demo data: beheer's mail preview is there (mailed_path reads links with it).
        MAIL_PREVIEW = True

    app = create_app(BrowserConfig)
    with app.app_context():
        _db.create_all()
        seed_reference(app.config["REFERENCE_DATA_DIR"])
        seed_demo()
        _a_failed_mail()
        _db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _a_failed_mail() -> None:
    """One mail that SendGrid refused, for beheer to retry (the demo data sends everything)."""
    request_id = _db.session.scalar(select(SupportRequest.id).order_by(SupportRequest.id))
    OutboxMessageFactory(status="failed", to=f"club@{DEMO_DOMAIN}", context={"request_id": request_id},
                         last_error="SendGrid 400: b'{\"errors\":[{\"message\":\"Invalid email\"}]}'")
    _db.session.commit()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(WIDTHS))
def width(request):
    return request.param


def _new_page(browser, live_server, width: str):
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900},
                                  locale="nl-NL")
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture()
def open_page(browser, live_server):
    """open_page(width="desktop", as_user="ondersteuner") → a Playwright page, logged in when asked."""
    contexts = []

    def _open(width="desktop", as_user=None):
        context, page = _new_page(browser, live_server, width)
        contexts.append(context)
        if as_user:
            log_in(page, as_user)
        return page

    yield _open
    for context in contexts:
        context.close()
