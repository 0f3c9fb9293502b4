"""Beheer views of region sets (regio-indelingen): the list with counts and the upload form, the preview of an
upload (nothing stored yet), the confirmation that stores it, a set's regions and gemeenten, deleting a set.

Between preview and confirmation the checked file travels in the confirmation form as base64 with its SHA-256:
nothing is kept on the server for an upload that is never confirmed, and the confirmation checks the digest
(a file that changed on the way is refused) and then checks every row again before storing anything.
"""
import base64
import binascii

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import (
    ActionForm,
    RegionConfirmForm,
    RegionImportForm,
)
from loket.blueprints.forms_support import attach_errors, or_404
from loket.services.errors import DomainError, InvalidInput
from loket.services.network import regions

CHANGED_MESSAGE = "Het bestand is onderweg veranderd of kwam niet goed mee. Upload het opnieuw."


def _render_list(form=None, code=200):
    return render_template("beheer/regio_indelingen.html", sets=regions.region_sets(),
                           form=form or RegionImportForm(), max_rows=regions.max_rows()), code


@bp.get("/regio-indelingen")
@allow("beheer")
def region_sets():
    return _render_list()


def _upload_bytes(form) -> bytes:
    """The uploaded file, read up to one byte past the limit (so the service can say it is too large)."""
    return form.file.data.read(regions.max_bytes() + 1)


@bp.post("/regio-indelingen/controleren")
@allow("beheer")
def preview_region_set():
    form = RegionImportForm()
    if not form.validate_on_submit():
        return _render_list(form, 400)
    data = _upload_bytes(form)
    try:
        preview = regions.preview_import(form.name.data, data, replace=form.replace.data)
    except DomainError as error:
        attach_errors(form, error)
        return _render_list(form, error.status_code)
    confirm = RegionConfirmForm(formdata=None, name=preview.name, csv_data=base64.b64encode(data).decode("ascii"),
                                digest=preview.digest, replace="ja" if form.replace.data else "")
    return render_template("beheer/regio_preview.html", preview=preview, form=confirm), (200 if preview.ok else 400)


@bp.post("/regio-indelingen/opslaan")
@allow("beheer")
def confirm_region_set():
    form = RegionConfirmForm()
    upload = RegionImportForm(formdata=None)
    if not form.validate_on_submit():
        attach_errors(upload, InvalidInput({"_form": "Het formulier is verlopen. Upload het bestand opnieuw."}))
        return _render_list(upload, 400)
    try:
        data = base64.b64decode(form.csv_data.data or "", validate=True)
    except (binascii.Error, ValueError):
        data = None
    if data is None or regions.digest(data) != form.digest.data:
        attach_errors(upload, InvalidInput({"file": CHANGED_MESSAGE}))
        return _render_list(upload, 400)
    try:
        saved = regions.import_region_set(form.name.data, data, actor=current_user, replace=form.replace.data == "ja")
    except DomainError as error:
        upload.name.data = form.name.data
        attach_errors(upload, error)
        return _render_list(upload, error.status_code)
    flash(f"De indeling ‘{saved.name}’ is opgeslagen. Kies haar in het landelijk overzicht bij ‘Indeling’.", "success")
    return redirect(url_for("beheer.region_set", slug=saved.slug), 303)


def _render_detail(slug, *, form=None, code=200):
    detail = or_404(regions.region_set_detail, slug)
    return render_template("beheer/regio_indeling.html", detail=detail, summary=detail.summary,
                           form=form or ActionForm()), code


@bp.get("/regio-indelingen/<slug>")
@allow("beheer")
def region_set(slug):
    return _render_detail(slug)


@bp.post("/regio-indelingen/<slug>/verwijderen")
@allow("beheer")
def delete_region_set(slug):
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_detail(slug, form=form, code=400)
    try:
        name = regions.delete_region_set(slug, actor=current_user)
    except DomainError as error:
        if error.status_code == 404:
            return _render_detail(slug)  # answers 404
        attach_errors(form, error)
        return _render_detail(slug, form=form, code=error.status_code)
    flash(f"De indeling ‘{name}’ is verwijderd.", "success")
    return redirect(url_for("beheer.region_sets"), 303)
