"""Queue views: the team's queues, a request's full timeline, and the actions on it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.widgets import Select, html_params

from loket.access import SUPPORTERS, allow
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors, or_404, search_from_query_string
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.blueprints.queue import bp
from loket.blueprints.queue.forms import (
    NEW_CONTACT,
    ActionForm,
    AssignForm,
    BulkForm,
    MergeForm,
    ContactMomentForm,
    DeclineForm,
    EndInvitationForm,
    FileForClubForm,
    InviteForm,
    MessageForm,
    NoteForm,
    ReferralForm,
    ReplyForm,
    SaveViewForm,
    StatusForm,
)
from loket.models import STATUS_LABELS
from loket.models.base import utcnow
from loket.services.errors import DomainError, InvalidInput, NotFound
from loket.services.ids import as_id
from loket.services.network import clubs as clubs_service
from loket.services.network import offers as offers_service
from loket.services.network import registrations as registrations_service
from loket.services.network import teams
from loket.services.requests import actions, teamwork, workflow
from loket.services.requests import attachments
from loket.services.requests import canned_replies, mentions
from loket.services.requests import categories as categories_service
from loket.services.requests import filing as filing_service
from loket.services.requests import queues as queues_service
from loket.services.requests import bulk as bulk_service
from loket.services.requests import merging
from loket.services.requests import request_search, saved_views
from loket.services.search import search_text


@bp.route("/")
@allow(*SUPPORTERS)
def index():
    typed, filters, search_error = _filters_from(request.args)
    if (found := teamwork.request_with_reference(current_user, filters.search, as_club=False)) is not None:
        return redirect(url_for("queue.detail", request_id=found))
    return _render_queue(typed, filters, search_error=search_error)


def _filters_from(values):
    """(what was typed in the search box, the QueueFilter, the search box's Dutch error) from the queue's query
    string — or from the hidden fields of the form that saves it as a view, which carry the same names."""
    typed, search, search_error = search_from_query_string(values)
    sort = values.get("volgorde")
    filters = queues_service.QueueFilter(
        view=values.get("weergave") or "team",
        status=values.get("status") or None,
        category_id=values.get("categorie", type=as_id),
        assignee=values.get("behandelaar") or None,
        search=search,
        sort=sort if sort in queues_service.QUEUE_SORTS else "deadline",
    )
    return typed, filters, search_error


def _render_queue(typed, filters, *, search_error=None, save_form=None, bulk_form=None, code=200):
    views = saved_views.views_of(current_user)
    registrations = _registrations_query()
    # Every count on the page (its total, the tabs, the saved views, the aanmeldingen) in one statement.
    page = queues_service.queue_page(current_user, filters, page=requested_page(), tabs=True, table=True, also_count=(
        *saved_views.count_queries(current_user, views), *([registrations] if registrations is not None else [])))
    pagination = page.pagination
    if (moved := redirect_to_existing_page(pagination, "queue.index")) is not None:
        return moved
    search = filters.search
    highlights = request_search.highlighted(search, pagination.items, include_internal=True) if search else {}
    saved = saved_views.counted(current_user, views, page.counts[:len(views)])
    colleagues = teams.members_of_teams(teams.team_ids_of(current_user))
    return render_template(
        "queue/index.html", pagination=pagination, filters=filters, now=utcnow(), views=queues_service.QUEUE_VIEWS,
        counts=page.tabs, categories=page.categories,
        colleagues=colleagues, statuses=STATUS_LABELS, workflow=workflow,
        registration_count=_registration_count(registrations, page.counts[len(views):]),
        typed=typed, search_error=search_error, highlights=highlights, sorts=queues_service.QUEUE_SORTS,
        saved=saved, showing=next((item.view for item in saved if saved_views.is_showing(item.view, filters)), None),
        view_link=saved_views.query_string, save_form=save_form or _save_view_form(typed, filters),
        bulk_form=_bulk_form(bulk_form, colleagues), bulk_max=bulk_service.BULK_MAX,
        queue_args={key: value for key, value in request.args.items() if key in QUEUE_PARAMETERS},
    ), 400 if search_error else code


def _save_view_form(typed, filters, form=None) -> SaveViewForm:
    """The form that saves the queue as it is now; the teams a user leads are offered beside "only me"."""
    form = form or SaveViewForm(weergave=filters.view, status=filters.status or "", q=typed,
                                categorie=filters.category_id or "", behandelaar=filters.assignee or "",
                                volgorde=filters.sort)
    form.team_id.choices = {"": "Alleen voor mij", **{
        str(team.id): f"Voor het hele team {team.name}" for team in saved_views.teams_to_save_for(current_user)}}
    return form


# The queue's own parameters, which a bulk action returns to (nothing else from the query string is followed).
QUEUE_PARAMETERS = ("weergave", "status", "categorie", "behandelaar", "q", "volgorde", "pagina")


@bp.route("/bulk", methods=["POST"])
@allow(*SUPPORTERS)
def bulk():
    """Claim, assign or change the status of the chosen requests; each in its own transaction (services/bulk).
    Back to the queue as it was, with what went through and what did not."""
    form = BulkForm()
    typed, filters, search_error = _filters_from(request.args)
    if not form.validate_on_submit():
        return _render_queue(typed, filters, bulk_form=form, code=400)
    try:
        selected = bulk_service.selection(request.form.getlist("ids"))
        result = bulk_service.apply(current_user, form.action.data, selected, assignee_id=form.assignee.data,
                                    status=form.status.data)
    except InvalidInput as error:
        attach_errors(form, error)  # the choice of requests has no field of its own: above the form
        return _render_queue(typed, filters, bulk_form=form, code=400)
    done, refused = bulk_service.summary(form.action.data, result, status=form.status.data)
    if done:
        flash(done, "success")
    if refused:
        flash(refused, "error")
    return redirect(url_for("queue.index", **{key: value for key, value in request.args.items()
                                              if key in QUEUE_PARAMETERS}))


def _bulk_form(form: BulkForm | None, colleagues) -> BulkForm:
    form = form or BulkForm()
    form.assignee.choices = {"": "— niemand (teruggeven) —", **{str(u.id): u.name for u in colleagues}}
    form.status.choices = {"": "— kies een status —", **STATUS_LABELS}
    return form


@bp.route("/weergaven", methods=["POST"])
@allow(*SUPPORTERS)
@submitted_once
def save_view():
    typed, filters, search_error = _filters_from(request.form)
    form = _save_view_form(typed, filters, SaveViewForm())
    if not form.validate_on_submit() or search_error:
        if search_error:
            form.form_errors.append(search_error)
        return _render_queue(typed, filters, save_form=form, code=400)
    try:
        view = saved_views.save(current_user, name=form.name.data, filters=filters, team_id=form.team_id.data)
    except DomainError as error:
        attach_errors(form, error)
        # The filter's own fields are hidden: their messages go above the form.
        for field in (form.weergave, form.status, form.categorie, form.behandelaar, form.q, form.volgorde):
            form.form_errors.extend(field.errors)
        return _render_queue(typed, filters, save_form=form, code=error.status_code)
    flash(f"Weergave ‘{view.name}’ bewaard.", "success")
    return redirect(url_for("queue.index", **saved_views.query_string(view)))


@bp.route("/weergaven")
@allow(*SUPPORTERS)
def saved_views_page():
    return _render_saved_views()


def _render_saved_views(code=200, error=None):
    return render_template("queue/saved_views.html", form=ActionForm(), error=error,
                           saved=saved_views.counted(current_user, saved_views.views_of(current_user)),
                           view_link=saved_views.query_string), code


@bp.route("/weergaven/<int:view_id>/verwijderen", methods=["POST"])
@allow(*SUPPORTERS)
def delete_view(view_id):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        name = saved_views.delete(current_user, view_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        return _render_saved_views(error.status_code, error.message)
    flash(f"Weergave ‘{name}’ verwijderd.", "success")
    return redirect(url_for("queue.saved_views_page"))


def _registrations_query():
    """What the Aanmeldingen tab counts (None: nothing to count)."""
    return registrations_service.pending_query(current_user) if current_user.has_role("clubondersteuner") else None


def _registration_count(query, counted: list[int]) -> int | None:
    """The Aanmeldingen tab's count: clubondersteuners decide aanmeldingen, bond and initiative members do not
    (None)."""
    if not current_user.has_role("clubondersteuner"):
        return None
    return counted[0] if query is not None else 0


@bp.route("/aanmeldingen")
@allow("clubondersteuner")
def registrations():
    """The loket's aanmeldingen: clubs registered in its gemeenten and people asking to join a club."""
    pagination = registrations_service.pending_for(current_user, page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "queue.registrations")) is not None:
        return moved
    return render_template("queue/registrations.html", pagination=pagination, views=queues_service.QUEUE_VIEWS,
                           counts=queues_service.queue_counts(current_user))


