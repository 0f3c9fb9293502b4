"""Views of the team area: a loket's, bond's or landelijk initiatief's members, invitations and coördinatoren, and
the page behind an invitation's mailed link."""
from flask import abort, current_app, flash, has_request_context, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import ANY_USER, PUBLIC, SUPPORTERS, allow
from loket.blueprints.auth.limits import login_failed, login_limit
from loket.blueprints.auth.routes import LINK_PAGE_HEADERS
from loket.blueprints.auth.sessions import start_session
from loket.blueprints.form_tokens import submitted_once
from loket.blueprints.forms_support import attach_errors
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.blueprints.team import bp
from loket.blueprints.team.forms import (
    AcceptForm,
    ActionForm,
    CannedReplyForm,
    InviteForm,
    JoinForm,
    LeadForm,
    NewCannedReplyForm,
)
from loket.extensions import limiter
from loket.models.base import utcnow
from loket.services.errors import DomainError, InvalidInput, NotFound
from loket.services.network import invitations, team_admin
from loket.services.network.account import InvalidLink
from loket.services.requests import canned_replies

MANAGERS = ("beheer", *SUPPORTERS)
# Accepting an invitation (here and over the API) counts in one bucket per client address; only failures count,
# as at the login (a wrong password over the API is a guess).
ACCEPT_SCOPE = "team-invitation"
LEAD_CHOICES = {"ja": True, "nee": False}


@bp.url_defaults
def keep_the_team(endpoint, values):
    """The pager builds its links from the query arguments alone: keep the team page's own path in them."""
    if endpoint == "team.members" and has_request_context() and request.endpoint == "team.members":
        for name in ("kind", "key"):
            values.setdefault(name, request.view_args[name])


# ---------------------------------------------------------------- the team page

@bp.get("/")
@allow(*SUPPORTERS)
def index():
    """A supporter's own team (the first one they work in)."""
    found = team_admin.own_team(current_user)
    if found is None:
        abort(404)
    kind, key = found
    return redirect(url_for("team.members", kind=kind, key=key))


@bp.get("/<any(loket, bond, initiatief):kind>/<key>")
@allow(*MANAGERS)
def members(kind, key):
    """The team of loket `key` (its slug), bond or initiatief `key`: members with last login, open invitations."""
    return _render_team(kind, key, InviteForm(formdata=None), check_page=True)


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/uitnodigen")
@allow(*MANAGERS)
@submitted_once
def invite(kind, key):
    def send(form):
        invitation = invitations.invite(current_user, kind, key, email=form.email.data, name=form.name.data,
                                        team_lead=form.team_lead.data)
        return f"De uitnodiging is verstuurd naar {invitation.email}."
    return _submitted(InviteForm(), send, lambda form, code: _render_team(kind, key, form, code),
                      url_for("team.members", kind=kind, key=key))


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/uitnodigingen/<int:invitation_id>/intrekken")
@allow(*MANAGERS)
def revoke_invitation(kind, key, invitation_id):
    def revoke():
        invitation = invitations.revoke(current_user, kind, key, invitation_id)
        return f"De uitnodiging aan {invitation.email} is ingetrokken; de link werkt niet meer."
    return _act(kind, key, ActionForm(), revoke)


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/leden/<int:membership_id>/verwijderen")
@allow(*MANAGERS)
def remove_member(kind, key, membership_id):
    def remove():
        person = team_admin.remove_member(current_user, kind, key, membership_id)
        if person.id == current_user.id:
            return None  # they left: no team page to go back to
        return f"{person.name} is uit het team gehaald." + ("" if person.active else
                                                              " Het account heeft geen rol meer en staat nu uit.")
    return _act(kind, key, ActionForm(), remove)


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/leden/<int:membership_id>/coordinator")
@allow(*MANAGERS)
def set_team_lead(kind, key, membership_id):
    form = LeadForm()
    lead = LEAD_CHOICES.get(form.lead.data)

    def change():
        if lead is None:
            raise InvalidInput({"lead": "Kies of deze persoon coördinator wordt of niet."})
        membership = team_admin.set_team_lead(current_user, kind, key, membership_id, lead)
        return f"{membership.user.name} is {'nu' if lead else 'geen'} coördinator van het team."
    return _act(kind, key, form, change)


