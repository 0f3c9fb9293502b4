"""Beheer's AVG pages: what Loket holds about a person (counts only), the export as a JSON download, erasing a
person, and the audit log — searchable by who, what and when, never showing contents."""
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import PersonErasureForm, PersonExportForm, PersonLookupForm
from loket.blueprints.forms_support import attach_errors
from loket.models import AUDIT_ACTION_LABELS, AUDIT_SUBJECTS
from loket.services import audit
from loket.services.errors import DomainError, InvalidInput
from loket.services.ids import as_id
from loket.services.pagination import page_number
from loket.services.privacy import erasure, export, person

AUDIT_PAGE_SIZE = 50


def _render_person(lookup, found=None, export_form=None, erasure_form=None, code=200):
    email = found.email if found is not None else ""
    return render_template(
        "beheer/privacy.html", lookup=lookup, found=found,
        export_form=export_form or PersonExportForm(formdata=None, email=email),
        erasure_form=erasure_form or PersonErasureForm(formdata=None, email=email)), code


@bp.get("/privacy")
@allow("beheer")
def privacy():
    lookup = PersonLookupForm(request.args)
    if not request.args.get("email"):
        return _render_person(lookup)
    try:
        found = person.find_person(lookup.email.data)
    except InvalidInput as error:
        attach_errors(lookup, error)
        return _render_person(lookup, code=400)
    return _render_person(lookup, found)


@bp.post("/privacy/export")
@allow("beheer")
def export_person():
    form = PersonExportForm()
    if not form.validate_on_submit():
        return _render_person(PersonLookupForm(formdata=None), export_form=form, code=400)
    try:
        document = export.export_person(form.email.data, actor=current_user, client_address=request.remote_addr)
    except DomainError as error:
        lookup = PersonLookupForm(formdata=None, email=form.email.data)
        attach_errors(lookup, error)
        return _render_person(lookup, code=error.status_code)
    name = "persoonsgegevens-" + document["email"].replace("@", "-at-") + ".json"
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{_safe_filename(name)}"'})


@bp.post("/privacy/wissen")
@allow("beheer")
def erase_person():
    form = PersonErasureForm()
    lookup = PersonLookupForm(formdata=None, email=form.email.data)
    if not form.validate_on_submit():
        return _render_person(lookup, erasure_form=form, code=400)
    try:
        counts = erasure.erase_person(form.email.data, actor=current_user, confirmation=form.confirmation.data,
                                      reason=form.reason.data, client_address=request.remote_addr)
    except InvalidInput as error:
        attach_errors(form, error)
        # No address (an empty or forged form): there is nobody to show beside the errors.
        found = None if "email" in error.errors else person.find_person(form.email.data)
        return _render_person(lookup, found, erasure_form=form, code=400)
    except DomainError as error:
        attach_errors(lookup, error)
        return _render_person(lookup, code=error.status_code)
    flash(f"De persoon is gewist: {counts['contacts']} contactpersoonregels, {counts['requests']} aanvragen en "
          f"{counts['messages']} berichten geanonimiseerd, {counts['mails']} mails zonder ontvanger. Dit staat in "
          "het auditlog.", "success")
    return redirect(url_for("beheer.audit_log", actie="erasure"))


def _safe_filename(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-._") else "-" for c in name)


@bp.get("/auditlog")
@allow("beheer")
def audit_log():
    args = request.args
    subject_id = args.get("id", "").strip()
    wanted = audit.AuditFilter(action=args.get("actie", ""), actor_email=args.get("wie", "")[:254],
                               subject_kind=args.get("onderwerp", "") if args.get("onderwerp") in
                               AUDIT_SUBJECTS else "",
                               subject_id=as_id(subject_id) if subject_id else None,
                               since=args.get("van", "")[:10], until=args.get("tot", "")[:10])
    errors, entries, code = {}, None, 200
    if subject_id and wanted.subject_id is None:
        errors["id"] = "Vul een nummer in."
    else:
        try:
            entries = audit.search(wanted, page=page_number(args.get("pagina")), per_page=AUDIT_PAGE_SIZE)
        except InvalidInput as error:
            errors = error.errors
    if errors:
        code = 400
    return render_template("beheer/audit.html", entries=entries, wanted=wanted, errors=errors,
                           actions=AUDIT_ACTION_LABELS, subject_id=subject_id), code
