"""Quality views: the coördinatiepunt's audits (beheer reads along), and a loket's "waar staan we" page with
its own audits and self-assessment. No request contents and no club contact data appear on any of them."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.kwaliteit import bp
from loket.blueprints.kwaliteit.display import HELPERS
from loket.blueprints.kwaliteit.forms import (
    ActionForm,
    PublicDetailsForm,
    audit_form,
    correct_criteria_set_form,
    criteria_set_form,
)
from loket.services.errors import Conflict, DomainError
from loket.services.network import agreements, loketten, teams
from loket.services.quality import audits, contact_review, criteria
from loket.services.quality.audits import (
    KIND_LABELS,
    RESULT_LABELS,
    STATE_LABELS,
    VERDICT_LABELS,
)

READERS = ("coordinatiepunt", "beheer")


@bp.context_processor
def quality_helpers():
    return {**HELPERS, "kind_labels": KIND_LABELS, "state_labels": STATE_LABELS, "result_labels": RESULT_LABELS,
            "verdict_labels": VERDICT_LABELS}


# ---------------------------------------------------------------- coördinatiepunt (beheer reads)

def _render_index(error=None, code=200):
    return render_template("kwaliteit/index.html", rows=audits.audit_overview(), start_form=ActionForm(),
                           may_start=current_user.has_role("coordinatiepunt"), error=error), code


@bp.route("/audits")
@allow(*READERS)
def audits_index():
    return _render_index()


@bp.route("/loketten/<int:loket_id>")
@allow(*READERS)
def loket_audits(loket_id):
    loket = or_404(audits.get_loket, loket_id)
    return render_template("kwaliteit/loket.html", loket=loket, start_form=ActionForm(),
                           audit_list=audits.audits_of(loket.id, viewer=current_user),
                           concept=audits.open_concept(loket.id, "audit"),
                           may_start=current_user.has_role("coordinatiepunt"))


@bp.route("/loketten/<int:loket_id>/audit", methods=["POST"])
@allow("coordinatiepunt")
def start_audit(loket_id):
    loket = or_404(audits.get_loket, loket_id)
    if not ActionForm().validate_on_submit():
        return _render_index(error="Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
                             code=400)
    try:
        audit = audits.start_audit(loket.id, actor=current_user, kind="audit")
    except DomainError as error:
        return _render_index(error=error.message, code=error.status_code)
    flash(f"Audit van {loket.name} gestart als concept.", "success")
    return redirect(url_for("kwaliteit.audit", audit_id=audit.id))


@bp.route("/audits/<int:audit_id>")
@allow(*READERS)
def audit(audit_id):
    return _render_audit(or_404(audits.get_audit_for, current_user, audit_id), side="coordinatie")


@bp.route("/audits/<int:audit_id>", methods=["POST"])
@allow("coordinatiepunt")
def save_audit(audit_id):
    return _save(audit_id, side="coordinatie")


# ---------------------------------------------------------------- national criteria versions

@bp.route("/criteria")
@allow(*READERS)
def criteria_index():
    current = criteria.current_set()
    return render_template("kwaliteit/criteria.html", sets=criteria.all_sets(), current=current,
                           may_publish=current_user.has_role("coordinatiepunt"), in_force=criteria.in_force)


def _render_publish(form, code=200):
    return render_template("kwaliteit/criteria_new.html", form=form, current=criteria.current_set()), code


@bp.route("/criteria/nieuw")
@allow("coordinatiepunt")
def new_criteria_set():
    return _render_publish(criteria_set_form(criteria.current_set(), from_request=False))


@bp.route("/criteria", methods=["POST"])
@allow("coordinatiepunt")
@submitted_once
def publish_criteria_set():
    form = criteria_set_form(None, from_request=True)
    if not form.validate_on_submit():
        return _render_publish(form, 400)
    try:
        published = criteria.publish_set(version=form.version.data, valid_from=form.valid_from_date(),
                                         criteria=form.specs(), actor=current_user,
                                         notes=(form.notes.data or "").strip() or None)
    except DomainError as error:
        attach_errors(form, error)
        return _render_publish(form, error.status_code)
    flash(f"Criteriaversie {published.version} is gepubliceerd.", "success")
    return redirect(url_for("kwaliteit.criteria_index"))


def _render_correct(criteria_set, form, code=200):
    return render_template("kwaliteit/criteria_new.html", form=form, criteria_set=criteria_set,
                           current=criteria.current_set()), code


def _in_force_page(error: Conflict):
    return render_template("errors/error.html", code=error.status_code, message=error.message), error.status_code


@bp.route("/criteria/<int:set_id>/corrigeren")
@allow("coordinatiepunt")
def correct_criteria_set(set_id):
    criteria_set = or_404(criteria.get_set, set_id)
    try:
        criteria.correctable(criteria_set)
    except Conflict as error:
        return _in_force_page(error)
    return _render_correct(criteria_set, correct_criteria_set_form(criteria_set, from_request=False))


@bp.route("/criteria/<int:set_id>/corrigeren", methods=["POST"])
@allow("coordinatiepunt")
def save_criteria_correction(set_id):
    criteria_set = or_404(criteria.get_set, set_id)
    try:
        criteria.correctable(criteria_set)  # before the form: a version in force answers 409 whatever was sent
    except Conflict as error:
        return _in_force_page(error)
    form = correct_criteria_set_form(criteria_set, from_request=True)
    if not form.validate_on_submit():
        return _render_correct(criteria_set, form, 400)
    try:
        criteria.correct_set(criteria_set, valid_from=form.valid_from_date(), criteria=form.specs(),
                             actor=current_user, notes=(form.notes.data or "").strip() or None)
    except Conflict as error:
        return _in_force_page(error)
    except DomainError as error:
        attach_errors(form, error)
        return _render_correct(criteria_set, form, error.status_code)
    flash(f"Criteriaversie {criteria_set.version} is gecorrigeerd.", "success")
    return redirect(url_for("kwaliteit.criteria_index", _anchor=f"versie-{criteria_set.version}"))


# ---------------------------------------------------------------- the loket itself

def _own_loket_id(loket_id=None) -> int:
    """The loket whose page this is: the one asked for if the user works there, else their first."""
    own = current_user.loket_ids
    if loket_id is None:
        return own[0]
    if loket_id not in own:
        abort(404)
    return loket_id


def _render_standing(loket_id, error=None, code=200):
    standing = audits.standing(loket_id)
    return render_template("kwaliteit/ons_loket.html", standing=standing,
                           audit_list=audits.audits_of(loket_id, viewer=current_user),
                           concept=audits.open_concept(loket_id, "self_assessment"),
                           is_lead=audits.is_loket_lead(current_user, loket_id), own_loketten=teams.loketten_of(current_user),
                           k1_lapses_on=contact_review.k1_lapses_on(standing.loket),  # the loket standing loaded
                           start_form=ActionForm(), error=error), code


@bp.route("/ons-loket")
@bp.route("/ons-loket/<int:loket_id>")
@allow("clubondersteuner")
def ons_loket(loket_id=None):
    return _render_standing(_own_loket_id(loket_id))


@bp.route("/ons-loket/<int:loket_id>/zelfevaluatie", methods=["POST"])
@allow("clubondersteuner")
def start_self_assessment(loket_id):
    loket_id = _own_loket_id(loket_id)
    if not ActionForm().validate_on_submit():
        return _render_standing(loket_id, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
                                400)
    try:
        audit = audits.start_audit(loket_id, actor=current_user, kind="self_assessment")
    except DomainError as error:
        return _render_standing(loket_id, error.message, error.status_code)
    flash("Zelfevaluatie gestart als concept.", "success")
    return redirect(url_for("kwaliteit.own_audit", audit_id=audit.id))


@bp.get("/ons-loket/<int:loket_id>/gegevens")
@allow("clubondersteuner")
def public_details(loket_id):
    """The loket's public page details, kept by its team lead; colleagues read them."""
    loket = audits.get_loket(_own_loket_id(loket_id))
    return _render_public_details(loket, PublicDetailsForm(obj=loket))


