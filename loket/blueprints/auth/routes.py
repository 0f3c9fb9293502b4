"""Login/logout views, and resetting a forgotten password by a mailed link."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from loket.access import ANY_USER, PUBLIC, TOKEN_ONLY_BLUEPRINTS, allow
from loket.blueprints.auth import bp
from loket.blueprints.auth.forms import ForgotPasswordForm, LoginForm, LogoutForm, ResetPasswordForm, SecondStepForm
from loket.blueprints.auth.limits import (
    login_failed,
    login_limit,
    password_reset_limit,
    pending_user_key,
    posted_email,
    two_factor_limit,
)
from loket.blueprints.auth.sessions import PENDING_KEY, log_in, pending_remember, pending_user, start_session
from loket.blueprints.forms_support import attach_errors
from loket.extensions import limiter
from loket.services.errors import InvalidInput
from loket.services.network import account as account_service
from loket.services.network import login_sessions, two_factor
from loket.services.network.users import EMAIL_NOT_CONFIRMED_MESSAGE, EmailNotConfirmed, authenticate

# What a person who must turn on two-factor authentication can open before doing so.
ENROLMENT_ENDPOINTS = frozenset({"account.two_factor", "account.enable_two_factor", "auth.logout", "static"})

# A page behind a mailed link carries the token in its address: never cached, never sent on as a referrer.
LINK_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


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
@limiter.limit(login_limit, methods=["POST"], deduct_when=login_failed)
@limiter.limit(login_limit, methods=["POST"], deduct_when=login_failed, key_func=posted_email)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, client_address=request.remote_addr)
        except EmailNotConfirmed as error:
            form.form_errors.append(error.message)
            status = 403
        else:
            if user is not None:
                if not log_in(user, remember=form.remember.data):
                    return redirect(url_for("auth.second_step", next=_safe_next(request.args.get("next"))))
                flash(f"Welkom, {user.name}.", "success")
                return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
            # About the pair, not the password: a form-level error, shown in the summary above the form.
            form.form_errors.append("Dit e-mailadres en wachtwoord horen niet bij een actief account.")
    return render_template("auth/login.html", form=form), status


@bp.get("/inloggen/code")
@allow(PUBLIC)
def second_step():
    """The second step of logging in: the code from the authenticator app (after a right password)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    if pending_user() is None:
        return _second_step_expired()
    return render_template("auth/second_step.html", form=SecondStepForm())


@bp.post("/inloggen/code")
@allow(PUBLIC)
@limiter.limit(two_factor_limit, deduct_when=login_failed)
@limiter.limit(two_factor_limit, deduct_when=login_failed, key_func=pending_user_key)
def verify_second_step():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = pending_user()
    if user is None:
        return _second_step_expired()
    form = SecondStepForm()
    if not form.validate_on_submit():
        return render_template("auth/second_step.html", form=form), 400
    try:
        two_factor.check_code(user, form.code.data, client_address=request.remote_addr)
    except InvalidInput as error:
        attach_errors(form, error)
        return render_template("auth/second_step.html", form=form), 400
    remember = pending_remember()
    start_session(user, remember=remember)
    flash(f"Welkom, {user.name}.", "success")
    return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))


def _second_step_expired():
    session.pop(PENDING_KEY, None)
    flash("Log eerst in met je e-mailadres en wachtwoord; de code vraagt Loket daarna. Na tien minuten moet je "
          "opnieuw beginnen.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/uitloggen")
@allow(ANY_USER)
def logout():
    form = LogoutForm()
    revoke = bool(form.revoke_api_tokens.data) if form.validate_on_submit() else False
    login_sessions.end(current_user, revoke_api_tokens=revoke, client_address=request.remote_addr)
    logout_user()
    flash("Je bent uitgelogd" + (" en je API-sleutels werken niet meer." if revoke else "."), "info")
    return redirect(url_for("main.home"))


@bp.before_app_request
def require_two_factor_enrolment():
    """Coördinatiepunt, beheer and team leads turn on two-factor authentication before anything else: every
    page but the enrolment page (and logging out) leads there. The API is left alone here: a bearer token is
    read by the access hook, and such users get no token until they have enrolled."""
    if request.endpoint is None or request.endpoint in ENROLMENT_ENDPOINTS or \
            request.blueprint in TOKEN_ONLY_BLUEPRINTS:
        return None
    if current_user.is_authenticated and not current_user.has_two_factor and two_factor.required_for(current_user):
        flash("Voor jouw rol is tweestapsverificatie verplicht. Zet die eerst aan; daarna kun je verder.", "info")
        return redirect(url_for("account.two_factor"))
    return None


