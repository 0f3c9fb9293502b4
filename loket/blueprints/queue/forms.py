"""Forms for working a request from the queue. Rules live in the services; forms carry CSRF and fields."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField

from config import REQUEST_BODY_MAX
from loket.services.requests.teamwork import REASON_MAX


class MessageForm(FlaskForm):
    """What the message endpoint reads: `body` and `internal` (kept for API-like posts and old clients)."""

    body = TextAreaField("Bericht", render_kw={"rows": 5, "maxlength": REQUEST_BODY_MAX})
    internal = BooleanField("Interne notitie (niet zichtbaar voor de club)")
    submit = SubmitField("Plaatsen")


# The reply and the note are two separate forms on one page, posting to the same endpoint: the note form
# carries a hidden `internal=y`, the reply form none, so a note can never go to the club by a missed checkbox.
# Each body gets its own id, so every label points at its own control.
class ReplyForm(FlaskForm):
    body = TextAreaField("Reactie aan de club", id="reply-body",
                         render_kw={"rows": 5, "maxlength": REQUEST_BODY_MAX},
                         description="De club leest dit en krijgt er een e-mail over.")


class NoteForm(FlaskForm):
    body = TextAreaField("Interne notitie", id="note-body",
                         render_kw={"rows": 4, "maxlength": REQUEST_BODY_MAX},
                         description="Alleen zichtbaar voor ondersteuners; de club ziet dit nooit.")
    internal = HiddenField(default="y")


class StatusForm(FlaskForm):
    status = SelectField("Nieuwe status", validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Status wijzigen")


class AssignForm(FlaskForm):
    assignee = SelectField("Toewijzen aan", validate_choice=False)
    submit = SubmitField("Toewijzen")


# The referral, invitation and decline forms share one page and field names: each field gets its own id,
# so every label points at its own control.
class ReferralForm(FlaskForm):
    team = SelectField("Doorverwijzen naar", validate_choice=False, id="referral-team")
    reason = TextAreaField("Waarom dit team?", id="referral-reason", render_kw={"rows": 3, "maxlength": REASON_MAX},
                           description="Het ontvangende team leest dit bij het accepteren of afwijzen.")
    submit = SubmitField("Doorverwijzing voorstellen")


class DeclineForm(FlaskForm):
    reason = TextAreaField("Reden van afwijzen", id="decline-reason", render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField("Afwijzen")


class InviteForm(FlaskForm):
    team = SelectField("Team inschakelen", validate_choice=False, id="invite-team",
                       description="Het team leest mee en kan reageren; jullie blijven eigenaar.")
    reason = TextAreaField("Waarvoor?", id="invite-reason", render_kw={"rows": 2, "maxlength": REASON_MAX})
    submit = SubmitField("Inschakelen")


class EndInvitationForm(FlaskForm):
    team_id = HiddenField()
    submit = SubmitField("Beëindigen")


class ActionForm(FlaskForm):
    """A button-only form (claim, give back, accept, withdraw): CSRF and nothing else."""

    submit = SubmitField()
