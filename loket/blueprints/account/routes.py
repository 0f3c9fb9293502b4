"""Account views: notifications, password, email address (confirmed by a mailed link), the login sessions on
other devices, signing out everywhere, and two-factor authentication."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.account import bp
from loket.blueprints.account.forms import (
    ConfirmForm,
    DisableTwoFactorForm,
    EmailChangeForm,
    EnableTwoFactorForm,
    EndSessionForm,
    NotificationsForm,
    PasswordChangeForm,
    RecoveryCodesForm,
    SignOutEverywhereForm,
)
from loket.blueprints.auth.forms import LogoutForm
from loket.blueprints.auth.limits import login_failed, login_limit, two_factor_limit
from loket.blueprints.auth.routes import LINK_PAGE_HEADERS
from loket.blueprints.auth.sessions import renew_session
from loket.blueprints.forms_support import attach_errors
from loket.extensions import limiter
from loket.services.errors import Conflict, InvalidInput, NotFound
from loket.services.network import account as account_service
from loket.services.network import login_sessions
from loket.services.network import two_factor as two_factor_service

# The page that shows a secret or recovery codes is never cached.
SECRET_PAGE_HEADERS = {"Cache-Control": "no-store"}


def _signed_in_user() -> str:
    """Counting key of the checks of one's current password: per account, like guesses at the login."""
    return f"user:{current_user.id}"


def _render(code=200, **forms):
    forms = {"notifications_form": NotificationsForm(formdata=None, notify_optional=current_user.notify_optional),
             "password_form": PasswordChangeForm(formdata=None), "email_form": EmailChangeForm(formdata=None),
             "sign_out_form": SignOutEverywhereForm(formdata=None), "logout_form": LogoutForm(formdata=None),
             "end_session_form": EndSessionForm(formdata=None), **forms}
    return render_template("account/show.html", notices=account_service.notices_for(current_user),
                           sessions=login_sessions.active_sessions(current_user),
                           two_factor_required=two_factor_service.required_for(current_user), **forms), code


@bp.route("/")
@allow(ANY_USER)
def show():
    return _render()


@bp.route("/meldingen", methods=["POST"])
@allow(ANY_USER)
def save_notifications():
    form = NotificationsForm()
    if not form.validate_on_submit():
        return _render(400, notifications_form=form)
    account_service.set_optional_notifications(current_user, form.notify_optional.data)
    flash("Je meldingsvoorkeur is opgeslagen: " + ("je krijgt ook niet-essentiële meldingen."
          if form.notify_optional.data else "je krijgt alleen nog essentiële meldingen."), "success")
    return redirect(url_for("account.show"))


@bp.post("/wachtwoord")
@allow(ANY_USER)
@limiter.limit(login_limit, deduct_when=login_failed, key_func=_signed_in_user)
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _render(400, password_form=form)
    try:
        account_service.change_password(current_user, form.current_password.data, form.new_password.data)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render(400, password_form=form)
    renew_session(current_user)
    flash("Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd; hier blijf je ingelogd.", "success")
    return redirect(url_for("account.show"))


@bp.post("/e-mailadres")
@allow(ANY_USER)
@limiter.limit(login_limit, deduct_when=login_failed, key_func=_signed_in_user)
def request_email_change():
    form = EmailChangeForm()
    if not form.validate_on_submit():
        return _render(400, email_form=form)
    try:
        new_email = account_service.request_email_change(current_user, form.password.data, form.new_email.data)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render(400, email_form=form)
    # The same words whether or not the address already has an account (its holder got a mail instead).
    flash(f"We hebben een link gestuurd naar {new_email}. Je e-mailadres verandert pas als je op die link klikt.",
          "success")
    return redirect(url_for("account.show"))


@bp.get("/e-mailadres/<token>")
@allow(PUBLIC)  # the link may be opened on another device, not logged in: the token is the proof
def confirm_email_change(token):
    try:
        record = account_service.check_email_change_link(token)
    except account_service.InvalidLink as error:
        return _email_link_refused(error)
    return render_template("account/confirm_email.html", form=ConfirmForm(), new_email=record.new_email), 200, \
        LINK_PAGE_HEADERS


