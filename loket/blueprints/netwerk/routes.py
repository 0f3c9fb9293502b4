"""Views of the netwerk area: loketten (list, new, page with history, edit) and the gemeenten with their stage,
for beheer and the coördinatiepunt. Nothing here shows a request's contents: only loketten, gemeenten,
people in a team lead's role and the network's history."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.netwerk import bp
from loket.blueprints.netwerk.forms import (
    ActionForm,
    EditLoketForm,
    NewLoketForm,
    gemeente_codes,
    gemeenten_text,
)
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.models import GEMEENTE_STAGE_LABELS, GEMEENTE_STAGES, LOKET_STATUSES
from loket.services.errors import DomainError, InvalidInput
from loket.services.network import history, lifecycle
from loket.services.network import loketten as loketten_service

WHO = ("beheer", "coordinatiepunt")
# The filter arguments a gemeenten page keeps when a button on it sends you back.
GEMEENTEN_ARGS = ("q", "provincie", "fase", "pagina")


@bp.context_processor
def helpers():
    return {"stage_labels": GEMEENTE_STAGE_LABELS, "stages": GEMEENTE_STAGES, "history_fields": history.FIELD_LABELS,
            "history_values": history.VALUE_LABELS, "status_labels": loketten_service.STATUS_LABELS,
            "stage_of": lifecycle.stage_of}


def _page_size() -> int:
    return current_app.config["QUEUE_PAGE_SIZE"]


# ---------------------------------------------------------------- loketten

@bp.get("/loketten")
@allow(*WHO)
def loketten():
    status = request.args.get("status") if request.args.get("status") in LOKET_STATUSES else None
    q = request.args.get("q", "")
    try:
        pagination = loketten_service.list_loketten(page=requested_page(), per_page=_page_size(), search=q,
                                                    status=status)
    except InvalidInput as error:
        return render_template("netwerk/loketten.html", pagination=None, q=q, status=status,
                               search_error=error.errors["q"]), 400
    if (moved := redirect_to_existing_page(pagination, "netwerk.loketten")) is not None:
        return moved
    return render_template("netwerk/loketten.html", pagination=pagination, q=q, status=status, search_error=None)


def _render_new(form, code=200):
    return render_template("netwerk/loket_new.html", form=form), code


@bp.get("/loketten/nieuw")
@allow(*WHO)
def new_loket():
    return _render_new(NewLoketForm())


@bp.post("/loketten/nieuw")
@allow(*WHO)
@submitted_once
def create_loket():
    form = NewLoketForm()
    if not form.validate_on_submit():
        return _render_new(form, 400)
    try:
        loket = loketten_service.create_loket(form.name.data, form.slug.data, gemeente_codes(form.gemeenten.data),
                                      form.status.data, actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_new(form, error.status_code)
    flash(f"{loket.name} is opgericht voor {len(loket.gemeenten)} "
          f"{'gemeente' if len(loket.gemeenten) == 1 else 'gemeenten'}.", "success")
    return redirect(url_for("netwerk.loket", slug=loket.slug))


@bp.get("/loketten/<slug>")
@allow(*WHO)
def loket(slug):
    page = or_404(lifecycle.loket_page, slug)
    return render_template("netwerk/loket.html", page=page, loket=page.loket)


def _render_edit(loket, form, code=200):
    return render_template("netwerk/loket_edit.html", loket=loket, form=form), code


@bp.get("/loketten/<slug>/bewerken")
@allow(*WHO)
def edit_loket(slug):
    loket = or_404(loketten_service.get_loket, slug)
    form = EditLoketForm(obj=loket)
    form.gemeenten.data = gemeenten_text(loket.gemeenten)
    form.aangehaakt_at.data = loket.aangehaakt_at.isoformat() if loket.aangehaakt_at else ""
    return _render_edit(loket, form)


@bp.post("/loketten/<slug>/bewerken")
@allow(*WHO)
def save_loket(slug):
    loket = or_404(loketten_service.get_loket, slug)
    form = EditLoketForm()
    if not form.validate_on_submit():
        return _render_edit(loket, form, 400)
    try:
        lifecycle.update_loket(loket, actor=current_user, changes=form.changes(), reason=form.reason.data,
                               take_over=form.take_over.data)
    except DomainError as error:
        attach_errors(form, error)
        return _render_edit(loketten_service.get_loket(slug), form, error.status_code)
    flash(f"De wijzigingen aan {loket.name} zijn opgeslagen.", "success")
    return redirect(url_for("netwerk.loket", slug=loket.slug))


# ---------------------------------------------------------------- gemeenten

def _gemeenten_filters() -> dict:
    provinces = lifecycle.provinces()
    province = request.args.get("provincie")
    stage = request.args.get("fase")
    return {"provinces": provinces, "province": province if province in provinces else None,
            "stage": stage if stage in GEMEENTE_STAGES else None, "q": request.args.get("q", "")}


def _render_gemeenten(code=200):
    filters = _gemeenten_filters()
    try:
        pagination = lifecycle.list_gemeenten(page=requested_page(), per_page=_page_size(), search=filters["q"],
                                              province=filters["province"], stage=filters["stage"])
    except InvalidInput as error:
        return render_template("netwerk/gemeenten.html", pagination=None, search_error=error.errors["q"],
                               back=_back_args(), **filters), 400
    if code == 200 and (moved := redirect_to_existing_page(pagination, "netwerk.gemeenten")) is not None:
        return moved
    return render_template("netwerk/gemeenten.html", pagination=pagination, search_error=None, back=_back_args(),
                           **filters), code


def _back_args() -> dict:
    return {name: request.args[name] for name in GEMEENTEN_ARGS if request.args.get(name)}


@bp.get("/gemeenten")
@allow(*WHO)
def gemeenten():
    return _render_gemeenten()


@bp.post("/gemeenten/<code>/verkennen")
@allow(*WHO)
def start_exploring(code):
    return _set_exploring(code, True, "Gemeente {} verkent nu een loket.")


@bp.post("/gemeenten/<code>/niet-verkennen")
@allow(*WHO)
def stop_exploring(code):
    return _set_exploring(code, False, "Gemeente {} verkent geen loket meer.")


def _set_exploring(code, exploring, message):
    gemeente = or_404(lifecycle.get_gemeente, code)
    if not ActionForm().validate_on_submit():
        flash("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.", "error")
        return _render_gemeenten(400)
    try:
        lifecycle.set_exploring(gemeente, exploring, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return _render_gemeenten(error.status_code)
    flash(message.format(gemeente.name), "success")
    return redirect(url_for("netwerk.gemeenten", **_back_args()))
