"""Account views: notifications, password, email address (confirmed by a mailed link), signing out everywhere."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, logout_user

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.account import bp
from loket.blueprints.account.forms import (
    ConfirmForm,
    EmailChangeForm,
    NotificationsForm,
    PasswordChangeForm,
    SignOutEverywhereForm,
)
from loket.blueprints.auth.limits import login_failed, login_limit
from loket.blueprints.auth.routes import LINK_PAGE_HEADERS
from loket.blueprints.auth.sessions import renew_session
from loket.blueprints.forms_support import attach_errors
from loket.extensions import limiter
from loket.services.errors import InvalidInput
from loket.services.network import account as account_service


def _signed_in_user() -> str:
    """Counting key of the checks of one's current password: per account, like guesses at the login."""
    return f"user:{current_user.id}"


def _render(code=200, **forms):
    forms = {"notifications_form": NotificationsForm(formdata=None, notify_optional=current_user.notify_optional),
             "password_form": PasswordChangeForm(formdata=None), "email_form": EmailChangeForm(formdata=None),
             "sign_out_form": SignOutEverywhereForm(formdata=None), **forms}
    return render_template("account/show.html", notices=account_service.notices_for(current_user), **forms), code


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


def _email_link_refused(error):
    return render_template("auth/link_refused.html", message=error.message,
                           again_url=url_for("account.show"),
                           again_label="Vraag op je accountpagina een nieuwe link aan"), 400, LINK_PAGE_HEADERS