def _render_detail(access, code=200, **forms):
    """The request page with every form; a form passed in keeps its input and errors. Only the lists the page shows
    are read: colleagues, targets and merge candidates for the owning team, sjablonen for a team that replies."""
    support_request = access.request
    many_options = _ManyOptions()
    forms.setdefault("status_form", StatusForm(version=support_request.version))
    forms["status_form"].status.choices = {s: STATUS_LABELS[s] for s in workflow.allowed_next_statuses(support_request)}
    forms.setdefault("assign_form", AssignForm(assignee=str(support_request.assignee_id or "")))
    forms["assign_form"].assignee.choices = {"": "— niemand —", **{
        str(u.id): u.name for u in (teamwork.assignable(support_request) if access.can_manage else ())}}
    forms["assign_form"].assignee.widget = many_options
    # Every team the page names comes in one query: the referral's and collaborations' teams, the referral and
    # invitation targets (one <optgroup> per kind of team: loketten, bonden, landelijke initiatieven) and the
    # teams of the user's sjablonen.
    listed = teamwork.page_teams(access, targets=access.can_manage and support_request.is_open,
                                 canned=access.can_reply)
    groups = listed.target_groups
    targets = {label: {str(t.id): t.name for t in group} for label, group in groups.items()}
    initiatives = groups.get(teamwork.TARGET_GROUPS["initiatief"], [])  # each with its name, description, email
    targets = {"": "— kies een loket, bond of landelijk initiatief —", **targets}
    for name, form_class in (("referral_form", ReferralForm), ("invite_form", InviteForm)):
        forms.setdefault(name, form_class())
        forms[name].team.choices, forms[name].team.widget = targets, many_options
    merge_targets = merging.merge_targets(access)
    forms.setdefault("merge_form", MergeForm())
    forms["merge_form"].into.choices = {"": "— kies een aanvraag —", **{
        str(r.id): f"{r.reference} · {r.title}" for r in merge_targets}}
    forms["merge_form"].into.widget = many_options
    for name, form_class in (("reply_form", ReplyForm), ("note_form", NoteForm), ("decline_form", DeclineForm),
                             ("action_form", ActionForm), ("end_form", EndInvitationForm),
                             ("moment_form", ContactMomentForm)):
        forms.setdefault(name, form_class())
    canned = listed.canned_replies
    events, files = attachments.supporter_timeline(support_request)
    return render_template(
        "queue/detail.html", req=support_request, access=access, now=utcnow(), workflow=workflow,
        initiatives=initiatives, canned=canned, canned_texts={
            c.id: canned_replies.render(c, support_request, current_user) for c in canned},
        events=events, merge_targets=merge_targets, files=files,
        offers=offers_service.suggest_offers_for(support_request.club, support_request.category_id),
        **forms,
    ), code