@bp.post("/ons-loket/<int:loket_id>/gegevens")
@allow("clubondersteuner")
def save_public_details(loket_id):
    loket = audits.get_loket(_own_loket_id(loket_id))
    if not audits.is_loket_lead(current_user, loket.id):
        abort(403)
    form = PublicDetailsForm()
    if form.validate_on_submit():
        try:
            loketten.update_public_details(loket, actor=current_user, details=form.data, reviewed=form.reviewed.data)
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash("De gegevens van het loket zijn opgeslagen." + (" Ze staan als gecontroleerd genoteerd."
                                                                   if form.reviewed.data else ""), "success")
            return redirect(url_for("kwaliteit.ons_loket", loket_id=loket.id))
    return _render_public_details(loket, form, 400)


def _render_public_details(loket, form, code=200):
    return render_template("kwaliteit/public_details.html", loket=loket, form=form,
                           is_lead=audits.is_loket_lead(current_user, loket.id),
                           k1_lapses_on=contact_review.k1_lapses_on(loket)), code


@bp.route("/ons-loket/audits/<int:audit_id>")
@allow("clubondersteuner")
def own_audit(audit_id):
    return _render_audit(_own_audit(audit_id), side="loket")


@bp.route("/ons-loket/audits/<int:audit_id>", methods=["POST"])
@allow("clubondersteuner")
def save_own_audit(audit_id):
    return _save(audit_id, side="loket")


