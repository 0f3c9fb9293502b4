"""Configuration: production refuses to start half-configured; development is the embedded default.

Config classes read the environment when the module is imported, so each test loads a fresh copy of
config.py under its own name after setting the environment (the real `config` module is untouched).
"""
import importlib.util
import sys

import pytest
from flask import Flask
from sqlalchemy import text

import config as real_config
from loket import create_app
from tests.support.db import ON_POSTGRES

REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")


def fresh_config():
    spec = importlib.util.spec_from_file_location("config_under_test", real_config.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    return monkeypatch


def test_production_starts_when_everything_is_set(production_env, tmp_path):
    cfg = fresh_config()

    app = create_app(cfg.ProductionConfig)

    assert app.config["SECRET_KEY"] == "a-real-secret"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'prod.db'}"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6399/0"
    assert app.config["JOBS_INLINE"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug and not app.testing


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without(production_env, missing):
    production_env.delenv(missing)
    cfg = fresh_config()

    with pytest.raises(RuntimeError, match=missing):
        create_app(cfg.ProductionConfig)


def test_production_counts_an_empty_value_as_missing(production_env):
    production_env.setenv("SECRET_KEY", "")
    production_env.delenv("REDIS_URL")

    with pytest.raises(RuntimeError) as raised:
        create_app(fresh_config().ProductionConfig)

    assert "SECRET_KEY" in str(raised.value) and "REDIS_URL" in str(raised.value)
    assert "DATABASE_URL" not in str(raised.value)


def test_production_validates_at_start_not_at_import(production_env):
    """validate() reads the environment when the app is created."""
    cfg = fresh_config()
    production_env.delenv("SECRET_KEY")

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(cfg.ProductionConfig)


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://loket:pw@db.internal:5432/loket")
    assert fresh_config().Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://loket:pw@db.internal:5432/loket"
    monkeypatch.setenv("DATABASE_URL", "postgresql://loket@db.internal/loket")
    assert fresh_config().Config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://loket@db.internal/loket"


def test_development_uses_sqlite_under_instance_and_inline_jobs(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "LOKET_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    cfg = fresh_config()

    assert cfg.config_from_env() is cfg.DevelopmentConfig
    app = create_app(cfg.DevelopmentConfig)

    expected = f"sqlite:///{cfg.BASE_DIR / 'instance' / 'loket.db'}"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
    assert (cfg.BASE_DIR / "wsgi.py").is_file()  # instance/ sits in the repository root
    assert app.config["JOBS_INLINE"] is True
    assert app.config["REDIS_URL"] is None
    assert app.debug is True
    assert app.config["SECRET_KEY"]


def test_development_uses_redis_when_given(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")

    cfg = fresh_config()

    assert cfg.DevelopmentConfig.JOBS_INLINE is False


def test_unknown_config_name_is_refused(monkeypatch):
    monkeypatch.setenv("LOKET_CONFIG", "staging")

    with pytest.raises(RuntimeError, match="staging"):
        fresh_config().config_from_env()


def test_create_app_and_wsgi_app_exist(monkeypatch):
    monkeypatch.setenv("LOKET_CONFIG", "testing")
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)

    import wsgi

    assert callable(create_app)
    assert isinstance(wsgi.app, Flask)
    assert wsgi.app.testing is True
    assert {"seed", "users", "db"} <= set(wsgi.app.cli.commands)


def test_mail_provider_is_read_from_the_environment_and_empty_by_default(monkeypatch):
    monkeypatch.delenv("MAIL_PROVIDER", raising=False)
    assert fresh_config().Config.MAIL_PROVIDER == ""
    monkeypatch.setenv("MAIL_PROVIDER", "log")
    assert fresh_config().Config.MAIL_PROVIDER == "log"


def test_the_declared_mail_providers_are_the_ones_mail_can_send_with():
    from loket.services.messaging.mail import PROVIDERS

    assert set(real_config.MAIL_PROVIDERS) == set(PROVIDERS)


def test_production_refuses_an_unknown_mail_provider(production_env):
    production_env.setenv("MAIL_PROVIDER", "postduif")

    with pytest.raises(RuntimeError, match="MAIL_PROVIDER"):
        create_app(fresh_config().ProductionConfig)


def test_production_refuses_sendgrid_without_its_api_key(production_env):
    production_env.setenv("MAIL_PROVIDER", "sendgrid")
    production_env.delenv("SENDGRID_API_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SENDGRID_API_KEY"):
        create_app(fresh_config().ProductionConfig)


def test_production_starts_with_an_empty_or_log_mail_provider(production_env):
    production_env.delenv("SENDGRID_API_KEY", raising=False)
    for provider in ("", "log"):
        production_env.setenv("MAIL_PROVIDER", provider)
        assert create_app(fresh_config().ProductionConfig).config["MAIL_PROVIDER"] == provider


@pytest.mark.skipif(not ON_POSTGRES, reason="parallel workers are PostgreSQL's")
def test_the_apps_connections_start_no_parallel_workers(db):
    """A page reads a page of rows: two workers on two cores made a ranked search three times slower (config)."""
    assert db.session.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"


def test_only_a_postgresql_url_gets_postgresqls_connection_options():
    """Computed for the URL the app is built with (a test or command may change it after the class was read)."""
    assert real_config.engine_options("sqlite://", {"pool_pre_ping": True}) == {"pool_pre_ping": True}
    options = real_config.engine_options("postgresql+psycopg://db/loket", {"pool_pre_ping": True})
    assert options["connect_args"] == {"options": "-c max_parallel_workers_per_gather=0"}
    assert options["pool_use_lifo"] and options["pool_pre_ping"]