def _access(request_id, *, for_page=False):
    """The user's access to the request (404 without); `for_page` also loads what the request's page shows of it."""
    return or_404(teamwork.supporter_access, current_user, request_id, for_page=for_page)


class _ManyOptions(Select):
    """WTForms' select in the same markup, for the long lists of one page: each plain option is written straight out
    (WTForms' general attribute writer per option was most of the request page's rendering time: the referral and
    invitation lists hold every loket, bond and initiative), and a select with the same choices and chosen value as
    one before it reuses that one's options. One instance per page."""

    def __init__(self):
        super().__init__()
        self._written = {}  # (id of the choices, chosen value) → (the choices, their options as written)

    def __call__(self, field, **kwargs):
        head = self._head(field, dict(kwargs))
        key = (id(field.choices), field.data)
        if key in self._written:
            return head + self._written[key][1]
        html = super().__call__(field, **kwargs)
        if html.startswith(head):  # else written some other way: not reused
            self._written[key] = (field.choices, Markup(html[len(head):]))
        return html

    def _head(self, field, kwargs) -> Markup:
        """The opening tag as Select writes it."""
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>")

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option selected value="{value}">{label}</option>' if choice.selected
                      else f'<option value="{value}">{label}</option>')


def _act(request_id, form_name, form, action, success, **fields):
    """Validate CSRF, run one service action, then redirect with a message or re-render with errors."""
    access = _access(request_id)
    if not form.validate_on_submit():
        return _render_detail(access, code=400, **{form_name: form})
    try:
        action(access, actor=current_user, **{key: getter(form) for key, getter in fields.items()})
    except DomainError as error:
        attach_errors(form, error)
        return _render_detail(access, code=error.status_code, **{form_name: form})
    flash(success, "success")
    if not _still_involved(request_id):  # e.g. a declined referral or a team stepping out: back to the queue
        return redirect(url_for("queue.index"))
    return redirect(url_for("queue.detail", request_id=request_id))