def _own_audit(audit_id):
    audit = or_404(audits.get_audit_for, current_user, audit_id)
    if audit.loket_id not in current_user.loket_ids:
        abort(404)
    return audit


# ---------------------------------------------------------------- shared

SAVE_ENDPOINTS = {"coordinatie": "kwaliteit.save_audit", "loket": "kwaliteit.save_own_audit"}
SHOW_ENDPOINTS = {"coordinatie": "kwaliteit.audit", "loket": "kwaliteit.own_audit"}


def _render_audit(audit, *, side, form=None, code=200):
    """The audit page: a form for the author's side while it is a concept, read-only otherwise. Metric
    criteria show the loket's latest measurement next to them (one query)."""
    editable = audits.can_edit(current_user, audit)
    if editable and form is None:
        form = audit_form(audit, from_request=False)
    findings = sorted(audit.findings, key=lambda f: f.criterion.position)
    measurements = audits.latest_measurements(
        audit.loket_id, [f.criterion_id for f in findings if f.criterion.kind == "metric"])
    # K8's evidence: the confirmed agreements of the bonden of the loket's clubs, as they are now (two queries).
    evidence = agreements.evidence_for_loket(audit.loket_id) \
        if any(f.criterion.code == audits.AGREEMENTS_CRITERION for f in findings) else None
    return render_template("kwaliteit/audit.html", audit=audit, findings=findings, measurements=measurements,
                           form=form, editable=editable, side=side, save_endpoint=SAVE_ENDPOINTS[side],
                           evidence=evidence, agreements_code=audits.AGREEMENTS_CRITERION), code


def _save(audit_id, *, side):
    audit = or_404(audits.get_audit_for, current_user, audit_id) if side == "coordinatie" else _own_audit(audit_id)
    form = audit_form(audit, from_request=True)
    if not form.validate_on_submit():
        return _render_audit(audit, side=side, form=form, code=400)
    finalize = bool(form.finalize.data)
    try:
        audits.save_findings(audit, actor=current_user, findings=form.findings_data(audit), notes=form.notes.data,
                             verdict=form.verdict.data, audit_date=form.audit_date.data, finalize=finalize)
    except DomainError as error:
        attach_errors(form, error)
        return _render_audit(audit, side=side, form=form, code=error.status_code)
    kind = KIND_LABELS[audit.kind]
    flash(f"{kind} is definitief gemaakt." if finalize else f"{kind} is opgeslagen als concept.", "success")
    return redirect(url_for(SHOW_ENDPOINTS[side], audit_id=audit.id))
