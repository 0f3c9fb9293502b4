"""Headers every answer carries (issue #13): no sniffing, no framing (claim and accept buttons cannot be
clickjacked), a content security policy, a referrer policy, HSTS in production, and no caching of anything a
signed-in person sees (request contents stay out of shared and back-button caches).

Views may set a stricter value themselves (`Referrer-Policy: no-referrer` on mailed-link pages); it is kept.
"""
from flask import g, request

# Pages have no inline scripts or event handlers; style attributes remain in a few templates (charts, cards).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app):
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Content-Security-Policy", app.config.get("CONTENT_SECURITY_POLICY",
                                                                     CONTENT_SECURITY_POLICY))
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("HSTS_SECONDS"):
            headers.setdefault("Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}")
        if request.endpoint != "static" and _signed_in():
            if "no-store" not in (headers.get("Cache-Control") or ""):
                headers["Cache-Control"] = "no-store"
            headers.add("Vary", "Cookie")
        return response


def _signed_in() -> bool:
    """Whether this request was answered for a signed-in person, from the user Flask-Login already loaded (the
    access check loads it for every non-public route); never a query here, so an answer to a failed request
    cannot fail again."""
    user = g.get("_login_user")
    # is_anonymous, not is_authenticated: that reads User.active, which a commit earlier in the request expired.
    return bool(user is not None and not user.is_anonymous)
