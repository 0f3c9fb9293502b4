"""Club views: the club's requests, filing a new one, reading and replying."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from config import REQUEST_TITLE_MAX
from loket.access import allow
from loket.blueprints.club import bp
from loket.blueprints.club.forms import ReplyForm, RequestForm, SatisfactionForm
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404, search_from_query_string
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.extensions import db
from loket.models import Club, Sport
from loket.services.errors import DomainError, Forbidden, InvalidInput, NotFound
from loket.services.network import offers as offers_service
from loket.services.network import registrations as registrations_service
from loket.services.requests import actions, attachments, categories, queues, request_search, teamwork
from loket.services.requests import filing as filing_service
from loket.services.requests import merging
from loket.services.requests.merging import LOOK_ALIKE_TEXT_MAX
from loket.services.requests import satisfaction as satisfaction_service


def _fill_choices(form: RequestForm) -> list[Club]:
    """The clubs the user may file for: those the loket approved (an aangemeld club waits, see filing). The
    categories offered are kept on the form (`form.category_guide`) for the "which category" help."""
    clubs = sorted((m.club for m in current_user.memberships if m.role == "club" and m.club.status == "actief"),
                   key=lambda c: c.name)
    form.club.choices = {str(c.id): c.name for c in clubs}
    form.category_guide = categories.available_categories()
    form.category.choices = {"": "— kies een categorie —", **{
        str(c.id): c.name + (" (sportspecifiek)" if c.is_sport_specific else "") for c in form.category_guide}}
    sports = {s for club in clubs for s in club.sports} or set(db.session.scalars(db.select(Sport)))
    form.sport.choices = {"": "— geen / niet van toepassing —", **{
        str(s.id): s.name for s in sorted(sports, key=lambda s: s.name)}}
    return clubs


@bp.route("/aanvragen")
@allow("club")
def requests_list():
    typed, search, search_error = search_from_query_string()
    if (found := teamwork.request_with_reference(current_user, search, as_club=True)) is not None:
        return redirect(url_for("club.detail", request_id=found))
    pagination = queues.club_requests(current_user, page=requested_page(), search=search)
    if (moved := redirect_to_existing_page(pagination, "club.requests_list")) is not None:
        return moved
    waiting = registrations_service.status_of_own_clubs(current_user)
    # People asking to join one of our (active) clubs: the club's contacts decide, like the loket.
    joins = registrations_service.pending_for(current_user) if _has_active_club() else None
    highlights = request_search.highlighted(search, pagination.items, include_internal=False) if search else {}
    return render_template("club/list.html", pagination=pagination, waiting=waiting, joins=joins,
                           can_file=_has_active_club(), typed=typed, search=search,
                           search_error=search_error, highlights=highlights), 400 if search_error else 200


def _has_active_club() -> bool:
    return any(m.role == "club" and m.club.status == "actief" for m in current_user.memberships)


@bp.route("/aanvragen/lijkt-op")
@allow("club")
def look_alikes():
    """The "Bedoel je deze vraag?" fragment for the new-request form: the club's open requests that look like
    the typed title and description (an empty fragment when none do, or the club is not the contact's)."""
    return render_template("club/_look_alikes.html", alikes=merging.look_alikes(
        current_user, request.args.get("club"), (request.args.get("titel") or "")[:REQUEST_TITLE_MAX],
        (request.args.get("beschrijving") or "")[:LOOK_ALIKE_TEXT_MAX]))


@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
@allow("club")
@submitted_once
def new_request():
    form = RequestForm()
    clubs = _fill_choices(form)
    if not clubs:  # every club of this contact still waits for the loket (or was turned down): nothing to file
        return render_template("club/new.html", form=None, clubs=[],
                               waiting=registrations_service.status_of_own_clubs(current_user)), \
            (403 if request.method == "POST" else 200)
    if request.method == "GET" and len(clubs) == 1:
        form.club.data = str(clubs[0].id)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            file = attachments.checked_upload(form.attachment.data)  # checked before anything is written
            filed = filing_service.create_request(
                actor=current_user, club_id=form.club.data, category_id=form.category.data,
                sport_id=form.sport.data, title=form.title.data, description=form.description.data,
            )
            if file is not None:  # in the filing's transaction (this view holds its commit)
                attachments.add(filed, file, actor=current_user, internal=False)
        except NotFound:
            abort(404)
        except Forbidden as error:
            attach_errors(form, error)
            return render_template("club/new.html", form=form, clubs=clubs), 403
        except DomainError as error:
            attach_errors(form, error)
            status = error.status_code if error.status_code in (413, 415) else 400
        else:
            return redirect(url_for("club.confirmation", request_id=filed.id))
    # Shown again after a mistake: the open requests that look like it, also without JavaScript.
    alikes = merging.look_alikes(current_user, form.club.data, form.title.data, form.description.data) \
        if form.is_submitted() else []
    return render_template("club/new.html", form=form, clubs=clubs, alikes=alikes), status


@bp.route("/aanvragen/<int:request_id>/ontvangen")
@allow("club")
def confirmation(request_id):
    support_request = or_404(queues.get_request_for_club_contact, current_user, request_id)
    offers = offers_service.suggest_offers(support_request.category_id,
                                           offers_service.suggestion_team_ids(support_request.club))
    return render_template("club/confirmation.html", req=support_request, offers=offers)


@bp.route("/aanvragen/<int:request_id>")
@allow("club")
def detail(request_id, form=None, status=200, satisfaction_form=None):
    support_request = or_404(queues.get_request_for_club_contact, current_user, request_id)
    events = queues.timeline(support_request, include_internal=False)
    files = attachments.by_event(attachments.visible(support_request, include_internal=False))
    return render_template("club/detail.html", req=support_request, events=events, files=files,
                           form=form or ReplyForm(), satisfaction_form=satisfaction_form or SatisfactionForm(),
                           can_rate=satisfaction_service.can_give_satisfaction(support_request),
                           can_reply=actions.accepts_messages(support_request)), status


@bp.route("/aanvragen/<int:request_id>/reactie", methods=["POST"])
@allow("club")
@submitted_once
def reply(request_id):
    support_request = or_404(queues.get_request_for_club_contact, current_user, request_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            attachments.club_message(support_request, actor=current_user, body=form.body.data,
                                     upload=form.attachment.data)
        except DomainError as error:
            attach_errors(form, error)
            return detail(request_id, form=form, status=error.status_code)
        flash("Je reactie is verstuurd.", "success")
        return redirect(url_for("club.detail", request_id=request_id, _anchor="tijdlijn"))
    return detail(request_id, form=form, status=400)


@bp.route("/aanvragen/<int:request_id>/tevredenheid", methods=["POST"])
@allow("club")
def satisfaction(request_id):
    support_request = or_404(queues.get_request_for_club_contact, current_user, request_id)
    form = SatisfactionForm()
    form.validate_on_submit()  # structure and CSRF only; the service judges score and comment
    try:
        satisfaction_service.give_satisfaction(support_request, current_user, form.score.data, form.comment.data)
    except InvalidInput as error:
        attach_errors(form, error)
        return detail(request_id, satisfaction_form=form, status=error.status_code)
    except DomainError as error:  # already rated, not resolved yet: said above the page
        flash(error.message, "error")
        return detail(request_id, status=error.status_code)
    flash("Dank je wel! Je oordeel helpt het loket om de hulp aan clubs te verbeteren.", "success")
    return redirect(url_for("club.detail", request_id=request_id, _anchor="tevredenheid"))
