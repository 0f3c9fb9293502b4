"""Beheer views of landelijke initiatieven: the list (search), adding one, editing one (name, description, email,
website) with its team and history. Beheer invites the initiative's coördinator on the team page, as for a bond."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import InitiativeEditForm, InitiativeForm
from loket.blueprints.beheer.lists import moved, search_list
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.services.errors import DomainError
from loket.services.network import history
from loket.services.network import initiatives as initiatives_service


@bp.get("/initiatieven")
@allow("beheer")
def initiatives():
    listing = search_list(initiatives_service.list_initiatives)
    sizes = initiatives_service.team_sizes(i.id for i in listing.pagination.items) if listing.pagination else {}
    return moved(listing, "beheer.initiatives") or (
        render_template("beheer/initiatieven.html", listing=listing, sizes=sizes), listing.status)


def _render_new(form=None, code=200):
    return render_template("beheer/initiatief_new.html", form=form or InitiativeForm()), code


@bp.get("/initiatieven/nieuw")
@allow("beheer")
def new_initiative():
    return _render_new()


@bp.post("/initiatieven/nieuw")
@allow("beheer")
@submitted_once
def create_initiative():
    form = InitiativeForm()
    if not form.validate_on_submit():
        return _render_new(form, 400)
    try:
        initiative = initiatives_service.create_initiative(
            key=form.key.data, name=form.name.data, description=form.description.data, email=form.email.data,
            url=form.url.data, actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_new(form, error.status_code)
    flash(f"{initiative.name} is toegevoegd, met een eigen team. Nodig op de teampagina de coördinator uit.",
          "success")
    return redirect(url_for("beheer.initiative", key=initiative.key))


def _render_initiative(initiative, form=None, code=200):
    form = form or InitiativeEditForm(name=initiative.name, description=initiative.description or "",
                                      email=initiative.email or "", url=initiative.url or "")
    return render_template("beheer/initiatief.html", initiative=initiative, form=form,
                           size=initiatives_service.team_sizes([initiative.id]).get(initiative.id, (0, 0)),
                           changes=history.of_initiative(initiative.id)), code


@bp.get("/initiatieven/<key>")
@allow("beheer")
def initiative(key):
    return _render_initiative(or_404(initiatives_service.get_initiative, key))


@bp.post("/initiatieven/<key>")
@allow("beheer")
def update_initiative(key):
    initiative = or_404(initiatives_service.get_initiative, key)
    form = InitiativeEditForm()
    if not form.validate_on_submit():
        return _render_initiative(initiative, form, 400)
    try:
        initiatives_service.update_initiative(key, name=form.name.data, description=form.description.data,
                                              email=form.email.data, url=form.url.data, actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_initiative(initiative, form, error.status_code)
    flash("De gegevens van het landelijk initiatief zijn opgeslagen.", "success")
    return redirect(url_for("beheer.initiative", key=key))
