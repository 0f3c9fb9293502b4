"""Login/logout views."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.auth import bp
from loket.blueprints.auth.forms import LoginForm
from loket.services.network.users import authenticate


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so the login page cannot redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/inloggen", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Welkom, {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
        # About the pair, not the password: a form-level error, shown in the summary above the form.
        form.form_errors.append("Dit e-mailadres en wachtwoord horen niet bij een actief account.")
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/uitloggen", methods=["POST"])
@allow(ANY_USER)
def logout():
    logout_user()
    flash("Je bent uitgelogd.", "info")
    return redirect(url_for("main.home"))
