"""Queue views: the team's queue with filters, a request's full timeline, and the actions on it."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import SUPPORTERS, allow
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.queue import bp
from loket.blueprints.queue.forms import ActionForm, MessageForm, StatusForm
from loket.models import STATUS_LABELS
from loket.models.base import utcnow
from loket.services import requests as requests_service
from loket.services import workflow
from loket.services.errors import DomainError


@bp.route("/")
@allow(*SUPPORTERS)
def index():
    filters = requests_service.QueueFilter(
        status=request.args.get("status") or None,
        category_id=request.args.get("categorie", type=int),
        assignee=request.args.get("behandelaar") or None,
    )
    pagination = requests_service.queue(current_user, filters, page=request.args.get("pagina", 1, type=int))
    team_ids = requests_service.team_ids_of(current_user)
    return render_template(
        "queue/index.html", pagination=pagination, filters=filters, now=utcnow(),
        categories=requests_service.available_categories(), colleagues=requests_service.team_members(team_ids),
        statuses=STATUS_LABELS, workflow=workflow,
    )


def _render_detail(support_request, *, message_form=None, status_form=None, code=200):
    status_form = status_form or StatusForm(version=support_request.version)
    status_form.status.choices = [(s, STATUS_LABELS[s]) for s in workflow.allowed_next_statuses(support_request)]
    return render_template(
        "queue/detail.html", req=support_request, now=utcnow(), workflow=workflow,
        events=requests_service.timeline(support_request, include_internal=True),
        message_form=message_form or MessageForm(), status_form=status_form, action_form=ActionForm(),
    ), code


@bp.route("/<int:request_id>")
@allow(*SUPPORTERS)
def detail(request_id):
    return _render_detail(or_404(requests_service.get_request_for_supporter, current_user, request_id))


@bp.route("/<int:request_id>/bericht", methods=["POST"])
@allow(*SUPPORTERS)
def message(request_id):
    support_request = or_404(requests_service.get_request_for_supporter, current_user, request_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _render_detail(support_request, message_form=form, code=400)
    try:
        requests_service.add_message(support_request, actor=current_user, body=form.body.data,
                                     internal=form.internal.data, as_supporter=True)
    except DomainError as error:
        attach_errors(form, error)
        return _render_detail(support_request, message_form=form, code=error.status_code)
    flash("Interne notitie opgeslagen." if form.internal.data else "Reactie naar de club verstuurd.", "success")
    return redirect(url_for("queue.detail", request_id=request_id, _anchor="tijdlijn"))


@bp.route("/<int:request_id>/status", methods=["POST"])
@allow(*SUPPORTERS)
def change_status(request_id):
    support_request = or_404(requests_service.get_request_for_supporter, current_user, request_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_detail(support_request, status_form=form, code=400)
    try:
        requests_service.change_status(support_request, form.status.data, actor=current_user,
                                       expected_version=int(form.version.data) if form.version.data else None)
    except DomainError as error:
        attach_errors(form, error)
        return _render_detail(support_request, status_form=form, code=error.status_code)
    flash(f"Status gewijzigd naar ‘{STATUS_LABELS[form.status.data]}’.", "success")
    return redirect(url_for("queue.detail", request_id=request_id))


@bp.route("/<int:request_id>/oppakken", methods=["POST"])
@allow(*SUPPORTERS)
def claim(request_id):
    return _assignment_action(request_id, requests_service.claim, "Je hebt deze aanvraag opgepakt.")


@bp.route("/<int:request_id>/teruggeven", methods=["POST"])
@allow(*SUPPORTERS)
def unclaim(request_id):
    return _assignment_action(request_id, requests_service.unclaim, "Je hebt deze aanvraag teruggegeven aan het team.")


def _assignment_action(request_id, action, success_message):
    support_request = or_404(requests_service.get_request_for_supporter, current_user, request_id)
    if not ActionForm().validate_on_submit():
        return _render_detail(support_request, code=400)
    try:
        action(support_request, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return _render_detail(support_request, code=error.status_code)
    flash(success_message, "success")
    return redirect(url_for("queue.detail", request_id=request_id))