def _act(kind, key, form, action):
    """A row's button: CSRF checked, the service called, its Dutch answer flashed; a refusal re-renders the page
    with its status."""
    if not form.validate_on_submit():
        return _render_team(kind, key, InviteForm(formdata=None), 400)
    try:
        message = action()
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(error.message, "error")
        return _render_team(kind, key, InviteForm(formdata=None), error.status_code)
    if message is None:
        flash("Je bent uit het team gestapt.", "success")
        return redirect(url_for("main.home"))
    flash(message, "success")
    return redirect(url_for("team.members", kind=kind, key=key))


def _render_team(kind, key, invite_form, code=200, *, check_page=False):
    try:
        team = team_admin.team_page(current_user, kind, key, page=requested_page())
    except DomainError as error:
        return _refusal(error)
    if check_page and (moved := redirect_to_existing_page(team.members, "team.members", kind=kind, key=key)):
        return moved
    return render_template("team/members.html", team=team, invite_form=invite_form, now=utcnow(),
                           days=current_app.config["TEAM_INVITATION_DAYS"]), code


# ---------------------------------------------------------------- sjablonen (canned replies)

@bp.get("/<any(loket, bond, initiatief):kind>/<key>/sjablonen")
@allow(*SUPPORTERS)
def canned_replies_page(kind, key):
    """The team's sjablonen: every member reads them, its leads add, edit and delete them."""
    return _render_canned_replies(kind, key, NewCannedReplyForm(formdata=None))


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/sjablonen")
@allow(*SUPPORTERS)
@submitted_once
def add_canned_reply(kind, key):
    def add(form):
        canned = canned_replies.create(current_user, kind, key, title=form.title.data, body=form.body.data)
        return f"Het sjabloon ‘{canned.title}’ is toegevoegd."
    return _submitted(NewCannedReplyForm(), add, lambda form, code: _render_canned_replies(kind, key, form, code),
                      url_for("team.canned_replies_page", kind=kind, key=key))


@bp.get("/<any(loket, bond, initiatief):kind>/<key>/sjablonen/<int:sjabloon_id>")
@allow(*SUPPORTERS)
def canned_reply(kind, key, sjabloon_id):
    """One sjabloon to edit or delete (the team's leads; its members read it)."""
    return _with_canned_reply(kind, key, sjabloon_id, lambda canned: _render_canned_reply(canned))


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/sjablonen/<int:sjabloon_id>")
@allow(*SUPPORTERS)
def edit_canned_reply(kind, key, sjabloon_id):
    def edit(canned):
        def save(form):
            canned_replies.edit(current_user, kind, key, canned.id, title=form.title.data, body=form.body.data)
            return f"Het sjabloon ‘{canned.title}’ is opgeslagen."
        return _submitted(CannedReplyForm(), save, lambda form, code: _render_canned_reply(canned, form, code),
                          url_for("team.canned_replies_page", kind=kind, key=key))
    return _with_canned_reply(kind, key, sjabloon_id, edit)


@bp.post("/<any(loket, bond, initiatief):kind>/<key>/sjablonen/<int:sjabloon_id>/verwijderen")
@allow(*SUPPORTERS)
def delete_canned_reply(kind, key, sjabloon_id):
    def delete(canned):
        def remove(form):
            canned_replies.delete(current_user, kind, key, canned.id)
            return f"Het sjabloon ‘{canned.title}’ is verwijderd."
        return _submitted(ActionForm(), remove, lambda form, code: _render_canned_reply(canned, code=code),
                          url_for("team.canned_replies_page", kind=kind, key=key), errors_as_flash=True)
    return _with_canned_reply(kind, key, sjabloon_id, delete)


def _with_canned_reply(kind, key, sjabloon_id, answer):
    """`answer(sjabloon)` for this team's sjabloon; another team's is 404, a team one is not in 403."""
    try:
        canned = canned_replies.get(current_user, kind, key, sjabloon_id)
    except DomainError as error:
        return _refusal(error)
    return answer(canned)


