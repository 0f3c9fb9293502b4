"""Beheer views of bonden: the list (search, aangesloten or not), adding a bond, editing one (names, aangesloten
and its date, sports) with its team and history."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import (
    ActionForm,
    AddSportForm,
    BondEditForm,
    BondForm,
)
from loket.blueprints.beheer.lists import moved, search_list
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.models import BOND_KIND_LABELS, BOND_KINDS
from loket.services.errors import DomainError
from loket.services.network import bonden as bonden_service
from loket.services.network import history

AANGESLOTEN_FILTER = {"ja": True, "nee": False}


@bp.route("/bonden")
@allow("beheer")
def bonden():
    aangesloten = request.args.get("aangesloten") if request.args.get("aangesloten") in AANGESLOTEN_FILTER else ""
    kind = request.args.get("soort") if request.args.get("soort") in BOND_KINDS else ""
    listing = search_list(bonden_service.list_bonden, aangesloten=AANGESLOTEN_FILTER.get(aangesloten),
                          kind=kind or None)
    return moved(listing, "beheer.bonden") or (
        render_template("beheer/bonden.html", listing=listing, aangesloten=aangesloten, kind=kind,
                        kind_labels=BOND_KIND_LABELS), listing.status)


def _sport_choices() -> dict[str, str]:
    return {str(sport.id): sport.name for sport in bonden_service.all_sports()}


def _render_new(form=None, code=200):
    form = form or BondForm()
    form.sports.choices = _sport_choices()
    return render_template("beheer/bond_new.html", form=form), code


@bp.route("/bonden/nieuw")
@allow("beheer")
def new_bond():
    return _render_new()


@bp.route("/bonden/nieuw", methods=["POST"])
@allow("beheer")
@submitted_once
def create_bond():
    form = BondForm()
    if not form.validate_on_submit():
        return _render_new(form, 400)
    try:
        bond = bonden_service.create_bond(key=form.key.data, abbreviation=form.abbreviation.data,
                                          name=form.name.data, sport_ids=form.sports.data,
                                          new_sports=form.new_sports.data, kind=form.kind.data,
                                          actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_new(form, error.status_code)
    flash(f"{bond.name} is toegevoegd. Sluit de bond aan zodra hij vragen kan beantwoorden.", "success")
    return redirect(url_for("beheer.bond", key=bond.key))


def _render_bond(bond, *, form=None, sport_form=None, code=200):
    form = form or BondEditForm(name=bond.name, abbreviation=bond.abbreviation, kind=bond.kind,
                                aangesloten=bond.aangesloten,
                                aangesloten_at=bond.aangesloten_at.isoformat() if bond.aangesloten_at else "")
    sport_form = sport_form or AddSportForm()
    held = {sport.id for sport in bond.sports}
    sport_form.sport.choices = {"": "Kies een sport", **{value: label for value, label in _sport_choices().items()
                                                         if int(value) not in held}}
    return render_template("beheer/bond.html", bond=bond, form=form, sport_form=sport_form,
                           changes=history.of_bond(bond.id)), code


@bp.route("/bonden/<key>")
@allow("beheer")
def bond(key):
    return _render_bond(or_404(bonden_service.get_bond, key))


@bp.route("/bonden/<key>", methods=["POST"])
@allow("beheer")
def update_bond(key):
    bond = or_404(bonden_service.get_bond, key)
    form = BondEditForm()
    if not form.validate_on_submit():
        return _render_bond(bond, form=form, code=400)
    try:
        bonden_service.update_bond(key, name=form.name.data, abbreviation=form.abbreviation.data,
                                   aangesloten=form.aangesloten.data, aangesloten_at=form.aangesloten_at.data,
                                   kind=form.kind.data, actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_bond(bond, form=form, code=error.status_code)
    flash("De gegevens van de bond zijn opgeslagen.", "success")
    return redirect(url_for("beheer.bond", key=key))


@bp.route("/bonden/<key>/sporten", methods=["POST"])
@allow("beheer")
@submitted_once
def add_bond_sport(key):
    bond = or_404(bonden_service.get_bond, key)
    form = AddSportForm()
    if not form.validate_on_submit():
        return _render_bond(bond, sport_form=form, code=400)
    try:
        sport = bonden_service.add_sport(key, sport_id=form.sport.data, new_sport=form.new_sport.data,
                                         actor=current_user)
    except DomainError as error:
        attach_errors(form, error)
        return _render_bond(bond, sport_form=form, code=error.status_code)
    flash(f"Sport ‘{sport.name}’ hoort nu bij {bond.name}.", "success")
    return redirect(url_for("beheer.bond", key=key))


@bp.route("/bonden/<key>/sporten/<int:sport_id>/verwijderen", methods=["POST"])
@allow("beheer")
def remove_bond_sport(key, sport_id):
    bond = or_404(bonden_service.get_bond, key)
    if not ActionForm().validate_on_submit():
        return _render_bond(bond, code=400)
    sport = or_404(bonden_service.remove_sport, key, sport_id, actor=current_user)
    flash(f"Sport ‘{sport.name}’ hoort niet meer bij {bond.name}.", "success")
    return redirect(url_for("beheer.bond", key=key))
