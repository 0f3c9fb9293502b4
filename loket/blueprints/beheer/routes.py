"""Beheer views: the index of beheer's areas, request categories (list, add, rename, (de)activate) and the outbox of
mails and jobs. Bonden and users have modules of their own beside this one."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.beheer import bp
from loket.blueprints.beheer.forms import ActionForm, CategoryForm, RenameCategoryForm
from loket.blueprints.beheer.lists import moved, search_list
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.models import OUTBOX_STATUSES
from loket.services.errors import DomainError
from loket.services.messaging import outbox_admin
from loket.services.network import history
from loket.services.requests import categories as categories_service

@bp.context_processor
def beheer_context():
    links = {page: url_for(f"netwerk.{page}") for page in ("loketten", "gemeenten")}
    return {"netwerk_links": links, "history_fields": history.FIELD_LABELS, "history_values": history.VALUE_LABELS}


@bp.route("/")
@allow("beheer")
def index():
    return render_template("beheer/index.html")


def _render_list(form=None, code=200, listing=None):
    listing = listing or search_list(categories_service.search_categories)
    return render_template("beheer/categories.html", listing=listing,
                           form=form or CategoryForm()), max(code, listing.status)


@bp.route("/categorieen")
@allow("beheer")
def categories():
    listing = search_list(categories_service.search_categories)
    return moved(listing, "beheer.categories") or _render_list(listing=listing)


@bp.route("/categorieen", methods=["POST"])
@allow("beheer")
@submitted_once
def create_category():
    form = CategoryForm()
    if not form.validate_on_submit():
        return _render_list(form, 400)
    try:
        category = categories_service.create_category(form.name.data, form.scope.data, form.slug.data or None)
    except DomainError as error:
        attach_errors(form, error)
        return _render_list(form, error.status_code)
    flash(f"Categorie ‘{category.name}’ toegevoegd.", "success")
    return redirect(url_for("beheer.categories"))


def _render_edit(category, form=None, code=200):
    return render_template("beheer/category_edit.html", category=category,
                           form=form or RenameCategoryForm(name=category.name,
                                                          description=category.description)), code


@bp.route("/categorieen/<int:category_id>")
@allow("beheer")
def edit_category(category_id):
    return _render_edit(or_404(categories_service.get_category, category_id))


@bp.route("/categorieen/<int:category_id>", methods=["POST"])
@allow("beheer")
def rename_category(category_id):
    category = or_404(categories_service.get_category, category_id)
    form = RenameCategoryForm()
    if not form.validate_on_submit():
        return _render_edit(category, form, 400)
    try:
        categories_service.rename_category(category.id, form.name.data, description=form.description.data)
    except DomainError as error:
        attach_errors(form, error)
        return _render_edit(category, form, error.status_code)
    flash(f"Categorie ‘{category.name}’ opgeslagen.", "success")
    return redirect(url_for("beheer.categories"))


@bp.route("/categorieen/<int:category_id>/activeren", methods=["POST"])
@allow("beheer")
def activate_category(category_id):
    return _set_active(category_id, True, "Categorie ‘{}’ is weer te kiezen.")


@bp.route("/categorieen/<int:category_id>/deactiveren", methods=["POST"])
@allow("beheer")
def deactivate_category(category_id):
    return _set_active(category_id, False, "Categorie ‘{}’ is niet meer te kiezen; bestaande aanvragen houden haar.")


def _set_active(category_id, active, message):
    category = or_404(categories_service.get_category, category_id)
    if not ActionForm().validate_on_submit():
        return _render_list(code=400)
    try:
        categories_service.set_category_active(category.id, active)
    except DomainError as error:
        flash(error.message, "error")
        return _render_list(code=error.status_code)
    flash(message.format(category.name), "success")
    return redirect(url_for("beheer.categories"))


@bp.route("/uitgaand")
@allow("beheer")
def outbox(code=200):
    status = request.args.get("status") if request.args.get("status") in OUTBOX_STATUSES else None
    listing = search_list(outbox_admin.list_outbox, status=status)
    if code == 200 and (elsewhere := moved(listing, "beheer.outbox")) is not None:
        return elsewhere
    return render_template("beheer/outbox.html", listing=listing, pagination=listing.pagination, status=status,
                           status_labels=outbox_admin.STATUS_LABELS, kind_label=outbox_admin.kind_label,
                           preview=outbox_admin.mail_preview_enabled()), max(code, listing.status)


@bp.route("/uitgaand/<int:outbox_id>/mail")
@allow("beheer")
def outbox_mail(outbox_id):
    row, mail = or_404(outbox_admin.preview_mail, outbox_id)
    return render_template("beheer/outbox_mail.html", row=row, mail=mail)


@bp.route("/uitgaand/<int:outbox_id>/opnieuw", methods=["POST"])
@allow("beheer")
def retry_outbox(outbox_id):
    or_404(outbox_admin.get_outbox_message, outbox_id)
    if not ActionForm().validate_on_submit():
        return outbox(400)
    try:
        outbox_admin.retry_failed(outbox_id, actor=current_user)
    except DomainError as error:
        flash(error.message, "error")
        return outbox(error.status_code)
    status = outbox_admin.get_outbox_message(outbox_id).status
    flash(f"Bericht {outbox_id} is opnieuw aangeboden; status nu: {outbox_admin.STATUS_LABELS[status].lower()}.",
          "success")
    return redirect(url_for("beheer.outbox"))
