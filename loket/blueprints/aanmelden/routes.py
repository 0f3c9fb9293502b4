"""Registration views: register a club with your own account, confirm the address, ask to join a club; and one
aanmelding with its decision (for the loket, the coördinatiepunt and a club's contacts)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import PUBLIC, allow
from loket.blueprints.aanmelden import bp
from loket.blueprints.aanmelden.forms import ConfirmForm, DecisionForm, HandBackForm, JoinForm, RegistrationForm
from loket.blueprints.auth.limits import email_key
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.extensions import limiter
from loket.services.errors import DomainError, InvalidInput
from loket.services.network import clubs as clubs_service
from loket.services.network import registrations

# A page behind a mailed link carries the token in its address: never cached, never sent on as a referrer.
LINK_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
DECIDERS = ("clubondersteuner", "coordinatiepunt", "club")
# Where a decision sends the decider back to: their own list of aanmeldingen.
BACK = {"wachtrij": "queue.registrations", "coordinatie": "coordinatie.registrations", "club": "club.requests_list"}


# Registering a club and asking to join one make accounts alike: they count together, per client address and
# per email address typed (REGISTRATION_RATE_LIMIT); the API's registrations count in the same buckets.
PER_CLIENT, PER_ADDRESS = "registration", "registration-email"


def registration_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _posted_contact_email() -> str:
    return email_key(request.form.get("contact_email"))


def _attach(form, error: DomainError) -> None:
    """The service's field keys (club.name) are the form's field names with `_` (club_name)."""
    if isinstance(error, InvalidInput):
        error = InvalidInput({field.replace(".", "_"): message for field, message in error.errors.items()})
    attach_errors(form, error)


# ---------------------------------------------------------------- registering a club

def _render_register(form: RegistrationForm, code: int = 200):
    form.club_gemeente.choices = {"": "— kies je gemeente —", **dict(registrations.gemeente_choices())}
    form.club_sports.choices = {str(s.id): s.name for s in clubs_service.sports_in_reading_order()}
    return render_template("aanmelden/register.html", form=form), code


@bp.get("/aanmelden")
@allow(PUBLIC)
def register():
    return _render_register(RegistrationForm())


@bp.post("/aanmelden")
@allow(PUBLIC)
@limiter.shared_limit(registration_limit, scope=PER_CLIENT)
@limiter.shared_limit(registration_limit, scope=PER_ADDRESS, key_func=_posted_contact_email)
@submitted_once
def submit_registration():
    form = RegistrationForm()
    if not form.validate_on_submit():
        return _render_register(form, 400)
    try:
        submitted = registrations.register_club(form.club_data(), form.contact_data())
    except DomainError as error:
        _attach(form, error)
        return _render_register(form, error.status_code)
    return render_template("aanmelden/check_mail.html", email=submitted.email)


# ---------------------------------------------------------------- confirming the address

@bp.get("/aanmelden/bevestigen/<token>")
@allow(PUBLIC)
def confirm(token):
    try:
        registrations.check_confirmation_link(token)
    except InvalidInput as error:
        return render_template("aanmelden/link_refused.html", message=error.errors["token"]), 400, LINK_PAGE_HEADERS
    return render_template("aanmelden/confirm.html", form=ConfirmForm()), 200, LINK_PAGE_HEADERS


@bp.post("/aanmelden/bevestigen/<token>")
@allow(PUBLIC)
def confirm_submit(token):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("aanmelden/confirm.html", form=form), 400, LINK_PAGE_HEADERS
    try:
        registration = registrations.confirm_registration(token)
    except InvalidInput as error:
        return render_template("aanmelden/link_refused.html", message=error.errors["token"]), 400, LINK_PAGE_HEADERS
    decider = None
    if registration is not None:
        team = registrations.deciding_team(registration.club.gemeente)
        decider = team.name if team.kind == "loket" else "het landelijk coördinatiepunt"
    return render_template("aanmelden/confirmed.html", registration=registration, decider=decider), 200, \
        LINK_PAGE_HEADERS


# ---------------------------------------------------------------- joining an existing club

def _render_join(form: JoinForm, gemeente_code: str | None, code: int = 200):
    gemeenten = registrations.gemeente_choices()
    clubs = registrations.active_clubs_in(gemeente_code) if gemeente_code else []
    form.gemeente.data = gemeente_code or ""
    form.club.choices = {"": "— kies je club —", **{str(c.id): c.name for c in clubs}}
    chosen = dict(gemeenten).get(gemeente_code or "")
    return render_template("aanmelden/join.html", form=form, gemeenten=gemeenten, gemeente_name=chosen,
                           clubs=clubs), code


@bp.get("/aanmelden/bij-een-club")
@allow(PUBLIC)
def join():
    return _render_join(JoinForm(formdata=None), (request.args.get("gemeente") or "").strip().upper()[:6] or None)


@bp.post("/aanmelden/bij-een-club")
@allow(PUBLIC)
@limiter.shared_limit(registration_limit, scope=PER_CLIENT)
@limiter.shared_limit(registration_limit, scope=PER_ADDRESS, key_func=_posted_contact_email)
@submitted_once
def submit_join():
    form = JoinForm()
    gemeente_code = (form.gemeente.data or "").strip().upper()[:6] or None
    if not form.validate_on_submit():
        return _render_join(form, gemeente_code, 400)
    try:
        submitted = registrations.request_to_join(form.club.data, form.contact_data())
    except DomainError as error:
        _attach(form, error)
        return _render_join(form, gemeente_code, error.status_code)
    return render_template("aanmelden/check_mail.html", email=submitted.email)


# ---------------------------------------------------------------- one aanmelding and its decision

def _back_to() -> str:
    """The list the decider came from (a hidden field), else the one that fits their role."""
    wanted = request.form.get("terug")
    if wanted in BACK:
        return url_for(BACK[wanted])
    if current_user.has_role("clubondersteuner"):
        return url_for(BACK["wachtrij"])
    return url_for(BACK["coordinatie" if current_user.has_role("coordinatiepunt") else "club"])


def _render_detail(registration_id, form=None, code=200, hand_back_form=None):
    item = or_404(registrations.get_pending, registration_id, current_user)
    return render_template("aanmelden/detail.html", item=item, form=form or DecisionForm(),
                           back=request.form.get("terug") or "", hand_back_form=hand_back_form or HandBackForm()), code


@bp.get("/aanmeldingen/<int:registration_id>")
@allow(*DECIDERS)
def detail(registration_id):
    return _render_detail(registration_id)


@bp.post("/aanmeldingen/<int:registration_id>/goedkeuren")
@allow(*DECIDERS)
def approve(registration_id):
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_detail(registration_id, form, 400)
    try:
        registration = or_404(registrations.approve, registration_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(_back_to())
    flash(f"‘{registration.club.name}’: de aanmelding is goedgekeurd en de aanmelder krijgt een mail.", "success")
    return redirect(_back_to())


@bp.post("/aanmeldingen/<int:registration_id>/afwijzen")
@allow(*DECIDERS)
def reject(registration_id):
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_detail(registration_id, form, 400)
    try:
        registration = or_404(registrations.reject, registration_id, current_user, form.reason.data)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render_detail(registration_id, form, error.status_code)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(_back_to())
    flash(f"‘{registration.club.name}’: de aanmelding is afgewezen; de aanmelder krijgt de reden per mail.", "success")
    return redirect(_back_to())


@bp.post("/aanmeldingen/<int:registration_id>/teruggeven")
@allow("clubondersteuner")
def hand_back(registration_id):
    """The loket gives an aanmelding the coördinatiepunt handed to it back: it waits nationally again."""
    form = HandBackForm()
    if not form.validate_on_submit():
        return _render_detail(registration_id, code=400, hand_back_form=form)
    try:
        registration = or_404(registrations.hand_back, registration_id, actor=current_user, reason=form.reason.data)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render_detail(registration_id, code=error.status_code, hand_back_form=form)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(BACK["wachtrij"]))
    flash(f"‘{registration.club.name}’: de aanmelding is teruggegeven aan het coördinatiepunt.", "success")
    return redirect(url_for(BACK["wachtrij"]))
