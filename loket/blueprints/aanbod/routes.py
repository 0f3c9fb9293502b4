"""Offer catalogue views: read the catalogue; manage the own team's offers."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import ANY_USER, SUPPORTERS, allow
from loket.blueprints.aanbod import bp
from loket.blueprints.aanbod.forms import ActionForm, EditOfferForm, OfferForm
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.services.errors import DomainError
from loket.services.ids import as_id
from loket.services.network import offers as offers_service


@bp.route("/")
@allow(ANY_USER)
def catalogue():
    category_id = request.args.get("categorie", type=as_id)
    pagination = offers_service.catalogue(category_id=category_id, page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "aanbod.catalogue")) is not None:
        return moved
    return render_template("aanbod/catalogue.html", pagination=pagination, category_id=category_id,
                           categories=offers_service.offer_category_choices())


@bp.route("/team")
@allow(*SUPPORTERS)
def my_teams():
    teams = offers_service.managed_teams(current_user)
    if len(teams) == 1:
        return redirect(url_for("aanbod.team", team_id=teams[0].id))
    return render_template("aanbod/teams.html", teams=teams)


def _render_team(team, form=None, code=200):
    form = form or OfferForm(formdata=None)
    form.fill_categories(offers_service.offer_category_choices())
    return render_template("aanbod/team.html", team=team, form=form,
                           offers=offers_service.list_offers(team.id)), code


@bp.route("/team/<int:team_id>")
@allow(*SUPPORTERS)
def team(team_id):
    return _render_team(or_404(offers_service.get_team_for_manager, current_user, team_id))


@bp.route("/team/<int:team_id>", methods=["POST"])
@allow(*SUPPORTERS)
@submitted_once
def create(team_id):
    team = or_404(offers_service.get_team_for_manager, current_user, team_id)
    form = OfferForm()
    if not form.validate_on_submit():
        return _render_team(team, form, 400)
    try:
        offer = offers_service.create_offer(actor=current_user, team_id=team.id, **_offer_fields(form))
    except DomainError as error:
        attach_errors(form, error)
        return _render_team(team, form, error.status_code)
    flash(f"Aanbod ‘{offer.title}’ toegevoegd.", "success")
    return redirect(url_for("aanbod.team", team_id=team.id))


def _render_edit(offer, form=None, code=200):
    form = form or EditOfferForm(formdata=None, data={
        "title": offer.title, "description": offer.description, "contact": offer.contact or "",
        "categories": [str(c.id) for c in offer.categories]})
    form.fill_categories(offers_service.offer_category_choices(offer))
    return render_template("aanbod/edit.html", offer=offer, form=form), code


@bp.route("/<int:offer_id>/bewerken")
@allow(*SUPPORTERS)
def edit(offer_id):
    return _render_edit(or_404(offers_service.get_offer_for_manager, current_user, offer_id))


@bp.route("/<int:offer_id>/bewerken", methods=["POST"])
@allow(*SUPPORTERS)
def update(offer_id):
    offer = or_404(offers_service.get_offer_for_manager, current_user, offer_id)
    form = EditOfferForm()
    if not form.validate_on_submit():
        return _render_edit(offer, form, 400)
    try:
        offers_service.update_offer(offer, actor=current_user, **_offer_fields(form))
    except DomainError as error:
        attach_errors(form, error)
        return _render_edit(offer, form, error.status_code)
    flash("Het aanbod is bijgewerkt.", "success")
    return redirect(url_for("aanbod.team", team_id=offer.team_id))


@bp.route("/<int:offer_id>/activeren", methods=["POST"])
@allow(*SUPPORTERS)
def activate(offer_id):
    return _set_active(offer_id, True, "Aanbod ‘{}’ staat weer in de catalogus.")


@bp.route("/<int:offer_id>/deactiveren", methods=["POST"])
@allow(*SUPPORTERS)
def deactivate(offer_id):
    return _set_active(offer_id, False, "Aanbod ‘{}’ is uit de catalogus gehaald.")


def _set_active(offer_id, active, message):
    offer = or_404(offers_service.get_offer_for_manager, current_user, offer_id)
    if not ActionForm().validate_on_submit():
        return _render_team(offer.team, code=400)
    offers_service.set_offer_active(offer, active, actor=current_user)
    flash(message.format(offer.title), "success")
    return redirect(url_for("aanbod.team", team_id=offer.team_id))


def _offer_fields(form) -> dict:
    return {"title": form.title.data, "description": form.description.data, "contact": form.contact.data,
            "category_ids": form.categories.data}