@bp.get("/wachtwoord-vergeten")
@allow(PUBLIC)
def forgot_password():
    return render_template("auth/forgot_password.html", form=ForgotPasswordForm())


@bp.post("/wachtwoord-vergeten")
@allow(PUBLIC)
@limiter.limit(password_reset_limit)
@limiter.limit(password_reset_limit, key_func=posted_email)
def send_reset_link():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form), 400
    account_service.request_password_reset(form.email.data)
    # The same page whether or not the address has an account (no enumeration).
    return render_template("auth/reset_link_sent.html")


@bp.get("/wachtwoord-herstellen/<token>")
@allow(PUBLIC)
def reset_password(token):
    try:
        account_service.check_reset_link(token)
    except account_service.InvalidLink as error:
        return reset_link_refused(error)
    return render_template("auth/reset_password.html", form=ResetPasswordForm()), 200, LINK_PAGE_HEADERS


@bp.post("/wachtwoord-herstellen/<token>")
@allow(PUBLIC)
def save_new_password(token):
    form = ResetPasswordForm()
    try:
        account_service.check_reset_link(token)
        if not form.validate_on_submit():
            return render_template("auth/reset_password.html", form=form), 400, LINK_PAGE_HEADERS
        user = account_service.reset_password(token, form.password.data)
    except account_service.InvalidLink as error:
        return reset_link_refused(error)
    except InvalidInput as error:
        attach_errors(form, error)
        return render_template("auth/reset_password.html", form=form), 400, LINK_PAGE_HEADERS
    if user.email_confirmed_at is not None and user.active and user.has_two_factor:
        log_in(user)  # a mailed link proves the address, not the second factor
        flash("Je nieuwe wachtwoord is opgeslagen. Vul nu de code uit je authenticator-app in om in te loggen.",
              "success")
        return redirect(url_for("auth.second_step"))
    if user.email_confirmed_at is not None and start_session(user):
        flash("Je nieuwe wachtwoord is opgeslagen en je bent ingelogd. Op andere apparaten ben je uitgelogd.",
              "success")
        return redirect(url_for("main.home"))
    flash("Je nieuwe wachtwoord is opgeslagen." + (" " + EMAIL_NOT_CONFIRMED_MESSAGE
          if user.email_confirmed_at is None else ""), "success")
    return redirect(url_for("auth.login"))


@bp.get("/wachtwoord-kiezen/<token>")
@allow(PUBLIC)
def choose_password(token):
    """The first password of an account someone made for you (beheer, or the loket adding you as a contact)."""
    try:
        user = account_service.check_password_choice_link(token)
    except account_service.InvalidLink as error:
        return reset_link_refused(error)
    return _choose_password_page(ResetPasswordForm(), user), 200, LINK_PAGE_HEADERS


@bp.post("/wachtwoord-kiezen/<token>")
@allow(PUBLIC)
def save_chosen_password(token):
    form = ResetPasswordForm()
    try:
        user = account_service.check_password_choice_link(token)
        if not form.validate_on_submit():
            return _choose_password_page(form, user), 400, LINK_PAGE_HEADERS
        user = account_service.choose_password(token, form.password.data)
    except account_service.InvalidLink as error:
        return reset_link_refused(error)
    except InvalidInput as error:
        attach_errors(form, error)
        return _choose_password_page(form, user), 400, LINK_PAGE_HEADERS
    if log_in(user):
        flash("Je wachtwoord is opgeslagen en je bent ingelogd. Welkom bij Loket!", "success")
        return redirect(url_for("main.home"))
    if user.active and user.has_two_factor:
        flash("Je wachtwoord is opgeslagen. Vul nu de code uit je authenticator-app in om in te loggen.", "success")
        return redirect(url_for("auth.second_step"))
    flash("Je wachtwoord is opgeslagen; log in met je e-mailadres en het nieuwe wachtwoord.", "success")
    return redirect(url_for("auth.login"))


def _choose_password_page(form, user):
    return render_template("auth/reset_password.html", form=form, first_password=True, user=user)


def reset_link_refused(error):
    return render_template("auth/link_refused.html", message=error.message,
                           again_url=url_for("auth.forgot_password"),
                           again_label="Vraag een nieuwe link aan"), 400, LINK_PAGE_HEADERS
