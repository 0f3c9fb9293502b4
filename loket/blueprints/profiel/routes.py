"""Club profile views: view and edit the profile, add, change and remove contact persons."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.profiel import bp
from loket.blueprints.profiel.forms import (
    ActionForm,
    ContactForm,
    EditContactForm,
    ProfileForm,
)
from loket.models import BASISEISEN
from loket.services.errors import DomainError
from loket.services.network import clubs as clubs_service
from loket.services.network.clubs import BASISEIS_STATUS_LABELS

EDITORS = ("club", "clubondersteuner")


@bp.app_template_global("may_edit_club")
def may_edit_club(club) -> bool:
    """For templates (the club_summary macro): may the current user edit this club's profile?"""
    return clubs_service.can_edit_club(current_user, club)


@bp.app_template_global("needs_second_contact")
def needs_second_contact(club) -> bool:
    return clubs_service.needs_second_contact(club)


def _render(club, *, form=None, contact_error=None, code=200):
    form = form or ProfileForm.for_club(club)
    form.sports.choices = {str(s.id): s.name for s in clubs_service.sports_in_reading_order()}
    return render_template("profiel/show.html", club=club, form=form, basiseisen=BASISEISEN,
                           status_labels=BASISEIS_STATUS_LABELS, contact_error=contact_error), code


@bp.route("/<int:club_id>/profiel")
@allow(*EDITORS)
def show(club_id):
    return _render(or_404(clubs_service.get_club_for_editor, current_user, club_id))


@bp.route("/<int:club_id>/profiel", methods=["POST"])
@allow(*EDITORS)
def update(club_id):
    club = or_404(clubs_service.get_club_for_editor, current_user, club_id)
    form = ProfileForm()
    if not form.validate_on_submit():
        return _render(club, form=form, code=400)
    try:
        clubs_service.update_club_profile(
            club, actor=current_user, name=form.name.data, kind=form.kind.data, kvk_number=form.kvk_number.data,
            sport_ids=form.sports.data, basiseisen=form.basiseisen_data(),
        )
    except DomainError as error:
        attach_errors(form, error)
        return _render(club, form=form, code=error.status_code)
    flash("Het clubprofiel is opgeslagen.", "success")
    return redirect(url_for("profiel.show", club_id=club.id))


def _render_contact(club, form, contact=None, code=200):
    return render_template("profiel/contact_form.html", club=club, contact=contact, form=form), code


@bp.route("/<int:club_id>/contactpersonen/nieuw")
@allow(*EDITORS)
def new_contact(club_id):
    return _render_contact(or_404(clubs_service.get_club_for_editor, current_user, club_id), ContactForm())


@bp.route("/<int:club_id>/contactpersonen", methods=["POST"])
@allow(*EDITORS)
@submitted_once
def add_contact(club_id):
    club = or_404(clubs_service.get_club_for_editor, current_user, club_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _render_contact(club, form, code=400)
    try:
        contact = clubs_service.add_contact(club, actor=current_user, **_contact_fields(form))
    except DomainError as error:
        attach_errors(form, error)
        return _render_contact(club, form, code=error.status_code)
    flash(f"{contact.name} is toegevoegd als contactpersoon.", "success")
    return redirect(url_for("profiel.show", club_id=club.id, _anchor="contactpersonen"))


@bp.route("/<int:club_id>/contactpersonen/<int:contact_id>")
@allow(*EDITORS)
def edit_contact(club_id, contact_id):
    club = or_404(clubs_service.get_club_for_editor, current_user, club_id)
    contact = or_404(clubs_service.get_contact, club, contact_id)
    return _render_contact(club, EditContactForm(obj=contact), contact)


@bp.route("/<int:club_id>/contactpersonen/<int:contact_id>", methods=["POST"])
@allow(*EDITORS)
def update_contact(club_id, contact_id):
    club = or_404(clubs_service.get_club_for_editor, current_user, club_id)
    contact = or_404(clubs_service.get_contact, club, contact_id)
    form = EditContactForm()
    if not form.validate_on_submit():
        return _render_contact(club, form, contact, 400)
    try:
        clubs_service.update_contact(club, contact.id, actor=current_user, **_contact_fields(form))
    except DomainError as error:
        attach_errors(form, error)
        return _render_contact(club, form, contact, error.status_code)
    flash("De contactpersoon is bijgewerkt.", "success")
    return redirect(url_for("profiel.show", club_id=club.id, _anchor="contactpersonen"))


@bp.route("/<int:club_id>/contactpersonen/<int:contact_id>/verwijderen", methods=["POST"])
@allow(*EDITORS)
def remove_contact(club_id, contact_id):
    club = or_404(clubs_service.get_club_for_editor, current_user, club_id)
    contact = or_404(clubs_service.get_contact, club, contact_id)
    if not ActionForm().validate_on_submit():
        return _render(club, code=400)
    name = contact.name
    try:
        clubs_service.remove_contact(club, contact.id, actor=current_user)
    except DomainError as error:
        return _render(club, contact_error=error.message, code=error.status_code)
    flash(f"{name} is geen contactpersoon meer.", "success")
    return redirect(url_for("profiel.show", club_id=club.id, _anchor="contactpersonen"))


def _contact_fields(form) -> dict:
    return {"name": form.name.data, "email": form.email.data, "phone": form.phone.data,
            "function": form.function.data}
