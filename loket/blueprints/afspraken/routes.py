"""Views of the afspraken area (see the package docstring). Who may do what is the service's rule
(services/network/agreements): the coördinatiepunt and beheer read every bond's agreements, a bond's members read
their own, its lead proposes, the coördinatiepunt confirms or rejects."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.afspraken import bp
from loket.blueprints.afspraken.forms import DecisionForm, RejectForm, proposal_form
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.models import BOND_KIND_LABELS, BOND_KINDS
from loket.services.errors import DomainError, InvalidInput, NotFound
from loket.services.network import agreements, history

READERS = ("bondsspecialist", "coordinatiepunt", "beheer")


@bp.context_processor
def labels():
    return {"handler_labels": agreements.HANDLER_LABELS, "state_labels": agreements.STATE_LABELS,
            "kind_labels": BOND_KIND_LABELS, "history_fields": history.FIELD_LABELS,
            "history_values": history.VALUE_LABELS}


# ---------------------------------------------------------------- the list

@bp.get("/")
@allow("coordinatiepunt", "beheer")
def index():
    """Every bond and brancheorganisatie with the state of its agreements, pending proposals first."""
    q = request.args.get("q", "")
    kind = request.args.get("soort") if request.args.get("soort") in BOND_KINDS else ""
    state = request.args.get("stand") if request.args.get("stand") in agreements.STATES else ""
    pagination, error = None, None
    try:
        pagination = agreements.list_bonden(text=q, kind=kind or None, state=state or None, page=requested_page(),
                                            per_page=current_app.config["QUEUE_PAGE_SIZE"])
    except InvalidInput as invalid:
        error = "; ".join(invalid.errors.values())
    if pagination is not None and (moved := redirect_to_existing_page(pagination, "afspraken.index")):
        return moved
    return render_template("afspraken/index.html", pagination=pagination, q=q, error=error, kind=kind,
                           state=state, counts=agreements.state_counts()), 400 if error else 200


@bp.get("/mijn-bond")
@allow("bondsspecialist")
def own():
    """A bondsspecialist's own bond (the first one they work for)."""
    bond = next((m.bond for m in current_user.memberships if m.role == "bondsspecialist" and m.bond), None)
    if bond is None:
        abort(404)
    return redirect(url_for("afspraken.bond", key=bond.key))


# ---------------------------------------------------------------- one bond

@bp.get("/<key>")
@allow(*READERS)
def bond(key):
    return _render_bond(key)


def _render_bond(key, *, reject_form=None, code=200):
    found = _load(agreements.bond_page, key, viewer=current_user)
    if not isinstance(found, agreements.AgreementPage):
        return found
    decision_form = DecisionForm(formdata=None, stamp=found.stamp)
    reject_form = reject_form or RejectForm(formdata=None, stamp=found.stamp)
    return render_template("afspraken/bond.html", page=found, decision_form=decision_form,
                           reject_form=reject_form), code


# ---------------------------------------------------------------- the lead proposes

@bp.get("/<key>/voorstel")
@allow("bondsspecialist")
def proposal(key):
    found = _load(agreements.for_proposal, key, actor=current_user)
    if not isinstance(found, agreements.AgreementPage):
        return found
    return _render_proposal(found, proposal_form(found.rows, from_request=False))


@bp.post("/<key>/voorstel")
@allow("bondsspecialist")
@submitted_once
def propose(key):
    found = _load(agreements.for_proposal, key, actor=current_user)
    if not isinstance(found, agreements.AgreementPage):
        return found
    form = proposal_form(found.rows, from_request=True)
    if not form.validate_on_submit():
        return _render_proposal(found, form, 400)
    try:
        agreements.propose(key, form.entries(request.form), actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_proposal(found, form, error.status_code)
    flash("Je voorstel is verstuurd. Het landelijk coördinatiepunt bevestigt het; tot dan blijft gelden wat nu "
          "geldt.", "success")
    return redirect(url_for("afspraken.bond", key=key))


def _render_proposal(found, form, code=200):
    return render_template("afspraken/proposal.html", page=found, form=form), code


# ---------------------------------------------------------------- the coördinatiepunt decides

@bp.post("/<key>/bevestigen")
@allow("coordinatiepunt")
def confirm(key):
    form = DecisionForm()
    if not form.validate_on_submit():
        return _refused(key, "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.", 400)
    try:
        agreements.confirm(key, actor=current_user, seen=form.stamp.data or None)
    except NotFound:
        abort(404)
    except DomainError as error:
        return _refused(key, error.message, error.status_code)
    flash("De afspraken zijn bevestigd. Nieuwe vragen gaan vanaf nu volgens deze afspraken; de coördinator van de "
          "bond krijgt bericht.", "success")
    return redirect(url_for("afspraken.bond", key=key))


@bp.post("/<key>/afwijzen")
@allow("coordinatiepunt")
def reject(key):
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_bond(key, reject_form=form, code=400)
    try:
        agreements.reject(key, form.reason.data, actor=current_user, seen=form.stamp.data or None)
    except NotFound:
        abort(404)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render_bond(key, reject_form=form, code=error.status_code)
    except DomainError as error:
        return _refused(key, error.message, error.status_code)
    flash("Het voorstel is afgewezen. Wat al gold, blijft gelden; de coördinator van de bond krijgt je reden te "
          "lezen.", "success")
    return redirect(url_for("afspraken.bond", key=key))


# ---------------------------------------------------------------- shared

def _load(loader, key, **kwargs):
    """The service's page, or the answer for a refusal: 404 for an unknown bond, the Dutch message otherwise."""
    try:
        return loader(key, **kwargs)
    except NotFound:
        abort(404)
    except DomainError as error:
        return render_template("errors/error.html", code=error.status_code, message=error.message), \
            error.status_code


def _refused(key, message, code):
    """A decision that could not be taken: the bond's page again, with the reason on top."""
    flash(message, "error")
    response = _render_bond(key)
    return (response[0], code) if isinstance(response, tuple) else response
