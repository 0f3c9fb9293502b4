"""Loket: the app factory, built as named register_* steps."""
import logging

from flask import Flask, current_app, render_template

from config import config_from_env


def create_app(config_class=None):
    """Build the Flask app from a config class (default: the one LOKET_CONFIG names)."""
    config_class = config_class or config_from_env()
    config_class.validate()
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=False,
    )
    app.config.from_object(config_class)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_cli(app)
    register_access_control(app)
    return app


MAIL_LOGGER = "loket.services.messaging.mail"


def configure_logging(app):
    """Production: INFO and up to the log. Development: the mails of the `log` provider on the console (without
    SendGrid nothing else shows them); returns that handler. Tests: nothing (pytest captures the logs)."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return None
    if app.debug and not app.testing:
        return _mail_on_console()
    return None


def _mail_on_console() -> logging.Handler:
    logger = logging.getLogger(MAIL_LOGGER)
    existing = next((h for h in logger.handlers if getattr(h, "loket_console", False)), None)
    if existing is not None:  # one handler however often the factory runs (the reloader, tests)
        return existing
    handler = logging.StreamHandler()
    handler.loket_console = True
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def register_extensions(app):
    from loket.extensions import csrf, db, limiter, login_manager, migrate
    from loket import models  # noqa: F401  (registers every model with the metadata)

    from config import engine_options

    _ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"],
                                                             app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_repo_path("migrations")), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    from flask_login.signals import user_loaded_from_cookie

    @user_loaded_from_cookie.connect_via(app)
    def mark_session_of_remembered_user(sender, user):
        # Flask-Login restores a remembered user without the session identifier that "strong" protection
        # checks, so the very next request would log them out and clear the cookie: set it here.
        from flask import session
        session["_id"] = login_manager._session_identifier_generator()

    @login_manager.user_loader
    def load_user(user_id):
        """The user of a session or remember cookie, only while its login session is live and its session
        version is the user's current one (services/network/login_sessions); any other id counts as logged
        out."""
        from loket.services.network import login_sessions

        return login_sessions.resolve(user_id)

    @app.teardown_request
    def end_read_only_transaction(error=None):
        from loket.services import transaction

        if error is None:
            transaction.end_read_only()


def register_blueprints(app):
    from werkzeug.routing import IntegerConverter

    class DatabaseIntegerConverter(IntegerConverter):
        """<int:…> ids beyond a 32-bit database integer are 404s, not database errors."""

        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseIntegerConverter
    from loket.access import TOKEN_ONLY_BLUEPRINTS
    from loket.blueprints import BLUEPRINTS
    from loket.extensions import csrf

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # CSRF guards cookie-authenticated forms; these blueprints never accept the session cookie.
    for name in TOKEN_ONLY_BLUEPRINTS:
        csrf.exempt(app.blueprints[name])


def register_errorhandlers(app):
    from flask_wtf.csrf import CSRFError

    from loket.services.storage import StorageError

    from loket.blueprints.api.problems import is_api_request, problem, problem_for_http_error

    def render_error(error):
        if is_api_request():  # the API answers in application/problem+json
            return problem_for_http_error(error)
        code = getattr(error, "code", 500) or 500
        message = too_large_message() if code == 413 else None
        return render_template("errors/error.html", error=error, code=code, message=message), code

    for code in (400, 401, 403, 404, 405, 409, 413, 415, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(429)
    def too_many_requests(error):
        message = retry_message(error)
        if is_api_request():
            return problem(429, message)
        return render_template("errors/error.html", code=429, error=error, message=message), 429

    @app.errorhandler(StorageError)
    def storage_unavailable(error):
        # The file store (disk or S3) failed: the write was rolled back with the request; a Dutch 503, no 500.
        app.logger.error("Bestandsopslag niet bereikbaar: %s", error)
        message = ("De bestanden zijn even niet bereikbaar. Er is niets opgeslagen; probeer het over een paar "
                   "minuten opnieuw.")
        if is_api_request():
            return problem(503, message)
        return render_template("errors/error.html", code=503, error=error, message=message), 503

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "errors/error.html", code=400, error=error,
            message="Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens.",
        ), 400


def too_large_message() -> str:
    """What a page says when a form (with its file) is over MAX_CONTENT_LENGTH."""
    from loket.services.requests.attachments import megabytes

    return (f"Wat je verstuurde is te groot. Een bijlage mag hooguit "
            f"{megabytes(current_app.config['MAX_ATTACHMENT_BYTES'])} zijn; kies een kleiner bestand en probeer het "
            "opnieuw.")


def retry_message(error) -> str:
    """'Probeer het over N minuten opnieuw' for a rate limit that was hit (its window, rounded up)."""
    import math

    limit = getattr(error, "limit", None)
    seconds = limit.limit.get_expiry() if limit is not None else 60
    minutes = max(1, math.ceil(seconds / 60))
    return (f"Je hebt dit te vaak geprobeerd. Probeer het over {minutes} "
            f"{'minuut' if minutes == 1 else 'minuten'} opnieuw.")


def register_template_helpers(app):
    from loket import formatting

    formatting.init_app(app)


def register_cli(app):
    from loket import cli

    cli.init_app(app)


def register_access_control(app):
    from loket import access, auditing, input_guard, security_headers

    access.init_app(app)
    auditing.init_app(app)
    security_headers.init_app(app)
    input_guard.init_app(app)  # its check runs before every other before_request hook


def _ensure_sqlite_folder(uri: str) -> None:
    """SQLite creates the file but not its folder (instance/ in development)."""
    prefix = "sqlite:///"
    if uri and uri.startswith(prefix) and len(uri) > len(prefix):
        from pathlib import Path

        Path(uri[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)


def _repo_path(name):
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
