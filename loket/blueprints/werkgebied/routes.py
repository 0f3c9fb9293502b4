"""Views of the werkgebied area: a loket's club register (list, add a club, basiseisen, CSV import with
preview and progress) and, for a bond, the clubs with its sports and where their loket is."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.blueprints.werkgebied import bp
from loket.blueprints.werkgebied.forms import AddClubForm, BasiseisenForm, ConfirmForm, UploadForm
from loket.models import BASISEISEN
from loket.services.errors import DomainError, InvalidInput
from loket.services.ids import as_id
from loket.services.network import club_import, club_register, clubs, teams
from loket.services.network.clubs import BASISEIS_STATUS_LABELS, CLUB_KIND_LABELS

SUPPORTER = "clubondersteuner"
# While an import is stored its page reloads itself this often (no JavaScript needed); ?verversen=uit stops it.
REFRESH_SECONDS = 3


def _loket(slug=None):
    """The loket whose register this is: ?loket=<slug> (or the form's hidden field), else the supporter's first;
    404 for a loket they do not work at."""
    return or_404(club_register.chosen_loket, current_user,
                  slug if slug is not None else request.values.get("loket") or None)


def _args_for_loket(loket_id: int) -> dict:
    """The ?loket= to keep in links, only for someone who works at more than one loket (no query: the
    memberships are loaded with their loket)."""
    if len(current_user.loket_ids) < 2:
        return {}
    return {"loket": next(l.slug for l in teams.loketten_of(current_user) if l.id == loket_id)}


def _int_arg(name: str) -> int | None:
    return as_id(request.args.get(name))


# ---------------------------------------------------------------- the register

@bp.get("/clubs")
@allow(SUPPORTER)
def clubs_list():
    loket = _loket()
    filters = club_register.RegisterFilter(
        gemeente=request.args.get("gemeente") or None, kind=request.args.get("soort") or None,
        sport_id=_int_arg("sport"), basiseisen=request.args.get("basiseisen") or None,
        status=request.args.get("status") or "actief", search=request.args.get("zoek") or "").checked(loket)
    pagination = club_register.register(loket, filters, page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "werkgebied.clubs_list")) is not None:
        return moved
    return render_template(
        "werkgebied/clubs.html", loket=loket, loketten=teams.loketten_of(current_user), pagination=pagination,
        filters=filters, choices=club_register.register_choices(loket), kinds=CLUB_KIND_LABELS,
        basiseisen_filters=club_register.BASISEISEN_FILTERS, status_filters=club_register.STATUS_FILTERS,
        choice_args=_args_for_loket(loket.id))


# ---------------------------------------------------------------- adding a club

def _render_new(loket, form: AddClubForm, code: int = 200):
    form.loket.data = loket.slug
    form.gemeente.choices = {"": "— kies —", **{g.code: g.name for g in loket.gemeenten}}
    form.sports.choices = {str(s.id): s.name for s in clubs.sports_in_reading_order()}
    return render_template("werkgebied/new_club.html", loket=loket, form=form,
                           choice_args=_args_for_loket(loket.id)), code


@bp.get("/clubs/nieuw")
@allow(SUPPORTER)
def new_club():
    loket = _loket()
    form = AddClubForm(formdata=None)
    if len(loket.gemeenten) == 1:
        form.gemeente.data = loket.gemeenten[0].code
    return _render_new(loket, form)


@bp.post("/clubs/nieuw")
@allow(SUPPORTER)
@submitted_once
def add_club():
    loket = _loket()
    form = AddClubForm()
    if not form.validate_on_submit():
        return _render_new(loket, form, 400)
    try:
        club = club_register.add_club(
            loket, actor=current_user, name=form.name.data, kind=form.kind.data, gemeente_code=form.gemeente.data,
            sports=form.sports.data, kvk_number=form.kvk_number.data, contact=form.contact_data())
    except DomainError as error:
        attach_errors(form, error)
        return _render_new(loket, form, error.status_code)
    flash(f"‘{club.name}’ staat nu in het clubregister.", "success")
    return redirect(url_for("werkgebied.clubs_list", **_args_for_loket(loket.id)))


# ---------------------------------------------------------------- basiseisen

def _render_basiseisen(club, form: BasiseisenForm, code: int = 200):
    return render_template("werkgebied/basiseisen.html", club=club, form=form, basiseisen=BASISEISEN,
                           status_labels=BASISEIS_STATUS_LABELS,
                           loket_args=_args_for_loket(club.gemeente.loket_id)), code


@bp.get("/clubs/<int:club_id>/basiseisen")
@allow(SUPPORTER)
def basiseisen(club_id):
    club = or_404(club_register.club_for_register, current_user, club_id)
    return _render_basiseisen(club, BasiseisenForm.for_club(club))


@bp.post("/clubs/<int:club_id>/basiseisen")
@allow(SUPPORTER)
def update_basiseisen(club_id):
    club = or_404(club_register.club_for_register, current_user, club_id)
    form = BasiseisenForm()
    if not form.validate_on_submit():
        return _render_basiseisen(club, form, 400)
    try:
        club_register.update_basiseisen(club, actor=current_user, basiseisen=form.basiseisen_data())
    except DomainError as error:
        attach_errors(form, error)
        return _render_basiseisen(club, form, error.status_code)
    flash(f"De basiseisen van ‘{club.name}’ zijn opgeslagen.", "success")
    return redirect(url_for("werkgebied.clubs_list", **_args_for_loket(club.gemeente.loket_id)))


# ---------------------------------------------------------------- import

def _render_upload(loket, form: UploadForm, code: int = 200):
    form.loket.data = loket.slug
    return render_template("werkgebied/import.html", loket=loket, form=form,
                           imports=club_import.recent_imports(loket), max_rows=club_import.max_rows(),
                           choice_args=_args_for_loket(loket.id)), code


@bp.get("/import")
@allow(SUPPORTER)
def import_form():
    return _render_upload(_loket(), UploadForm(formdata=None))


@bp.post("/import")
@allow(SUPPORTER)
@submitted_once
def upload():
    loket = _loket()
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_upload(loket, form, 400)
    upload_file = form.file.data
    try:
        checked = club_import.preview(loket, actor=current_user, filename=upload_file.filename,
                                      stream=upload_file.stream)
    except DomainError as error:
        attach_errors(form, error)
        return _render_upload(loket, form, error.status_code)
    if checked.errors:  # the bad rows are bad input: show them at once, with what can still be imported
        return _render_import(checked, code=400)
    return redirect(url_for("werkgebied.import_detail", import_id=checked.id), 303)


def _render_import(club_import_row, *, form=None, code: int = 200):
    running = club_import_row.state in ("queued", "running")
    refresh = running and request.args.get("verversen") != "uit"
    return render_template(
        "werkgebied/import_detail.html", item=club_import_row, form=form or ConfirmForm(),
        percent=club_import.percent_done(club_import_row), refresh_seconds=REFRESH_SECONDS if refresh else None,
        running=running, preview_limit=200, kinds=CLUB_KIND_LABELS,
        loket_args=_args_for_loket(club_import_row.loket_id)), code


@bp.get("/import/<int:import_id>")
@allow(SUPPORTER)
def import_detail(import_id):
    item = or_404(club_import.get_import, current_user, import_id, with_rows=False)
    return _render_import(item)


@bp.post("/import/<int:import_id>/bevestigen")
@allow(SUPPORTER)
def confirm_import(import_id):
    item = or_404(club_import.get_import, current_user, import_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render_import(item, form=form, code=400)
    try:
        item = club_import.confirm(item, actor=current_user)
    except InvalidInput as error:
        attach_errors(form, error)
        return _render_import(item, form=form, code=error.status_code)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("werkgebied.import_detail", import_id=import_id))
    if item.state == "done":
        flash(f"Import klaar: {item.created_count} club{'' if item.created_count == 1 else 's'} toegevoegd, "
              f"{item.updated_count} bijgewerkt.", "success")
    return redirect(url_for("werkgebied.import_detail", import_id=import_id))


# ---------------------------------------------------------------- the bond's view

@bp.get("/bond/clubs")
@allow("bondsspecialist")
def bond_clubs():
    bond = or_404(club_register.chosen_bond, current_user, request.args.get("bond") or None)
    filters = club_register.BondFilter(search=request.args.get("zoek") or "", sport_id=_int_arg("sport")).checked(bond)
    pagination = club_register.bond_clubs(bond, filters, page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "werkgebied.bond_clubs")) is not None:
        return moved
    return render_template("werkgebied/bond_clubs.html", bond=bond, bonds=club_register.bonds_of(current_user), pagination=pagination,
                           filters=filters, sports_of=club_register.sports_of, kinds=CLUB_KIND_LABELS)

