"""Beheer views of users: the list (search by name or address, filter by role), and a user's page (memberships
with their teams, adding and removing a role, switching the account off or on, history)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import (
    ActionForm,
    DeactivateForm,
    MembershipForm,
    NewUserForm,
)
from loket.blueprints.beheer.lists import moved, search_list
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.models import ROLE_LABELS
from loket.services.errors import DomainError
from loket.services.network import history, user_admin
from loket.services.network import users as users_service


@bp.route("/gebruikers")
@allow("beheer")
def users():
    role = request.args.get("rol", "")
    listing = search_list(users_service.search_users, role=role)
    return moved(listing, "beheer.users") or (
        render_template("beheer/users.html", listing=listing, role=role, role_labels=ROLE_LABELS), listing.status)


def _with_organisations(form):
    choices = users_service.organisation_choices()
    form.loket.choices = {"": "Geen loket", **dict(choices.loketten)}
    form.bond.choices = {"": "Geen bond", **dict(choices.bonden)}
    form.initiative.choices = {"": "Geen landelijk initiatief", **dict(choices.initiatives)}
    form.gemeente.choices = {"": "Geen gemeente", **dict(choices.gemeenten)}
    form.region.choices = {"": "Geen regio", **dict(choices.regions)}
    return form


def _spec(form) -> users_service.MembershipSpec:
    return users_service.MembershipSpec(role=form.role.data, club=form.club.data or None,
                                        loket=form.loket.data or None, bond=form.bond.data or None,
                                        initiative=form.initiative.data or None, gemeente=form.gemeente.data or None,
                                        region=form.region.data or None, team_lead=form.team_lead.data)


def _render_new_user(form, code=200):
    return render_template("beheer/user_new.html", form=_with_organisations(form)), code


@bp.route("/gebruikers/nieuw")
@allow("beheer")
def new_user():
    return _render_new_user(NewUserForm())


@bp.route("/gebruikers/nieuw", methods=["POST"])
@allow("beheer")
@submitted_once
def create_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        return _render_new_user(form, 400)
    try:
        person = user_admin.create_account(actor=current_user, email=form.email.data, name=form.name.data,
                                           membership=_spec(form))
    except DomainError as error:
        attach_errors(form, error)
        return _render_new_user(form, error.status_code)
    flash(f"Account voor {person.name} gemaakt; {person.email} krijgt een mail om een wachtwoord te kiezen.",
          "success")
    return redirect(url_for("beheer.user", user_id=person.id))


def _render_user(user, *, form=None, deactivate_form=None, code=200):
    form = _with_organisations(form or MembershipForm())
    return render_template("beheer/user.html", user=user, form=form,
                           deactivate_form=deactivate_form or DeactivateForm(),
                           changes=history.of_user(user.id), is_self=user.id == current_user.id), code


@bp.route("/gebruikers/<int:user_id>")
@allow("beheer")
def user(user_id):
    return _render_user(or_404(users_service.get_user, user_id))


@bp.route("/gebruikers/<int:user_id>/rollen", methods=["POST"])
@allow("beheer")
@submitted_once
def add_membership(user_id):
    person = or_404(users_service.get_user, user_id)
    form = MembershipForm()
    if not form.validate_on_submit():
        return _render_user(person, form=form, code=400)
    try:
        membership = users_service.add_membership(person, _spec(form), actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_user(person, form=form, code=error.status_code)
    flash(f"{person.name} is nu {membership.label}.", "success")
    return redirect(url_for("beheer.user", user_id=person.id))


@bp.route("/gebruikers/<int:user_id>/rollen/<int:membership_id>/verwijderen", methods=["POST"])
@allow("beheer")
def remove_membership(user_id, membership_id):
    person = or_404(users_service.get_user, user_id)
    if not ActionForm().validate_on_submit():
        return _render_user(person, code=400)
    try:
        membership = or_404(users_service.remove_membership, person, membership_id, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return _render_user(person, code=error.status_code)
    flash(f"{person.name} is geen {membership.label} meer.", "success")
    return redirect(url_for("beheer.user", user_id=person.id))


@bp.route("/gebruikers/<int:user_id>/uitzetten", methods=["POST"])
@allow("beheer")
def deactivate_user(user_id):
    person = or_404(users_service.get_user, user_id)
    form = DeactivateForm()
    if not form.validate_on_submit():
        return _render_user(person, deactivate_form=form, code=400)
    try:
        user_admin.deactivate_user(person, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        attach_errors(form, error)
        return _render_user(person, deactivate_form=form, code=error.status_code)
    flash(f"Het account van {person.name} staat uit. Alle sessies en API-tokens zijn beëindigd.", "success")
    return redirect(url_for("beheer.user", user_id=person.id))


@bp.route("/gebruikers/<int:user_id>/aanzetten", methods=["POST"])
@allow("beheer")
def reactivate_user(user_id):
    person = or_404(users_service.get_user, user_id)
    if not ActionForm().validate_on_submit():
        return _render_user(person, code=400)
    user_admin.reactivate_user(person, actor=current_user)
    flash(f"Het account van {person.name} staat weer aan; {person.name} kan opnieuw inloggen.", "success")
    return redirect(url_for("beheer.user", user_id=person.id))