def _still_involved(request_id) -> bool:
    """Whether the user's teams still have a part in the request after an action."""
    try:
        teamwork.supporter_access(current_user, request_id)
    except NotFound:
        return False
    return True


@bp.route("/<int:request_id>")
@allow(*SUPPORTERS)
def detail(request_id):
    access = _access(request_id, for_page=True)
    try:
        if "sjabloon" not in request.args:
            return _render_detail(access)
        # "Invoegen" (a GET form, so it works without JavaScript): the reply box holds the sjabloon's text, filled
        # in for this request and editable before it is sent. Another team's sjabloon does not exist here (404).
        canned = or_404(canned_replies.usable, current_user, request.args.get("sjabloon"))
        return _render_detail(access, reply_form=ReplyForm(
            formdata=None, body=canned_replies.render(canned, access.request, current_user)))
    finally:
        # Opened: its mentions of me leave my start page. Marked once the page is built, whatever its answer: a
        # commit (when one was new) expires every row read, which the page would otherwise read again.
        mentions.mark_seen(current_user, access.request.id)


@bp.post("/genoemd/gezien")
@allow(*SUPPORTERS)
def mentions_seen():
    """"Alles gezien" under "Genoemd in een notitie" on the start page."""
    if ActionForm().validate_on_submit():
        mentions.mark_all_seen(current_user)
        flash("Je vermeldingen staan op gezien.", "success")
    return redirect(url_for("main.home"))


@bp.route("/<int:request_id>/bericht", methods=["POST"])
@allow(*SUPPORTERS)
@submitted_once
def message(request_id):
    # One endpoint, two forms: the note form posts `internal=y`; anything without it is the reply to the club.
    internal = MessageForm().internal.data
    form, form_name = (NoteForm(), "note_form") if internal else (ReplyForm(), "reply_form")
    success = "Interne notitie opgeslagen." if internal else "Reactie naar de club verstuurd."
    return _act(request_id, form_name, form, attachments.supporter_message, success,
                body=lambda f: f.body.data, internal=lambda f: internal, upload=lambda f: f.attachment.data)


