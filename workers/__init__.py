"""Background jobs (RQ) and the worker entry point.

Job functions take ids and plain values only. They run inside an app context: the worker process
(`flask --app wsgi worker`) pushes one for its lifetime; `ensure_app_context` covers a bare `rq worker`.
"""
import functools

from flask import has_app_context

_app = None


def ensure_app_context(func):
    """Run the job inside the app context, creating the app once per process when there is none."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        global _app
        if has_app_context():
            return func(*args, **kwargs)
        if _app is None:
            from loket import create_app

            _app = create_app()
        with _app.app_context():
            return func(*args, **kwargs)

    return wrapper
