"""Forms for working a request from the queue. Rules live in the services; forms carry CSRF and fields."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from config import REQUEST_BODY_MAX, REQUEST_TITLE_MAX
from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_attachments import attachment_field
from loket.models import CHANNEL_LABELS
from loket.services.network.clubs import CONTACT_LIMITS
from loket.services.requests.actions import CONTACT_CHANNELS, CONTACT_SUMMARY_MAX
from loket.services.requests.bulk import ACTIONS as BULK_ACTIONS
from loket.services.requests.filing import SUPPORTER_CHANNELS
from loket.services.requests.mentions import SYNTAX_HINT as MENTION_HINT
from loket.services.requests.saved_views import NAME_MAX as SAVED_VIEW_NAME_MAX
from loket.services.requests.teamwork import REASON_MAX


class MessageForm(FlaskForm):
    """What the message endpoint reads: `body` and `internal` (kept for API-like posts and old clients)."""

    body = TextAreaField("Bericht", render_kw={"rows": 5, "maxlength": REQUEST_BODY_MAX})
    internal = BooleanField("Interne notitie (niet zichtbaar voor de club)")
    submit = SubmitField("Plaatsen")


# The reply and the note are two separate forms on one page, posting to the same endpoint: the note form
# carries a hidden `internal=y`, the reply form none, so a note can never go to the club by a missed checkbox.
# Each body gets its own id, so every label points at its own control.
class ReplyForm(OneTimeFormMixin, FlaskForm):
    body = TextAreaField("Reactie aan de club", id="reply-body",
                         render_kw={"rows": 5, "maxlength": REQUEST_BODY_MAX},
                         description="De club leest dit en krijgt er een e-mail over.")
    attachment = attachment_field("reply-attachment", "De club kan het bestand openen.")


class NoteForm(OneTimeFormMixin, FlaskForm):
    body = TextAreaField("Interne notitie", id="note-body",
                         render_kw={"rows": 4, "maxlength": REQUEST_BODY_MAX},
                         description="Alleen zichtbaar voor ondersteuners; de club ziet dit nooit. " + MENTION_HINT)
    attachment = attachment_field("note-attachment", "Alleen ondersteuners kunnen het bestand openen.")
    internal = HiddenField(default="y")


class SaveViewForm(OneTimeFormMixin, FlaskForm):
    """Save the queue's current filter as a named view; the filter travels in hidden fields named as the
    queue's query string."""

    name = StringField("Naam van de weergave", id="view-name", render_kw={"maxlength": SAVED_VIEW_NAME_MAX})
    team_id = SelectField("Voor wie", id="view-team", validate_choice=False)
    weergave = HiddenField()
    status = HiddenField()
    categorie = HiddenField()
    behandelaar = HiddenField()
    q = HiddenField()
    volgorde = HiddenField()
    submit = SubmitField("Weergave bewaren")


class BulkForm(FlaskForm):
    """Several requests at once: the rows' checkboxes (`ids`, "id.version") sit in the table and belong to this
    form through their form attribute."""

    action = SelectField("Met de gekozen aanvragen", id="bulk-action", validate_choice=False,
                         choices={"": "— kies wat er moet gebeuren —", **BULK_ACTIONS})
    assignee = SelectField("Aan wie toewijzen", id="bulk-assignee", validate_choice=False,
                           description="Bij ‘Toewijzen aan’.")
    status = SelectField("Naar welke status", id="bulk-status", validate_choice=False,
                         description="Bij ‘Status wijzigen naar’.")
    submit = SubmitField("Uitvoeren")


class MergeForm(FlaskForm):
    into = SelectField("Samenvoegen met", id="merge-into", validate_choice=False,
                       description="Een andere aanvraag van dezelfde club die jullie team behandelt.")
    submit = SubmitField("Samenvoegen")


class StatusForm(FlaskForm):
    status = SelectField("Nieuwe status", validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Status wijzigen")


class AssignForm(FlaskForm):
    assignee = SelectField("Toewijzen aan", validate_choice=False)
    submit = SubmitField("Toewijzen")


# The referral, invitation and decline forms share one page and field names: each field gets its own id,
# so every label points at its own control.
class ReferralForm(OneTimeFormMixin, FlaskForm):
    team = SelectField("Doorverwijzen naar", validate_choice=False, id="referral-team")
    reason = TextAreaField("Waarom dit team?", id="referral-reason", render_kw={"rows": 3, "maxlength": REASON_MAX},
                           description="Het ontvangende team leest dit bij het accepteren of afwijzen.")
    submit = SubmitField("Doorverwijzing voorstellen")


class DeclineForm(FlaskForm):
    reason = TextAreaField("Reden van afwijzen", id="decline-reason", render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField("Afwijzen")


class InviteForm(OneTimeFormMixin, FlaskForm):
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


# ---------------------------------------------------------------- filing on a club's behalf, contact moments

NEW_CONTACT = "nieuw"  # the contact select's choice for a person not yet known to the club


class FileForClubForm(OneTimeFormMixin, FlaskForm):
    """A request a supporter files for a club that phoned, visited or mailed. Field names are the service's
    (filing.file_for_club), so its Dutch messages land next to the right field."""

    club = HiddenField()
    channel = RadioField("Hoe kwam de vraag binnen?", validate_choice=False,
                         choices={c: CHANNEL_LABELS[c] for c in SUPPORTER_CHANNELS})
    contact = SelectField("Contactpersoon van de club", validate_choice=False,
                          description="Wie stelde de vraag? Die persoon krijgt de bevestiging en kan de aanvraag "
                                      "volgen.")
    contact_name = StringField("Naam", render_kw={"maxlength": CONTACT_LIMITS["name"], "autocomplete": "off"})
    contact_email = StringField("E-mailadres", render_kw={"maxlength": CONTACT_LIMITS["email"], "type": "email",
                                                          "autocomplete": "off"},
                                description="Met een e-mailadres krijgt de persoon een account om de aanvraag "
                                            "te volgen.")
    contact_phone = StringField("Telefoonnummer", render_kw={"maxlength": CONTACT_LIMITS["phone"], "type": "tel",
                                                             "autocomplete": "off"})
    category = SelectField("Waar gaat de vraag over?", validate_choice=False)
    sport = SelectField("Sport", validate_choice=False,
                        description="Alleen nodig bij een sportspecifieke vraag, zoals sporttechniek of competitie.")
    title = StringField("Korte titel", render_kw={"maxlength": REQUEST_TITLE_MAX})
    description = TextAreaField("De vraag van de club", render_kw={"rows": 8, "maxlength": REQUEST_BODY_MAX},
                                description="Wat wil de club bereiken, en wat is er al besproken?")
    submit = SubmitField("Aanvraag indienen")


class ContactMomentForm(OneTimeFormMixin, FlaskForm):
    channel = SelectField("Soort contact", validate_choice=False, id="moment-channel",
                          choices={c: CHANNEL_LABELS[c] for c in CONTACT_CHANNELS})
    summary = TextAreaField("Wat is er besproken?", id="moment-summary",
                            render_kw={"rows": 3, "maxlength": CONTACT_SUMMARY_MAX})
    moment = StringField("Wanneer", id="moment-at", render_kw={"type": "datetime-local"},
                         description="Leeg laten voor nu.")
    submit = SubmitField("Contactmoment vastleggen")