def _render_canned_replies(kind, key, form, code=200):
    try:
        page = canned_replies.team_page(current_user, kind, key)
    except DomainError as error:
        return _refusal(error)
    return render_template("team/canned_replies.html", page=page, form=form, key=key,
                           placeholders=canned_replies.PLACEHOLDERS), code


def _render_canned_reply(canned, form=None, code=200):
    return render_template("team/canned_reply.html", canned=canned, delete_form=ActionForm(),
                           form=form or CannedReplyForm(formdata=None, title=canned.title, body=canned.body),
                           key=request.view_args["key"], kind=request.view_args["kind"],
                           can_manage=canned_replies.may_manage(current_user, canned.team),
                           placeholders=canned_replies.PLACEHOLDERS), code


def _submitted(form, action, render_again, target, *, errors_as_flash=False):
    """A form's POST: checked, `action(form)` run (the service), its Dutch answer flashed and off to `target`; a
    refusal shows the page again with the messages beside the fields (or flashed, for a button)."""
    if not form.validate_on_submit():
        return render_again(form, 400)
    try:
        message = action(form)
    except NotFound:
        abort(404)
    except DomainError as error:
        if errors_as_flash:
            flash(error.message, "error")
        else:
            attach_errors(form, error)
        return render_again(form, error.status_code)
    flash(message, "success")
    return redirect(target)


def _refusal(error):
    """A service's refusal as a page: 404 plain (no hint whether it exists), otherwise its Dutch message."""
    if isinstance(error, NotFound):
        abort(404)
    return render_template("errors/error.html", code=error.status_code, message=error.message), error.status_code


# ---------------------------------------------------------------- behind the mailed link

@bp.get("/uitnodiging/<token>")
@allow(PUBLIC)
def invitation(token):
    try:
        found = invitations.open_invitation(token)
    except InvalidLink as error:
        return _refused(error)
    return _render_invitation(found, AcceptForm(formdata=None, name=found.invitation.name or ""))


@bp.post("/uitnodiging/<token>")
@allow(PUBLIC)
@limiter.shared_limit(login_limit, scope=ACCEPT_SCOPE, deduct_when=login_failed)
def accept_invitation(token):
    form = AcceptForm()
    try:
        found = invitations.open_invitation(token)
        if not form.validate_on_submit():
            return _render_invitation(found, form, 400)
        user = invitations.accept_with_new_account(token, name=form.name.data, password=form.password.data,
                                                   signed_in=True)
    except InvalidLink as error:
        return _refused(error)
    except DomainError as error:
        attach_errors(form, error)
        return _render_invitation(found, form, error.status_code)
    start_session(user)
    flash(f"Welkom, {user.name}. Je account is klaar en je bent lid van {found.team_name}.", "success")
    return redirect(url_for("queue.index"))


@bp.post("/uitnodiging/<token>/lid-worden")
@allow(ANY_USER)
def join_team(token):
    form = JoinForm()
    try:
        found = invitations.open_invitation(token)
        if not form.validate_on_submit():
            return _render_invitation(found, AcceptForm(formdata=None), 400, join_form=form)
        invitations.join_with_account(token, current_user)
    except InvalidLink as error:
        return _refused(error)
    except DomainError as error:
        form.form_errors.append(error.message)
        return _render_invitation(found, AcceptForm(formdata=None), error.status_code, join_form=form)
    flash(f"Je bent nu lid van {found.team_name}.", "success")
    return redirect(url_for("queue.index"))


def _render_invitation(found, form, code=200, *, join_form=None):
    return render_template("team/invitation.html", found=found, form=form,
                           join_form=join_form or JoinForm(formdata=None),
                           login_url=url_for("auth.login", next=url_for("team.invitation", token=request.view_args["token"]))), \
        code, LINK_PAGE_HEADERS


def _refused(error):
    return render_template("auth/link_refused.html", message=error.message, again_url=url_for("auth.login"),
                           again_label="Naar inloggen"), 400, LINK_PAGE_HEADERS