@bp.route("/<int:request_id>/samenvoegen", methods=["POST"])
@allow(*SUPPORTERS)
def merge(request_id):
    """Merge this duplicate into another request of the same club; then on to that request."""
    form = MergeForm()
    access = _access(request_id)
    if not form.validate_on_submit():
        return _render_detail(access, code=400, merge_form=form)
    try:
        target = merging.merge(access, actor=current_user, into_id=form.into.data)
    except DomainError as error:
        attach_errors(form, error)
        return _render_detail(access, code=error.status_code, merge_form=form)
    flash(f"{access.request.reference} is samengevoegd met deze aanvraag; de club krijgt één bericht.", "success")
    return redirect(url_for("queue.detail", request_id=target.id))


@bp.route("/<int:request_id>/status", methods=["POST"])
@allow(*SUPPORTERS)
def change_status(request_id):
    form = StatusForm()
    return _act(request_id, "status_form", form,
                lambda access, actor, new_status, expected_version: teamwork.change_status(
                    access, new_status, actor=actor, expected_version=expected_version),
                f"Status gewijzigd naar ‘{STATUS_LABELS.get(form.status.data, form.status.data)}’.",
                new_status=lambda f: f.status.data,
                expected_version=lambda f: int(f.version.data)
                if (f.version.data or "").isascii() and (f.version.data or "").isdigit() else None)


@bp.route("/<int:request_id>/oppakken", methods=["POST"])
@allow(*SUPPORTERS)
def claim(request_id):
    return _act(request_id, "action_form", ActionForm(), teamwork.claim, "Je hebt deze aanvraag opgepakt.")


@bp.route("/<int:request_id>/teruggeven", methods=["POST"])
@allow(*SUPPORTERS)
def unclaim(request_id):
    return _act(request_id, "action_form", ActionForm(), teamwork.unclaim,
                "Je hebt deze aanvraag teruggegeven aan het team.")


@bp.route("/<int:request_id>/toewijzen", methods=["POST"])
@allow(*SUPPORTERS)
def assign(request_id):
    return _act(request_id, "assign_form", AssignForm(), teamwork.assign, "Toewijzing bijgewerkt.",
                assignee_id=lambda f: f.assignee.data)


@bp.route("/<int:request_id>/doorverwijzen", methods=["POST"])
@allow(*SUPPORTERS)
@submitted_once
def refer(request_id):
    return _act(request_id, "referral_form", ReferralForm(), teamwork.propose_referral,
                "Doorverwijzing voorgesteld. Het andere team beslist binnen 3 werkdagen.",
                to_team_id=lambda f: f.team.data, reason=lambda f: f.reason.data)


@bp.route("/<int:request_id>/doorverwijzing/accepteren", methods=["POST"])
@allow(*SUPPORTERS)
def accept_referral(request_id):
    return _act(request_id, "action_form", ActionForm(), teamwork.accept_referral,
                "Doorverwijzing geaccepteerd: de aanvraag staat nu in jullie wachtrij.")


@bp.route("/<int:request_id>/doorverwijzing/afwijzen", methods=["POST"])
@allow(*SUPPORTERS)
def decline_referral(request_id):
    return _act(request_id, "decline_form", DeclineForm(), teamwork.decline_referral,
                "Doorverwijzing afgewezen; de aanvraag gaat terug naar het verwijzende team.",
                reason=lambda f: f.reason.data)


@bp.route("/<int:request_id>/doorverwijzing/intrekken", methods=["POST"])
@allow(*SUPPORTERS)
def withdraw_referral(request_id):
    return _act(request_id, "action_form", ActionForm(), teamwork.withdraw_referral, "Doorverwijzing ingetrokken.")


@bp.route("/<int:request_id>/inschakelen", methods=["POST"])
@allow(*SUPPORTERS)
@submitted_once
def invite(request_id):
    return _act(request_id, "invite_form", InviteForm(), teamwork.invite_team,
                "Team ingeschakeld: het leest mee en kan reageren.",
                team_id=lambda f: f.team.data, reason=lambda f: f.reason.data)


