"""Every route declares who may use it, and the app refuses to start otherwise."""
import pytest
from flask import Blueprint

from config import TestingConfig
from loket import access, create_app


def test_every_route_declares_its_access_policy(app):
    for endpoint, view in app.view_functions.items():
        assert access.policy_of(view), f"{endpoint} has no @allow declaration"


def test_app_refuses_to_start_with_an_undeclared_route(monkeypatch):
    rogue = Blueprint("rogue", __name__)

    @rogue.route("/rogue")
    def open_door():
        return "oops"

    from loket import blueprints
    monkeypatch.setattr(blueprints, "BLUEPRINTS", [*blueprints.BLUEPRINTS, rogue])
    with pytest.raises(RuntimeError, match="rogue.open_door"):
        create_app(TestingConfig)


def test_allow_rejects_unknown_roles():
    with pytest.raises(ValueError):
        access.allow("superuser")
    with pytest.raises(ValueError):
        access.allow()


def test_state_changing_routes_accept_only_post(app):
    """No GET route changes state: every POST-only endpoint refuses GET (so CSRF covers all writes)."""
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            assert "GET" not in rule.methods or rule.endpoint in {
                "auth.login", "club.new_request",  # form pages: GET shows the form, POST submits it
            }, rule.endpoint
