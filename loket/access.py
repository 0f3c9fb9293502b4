"""Who may use which route: declared on every view with @allow, checked in one before_request hook.

A view without a declaration makes the app refuse to start, so no route is open by accident.
"""
from flask import abort, g, request
from flask_login import current_user

from loket.extensions import login_manager
from loket.models import ROLES, SUPPORTER_ROLES

PUBLIC = "public"
ANY_USER = "any_user"
SUPPORTERS = SUPPORTER_ROLES
# Blueprints whose routes authenticate by bearer token only: a browser session never counts there,
# which is what makes exempting exactly these from CSRF safe (the factory does so).
TOKEN_ONLY_BLUEPRINTS = frozenset({"api"})
_POLICY_ATTR = "_loket_access"


def allow(*who: str):
    """Declare who may use a view: PUBLIC, ANY_USER (logged in), or one or more roles."""
    unknown = set(who) - set(ROLES) - {PUBLIC, ANY_USER}
    if not who or unknown:
        raise ValueError(f"allow() needs roles from {ROLES} or PUBLIC/ANY_USER, got {who!r}")

    def decorate(view):
        setattr(view, _POLICY_ATTR, frozenset(who))
        return view

    return decorate


def policy_of(view) -> frozenset[str] | None:
    return getattr(view, _POLICY_ATTR, None)


def is_allowed(policy: frozenset[str], user) -> bool:
    if PUBLIC in policy:
        return True
    if not user.is_authenticated:
        return False
    return ANY_USER in policy or user.has_role(*policy)


def init_app(app):
    # Flask's own static route is public by nature.
    static_view = app.view_functions.get("static")
    if static_view is not None:
        setattr(static_view, _POLICY_ATTR, frozenset({PUBLIC}))
    undeclared = sorted(ep for ep, view in app.view_functions.items() if policy_of(view) is None)
    if undeclared:
        raise RuntimeError("Routes without an access declaration (@allow): " + ", ".join(undeclared))

    @app.before_request
    def enforce_access_policy():
        if request.endpoint is None:  # no route matched: Flask answers 404/405 itself
            return None
        token_only = request.blueprint in TOKEN_ONLY_BLUEPRINTS
        if token_only:
            authenticate_by_bearer_token()
        policy = policy_of(app.view_functions[request.endpoint])
        if is_allowed(policy, current_user):
            return None
        if not current_user.is_authenticated:
            if token_only:
                abort(401)
            return login_manager.unauthorized()
        abort(403)


def authenticate_by_bearer_token() -> None:
    """Make the user of the request's bearer token (or nobody) the current user, ignoring the session.

    Flask-Login takes the request's user from g._login_user when set, and only otherwise looks at the
    session cookie; setting it here, before anything reads current_user, keeps the cookie out of it.
    The live token record is left in g.api_token (for revoking it).
    """
    from loket.services.network.api_tokens import resolve_token

    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    record = resolve_token(token.strip()) if scheme.lower() == "bearer" else None
    g.api_token = record
    g._login_user = record.user if record else login_manager.anonymous_user()