@bp.route("/<int:request_id>/inschakelen/beeindigen", methods=["POST"])
@allow(*SUPPORTERS)
def end_invitation(request_id):
    return _act(request_id, "end_form", EndInvitationForm(), teamwork.end_invitation, "Samenwerking beëindigd.",
                team_id=lambda f: f.team_id.data)


# ---------------------------------------------------------------- filing on a club's behalf

@bp.get("/nieuw")
@allow("clubondersteuner")
def new_for_club():
    """Step 1: choose a club of the werkgebied (search by name); step 2 (?club=<id>): the request's form."""
    if request.args.get("club"):
        club = or_404(clubs_service.club_in_werkgebied, current_user, request.args.get("club"))
        form = FileForClubForm(club=str(club.id))
        if not club.contacts:
            form.contact.data = NEW_CONTACT
        return _render_file_for_club(form, club)
    typed = request.args.get("zoek") or ""
    try:
        text = search_text(typed, field="zoek")
    except InvalidInput as error:
        return render_template("queue/choose_club.html", search=typed[:100], clubs=[], total=0,
                               error=error.errors["zoek"]), 400
    found, total = clubs_service.werkgebied_clubs(current_user, text)
    return render_template("queue/choose_club.html", search=text, clubs=found, total=total, error=None,
                           limit=clubs_service.WERKGEBIED_CHOICES_MAX)


@bp.post("/nieuw")
@allow("clubondersteuner")
@submitted_once
def file_for_club():
    form = FileForClubForm()
    club = or_404(clubs_service.club_in_werkgebied, current_user, form.club.data)
    if not form.validate_on_submit():
        return _render_file_for_club(form, club, 400)
    new_contact = form.contact.data == NEW_CONTACT or (
        not form.contact.data and any((form.contact_name.data, form.contact_email.data, form.contact_phone.data)))
    try:
        filed = filing_service.file_for_club(
            actor=current_user, club_id=club.id, channel=form.channel.data or "",
            contact_id=None if new_contact else form.contact.data,
            contact={"name": form.contact_name.data, "email": form.contact_email.data,
                     "phone": form.contact_phone.data} if new_contact else None,
            category_id=form.category.data, sport_id=form.sport.data, title=form.title.data,
            description=form.description.data)
    except DomainError as error:
        if isinstance(error, NotFound):
            abort(404)
        attach_errors(form, error)
        if new_contact:
            form.contact.data = NEW_CONTACT
        return _render_file_for_club(form, club, error.status_code)
    flash(" ".join(filter(None, [f"Aanvraag {filed.request.reference} ingediend namens {club.name}.",
                                 filed.login_message])), "success")
    if not _still_involved(filed.request.id):  # routed to a bond, or to the coördinatiepunt's opvang
        flash(f"De aanvraag ligt bij {filed.request.owner_team.name}.", "info")
        return redirect(url_for("queue.index"))
    return redirect(url_for("queue.detail", request_id=filed.request.id))


def _render_file_for_club(form: FileForClubForm, club, code=200):
    form.contact.choices = {"": "— kies een contactpersoon —", **{
        str(c.id): c.name + (f" ({c.email or c.phone})" if c.email or c.phone else "") for c in club.contacts
    }, NEW_CONTACT: "Nieuwe contactpersoon (vul hieronder in)"}
    form.category.choices = {"": "— kies een categorie —", **{
        str(c.id): c.name + (" (sportspecifiek)" if c.is_sport_specific else "")
        for c in categories_service.available_categories()}}
    sports = club.sports or clubs_service.sports_in_reading_order()
    form.sport.choices = {"": "— geen / niet van toepassing —", **{str(s.id): s.name for s in sports}}
    return render_template("queue/file_for_club.html", form=form, club=club), code


@bp.post("/<int:request_id>/contactmoment")
@allow(*SUPPORTERS)
@submitted_once
def contact_moment(request_id):
    return _act(request_id, "moment_form", ContactMomentForm(), actions.log_contact_moment,
                "Contactmoment vastgelegd.", channel=lambda f: f.channel.data, summary=lambda f: f.summary.data,
                moment=lambda f: f.moment.data)