@bp.post("/e-mailadres/<token>")
@allow(PUBLIC)
def save_email_change(token):
    form = ConfirmForm()
    try:
        record = account_service.check_email_change_link(token)
        if not form.validate_on_submit():
            return render_template("account/confirm_email.html", form=form, new_email=record.new_email), 400, \
                LINK_PAGE_HEADERS
        user = account_service.confirm_email_change(token)
    except account_service.InvalidLink as error:
        return _email_link_refused(error)
    flash(f"Je e-mailadres is gewijzigd in {user.email}. Log voortaan in met dit adres.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("account.show"))
    return redirect(url_for("auth.login"))


@bp.post("/overal-uitloggen")
@allow(ANY_USER)
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    if not form.validate_on_submit():
        return _render(400, sign_out_form=form)
    account_service.sign_out_everywhere(current_user)
    logout_user()
    flash("Je bent overal uitgelogd: op dit apparaat, op alle andere apparaten, en je API-tokens werken niet meer.",
          "success")
    return redirect(url_for("auth.login"))


@bp.post("/sessies/<int:session_id>/uitloggen")
@allow(ANY_USER)
def end_session(session_id):
    """Log out one other device from the list of login sessions."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        return _render(400, end_session_form=form)
    try:
        login_sessions.revoke_one(current_user, session_id)
    except NotFound as error:
        flash(error.message, "error")
        return _render(404)
    flash("Dat apparaat is uitgelogd.", "success")
    return redirect(url_for("account.show"))


# ---------------------------------------------------------------- two-factor authentication

def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="loket-totp-enrolment")


def _two_factor_page(code=200, *, secret=None, enable_form=None, **forms):
    user = current_user
    context = {"required": two_factor_service.required_for(user),
               "disable_form": forms.get("disable_form") or DisableTwoFactorForm(formdata=None),
               "renew_form": forms.get("renew_form") or RecoveryCodesForm(formdata=None)}
    if user.has_two_factor:
        context["remaining"] = two_factor_service.remaining_recovery_codes(user)
    else:
        # A new secret each time the page opens: it is stored only when a code from it comes back, signed so
        # the browser cannot choose one.
        secret = secret or two_factor_service.new_secret()
        enable_form = enable_form or EnableTwoFactorForm(formdata=None)
        enable_form.secret.data = _signer().dumps({"user": user.id, "secret": secret})
        context.update(secret=secret, grouped_secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                       qr_code=two_factor_service.qr_code_svg(user, secret), enable_form=enable_form)
    return render_template("account/two_factor.html", **context), code, SECRET_PAGE_HEADERS


def _renamed(error: InvalidInput, **names) -> InvalidInput:
    """The error with its fields named as on this page (its forms share one page, so their names differ)."""
    field_of = {service: field for field, service in names.items()}
    return InvalidInput({field_of.get(name, name): message for name, message in error.errors.items()})


def _signed_secret(value) -> str | None:
    try:
        data = _signer().loads(value or "")
    except BadSignature:
        return None
    return data.get("secret") if isinstance(data, dict) and data.get("user") == current_user.id else None


@bp.get("/tweestapsverificatie")
@allow(ANY_USER)
def two_factor():
    return _two_factor_page()


@bp.post("/tweestapsverificatie/aanzetten")
@allow(ANY_USER)
@limiter.limit(two_factor_limit, deduct_when=login_failed, key_func=_signed_in_user)
def enable_two_factor():
    form = EnableTwoFactorForm()
    secret = _signed_secret(form.secret.data)
    if secret is None:
        form.form_errors.append("Het formulier is verlopen. Scan de nieuwe QR-code en probeer het nog eens.")
        return _two_factor_page(400, enable_form=form)
    if not form.validate_on_submit():
        return _two_factor_page(400, secret=secret, enable_form=form)
    try:
        enrolment = two_factor_service.enable(current_user, secret, form.code.data)
    except Conflict as error:
        flash(error.message, "info")
        return redirect(url_for("account.two_factor"))
    except InvalidInput as error:
        attach_errors(form, error)
        return _two_factor_page(400, secret=secret, enable_form=form)
    return render_template("account/recovery_codes.html", codes=enrolment.recovery_codes, first=True), 200, \
        SECRET_PAGE_HEADERS


@bp.post("/tweestapsverificatie/uitzetten")
@allow(ANY_USER)
@limiter.limit(two_factor_limit, deduct_when=login_failed, key_func=_signed_in_user)
def disable_two_factor():
    form = DisableTwoFactorForm()
    if not form.validate_on_submit():
        return _two_factor_page(400, disable_form=form)
    try:
        two_factor_service.disable(current_user, form.disable_password.data, form.disable_code.data)
    except Conflict as error:
        form.form_errors.append(error.message)
        return _two_factor_page(409, disable_form=form)
    except InvalidInput as error:
        attach_errors(form, _renamed(error, disable_password="password", disable_code="code"))
        return _two_factor_page(400, disable_form=form)
    flash("Tweestapsverificatie staat uit. Je logt weer in met alleen je wachtwoord.", "success")
    return redirect(url_for("account.show"))


@bp.post("/tweestapsverificatie/herstelcodes")
@allow(ANY_USER)
@limiter.limit(two_factor_limit, deduct_when=login_failed, key_func=_signed_in_user)
def renew_recovery_codes():
    form = RecoveryCodesForm()
    if not form.validate_on_submit():
        return _two_factor_page(400, renew_form=form)
    try:
        enrolment = two_factor_service.new_recovery_codes(current_user, form.renew_code.data)
    except Conflict as error:
        flash(error.message, "info")
        return redirect(url_for("account.two_factor"))
    except InvalidInput as error:
        attach_errors(form, _renamed(error, renew_code="code"))
        return _two_factor_page(400, renew_form=form)
    return render_template("account/recovery_codes.html", codes=enrolment.recovery_codes, first=False), 200, \
        SECRET_PAGE_HEADERS


def _email_link_refused(error):
    return render_template("auth/link_refused.html", message=error.message,
                           again_url=url_for("account.show"),
                           again_label="Vraag op je accountpagina een nieuwe link aan"), 400, LINK_PAGE_HEADERS
