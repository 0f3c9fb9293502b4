"""Coördinatiepunt views. They never show request titles, descriptions or contact details, nor who registered a
club: the fallback queue and the hand-over pages (doorzetten) show metadata only."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.coordinatie import bp
from loket.blueprints.coordinatie.forms import RegistrationHandOverForm, RequestHandOverForm, WithdrawForm
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.models.base import utcnow
from loket.services.errors import Conflict, DomainError
from loket.services.network import nearby
from loket.services.network import registrations as registrations_service
from loket.services.requests import queues, teamwork


@bp.route("/opvang")
@allow("coordinatiepunt")
def fallback_queue():
    pagination = queues.fallback_queue(page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "coordinatie.fallback_queue")) is not None:
        return moved
    return render_template("coordinatie/fallback.html", pagination=pagination, now=utcnow())


@bp.route("/aanmeldingen")
@allow("coordinatiepunt")
def registrations():
    """Aanmeldingen from gemeenten without an operational loket: club name, gemeente and kind only; those handed
    to a loket are shown as such."""
    pagination = registrations_service.pending_for(current_user, page=requested_page(), with_handed_over=True)
    if (moved := redirect_to_existing_page(pagination, "coordinatie.registrations")) is not None:
        return moved
    return render_template("coordinatie/registrations.html", pagination=pagination)


def _loket_choices(province: str | None, key: str) -> dict[str, dict[str, str]]:
    """Operational loketten as option groups: the request's province first, then the rest (by name)."""
    groups: dict[str, dict[str, str]] = {}
    for choice in nearby.operational_loketten(province):
        label = f"In de provincie {province}" if choice.same_province else "Andere loketten"
        groups.setdefault(label, {})[str(getattr(choice, key))] = choice.name
    return groups


# ---------------------------------------------------------------- handing over a fallback request

def _render_request_handover(request_id: int, form: RequestHandOverForm, code: int = 200):
    item = or_404(queues.fallback_item, request_id)
    if item is not None and item.may_hand_over:
        form.team.choices = _loket_choices(item.province, "team_id")
    return render_template("coordinatie/handover_request.html", item=item, form=form, withdraw_form=WithdrawForm(),
                           now=utcnow()), code


@bp.get("/opvang/<int:request_id>/doorzetten")
@allow("coordinatiepunt")
def hand_over_request(request_id):
    return _render_request_handover(request_id, RequestHandOverForm())


@bp.post("/opvang/<int:request_id>/doorzetten")
@allow("coordinatiepunt")
@submitted_once
def submit_request_handover(request_id):
    return _submit_handover(
        RequestHandOverForm(), lambda form, code: _render_request_handover(request_id, form, code),
        lambda form: teamwork.hand_over_from_fallback(request_id, actor=current_user, to_team_id=form.team.data,
                                                      reason=form.reason.data),
        lambda referral: (f"{referral.request.reference} is doorgezet naar {referral.to_team.name}. Het loket "
                          "accepteert of wijst af binnen 3 werkdagen."),
        "coordinatie.fallback_queue")


def _submit_handover(form, render, hand_over, success, back: str):
    """Post a hand-over form: errors beside the fields (with the service's status), else flash and go back."""
    if not form.validate_on_submit():
        return render(form, 400)
    try:
        done = or_404(hand_over, form)
    except DomainError as error:
        attach_errors(form, error)
        return render(form, error.status_code)
    flash(success(done), "success")
    return redirect(url_for(back))


@bp.post("/opvang/<int:request_id>/doorzetten/intrekken")
@allow("coordinatiepunt")
def withdraw_request_handover(request_id):
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_request_handover(request_id, RequestHandOverForm(formdata=None), 400)
    try:
        or_404(teamwork.withdraw_hand_over, request_id, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("coordinatie.hand_over_request", request_id=request_id))
    flash("Het doorzetten is ingetrokken: de aanvraag wacht weer in de opvangwachtrij.", "success")
    return redirect(url_for("coordinatie.fallback_queue"))


# ---------------------------------------------------------------- handing over an aanmelding

def _render_registration_handover(registration_id: int, form: RegistrationHandOverForm, code: int = 200):
    try:
        item = or_404(registrations_service.get_for_handover, registration_id, current_user)
    except Conflict as error:  # decided meanwhile
        flash(error.message, "error")
        return redirect(url_for("coordinatie.registrations"))
    if item.handed_over_to is None:
        form.loket.choices = _loket_choices(item.province, "loket_id")
    return render_template("coordinatie/handover_registration.html", item=item, form=form), code


@bp.get("/aanmeldingen/<int:registration_id>/doorzetten")
@allow("coordinatiepunt")
def hand_over_registration(registration_id):
    return _render_registration_handover(registration_id, RegistrationHandOverForm())


@bp.post("/aanmeldingen/<int:registration_id>/doorzetten")
@allow("coordinatiepunt")
@submitted_once
def submit_registration_handover(registration_id):
    return _submit_handover(
        RegistrationHandOverForm(), lambda form, code: _render_registration_handover(registration_id, form, code),
        lambda form: registrations_service.hand_over(registration_id, actor=current_user, loket_id=form.loket.data,
                                                     reason=form.reason.data),
        lambda registration: (f"‘{registration.club.name}’ is doorgezet naar {registration.handover_loket.name}; "
                              "dat loket besluit over de aanmelding."),
        "coordinatie.registrations")
