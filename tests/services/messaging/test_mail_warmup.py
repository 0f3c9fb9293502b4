"""A worker loads the SendGrid client and compiles every mail template once, when it starts, so no delivery
pays for them while the queue waits (the load test's mail throughput)."""
import sys
from pathlib import Path

from loket.services.messaging import mail

EMAIL_TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "email"


def test_every_mail_template_is_compiled_and_kept_when_a_worker_starts(app, monkeypatch):
    with app.app_context():
        assert mail.prepare_for_workers() == len(list(EMAIL_TEMPLATES.iterdir()))
        assert "sendgrid" in sys.modules

        def no_disk(*args, **kwargs):
            raise AssertionError("a template was loaded again")

        monkeypatch.setattr(app.jinja_env.loader, "get_source", no_disk)
        for path in EMAIL_TEMPLATES.iterdir():
            app.jinja_env.get_template(f"email/{path.name}")  # from the cache a forked horse inherits
