"""Forms of the team area: inviting a colleague, accepting an invitation, and the buttons per member.

Lengths and the rules of names, addresses and passwords are the service's (network.invitations): the forms only
ask, so one rule gives one Dutch message, whether the form or the API was used.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import NEW_PASSWORD_HINT, PASSWORDS_DIFFER
from config import REQUEST_BODY_MAX
from loket.services.network.passwords import PASSWORD_MAX
from loket.services.requests.canned_replies import TITLE_MAX as CANNED_TITLE_MAX
from loket.services.network.users import NAME_MAX
from loket.services.text import EMAIL_MAX


class InviteForm(OneTimeFormMixin, FlaskForm):
    email = EmailField("E-mailadres",
                       validators=[DataRequired("Vul het e-mailadres in van wie je uitnodigt.")],
                       render_kw={"maxlength": EMAIL_MAX, "autocomplete": "off"})
    name = StringField("Naam (optioneel)", description="Je collega kan de naam bij het aannemen aanpassen.",
                       render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    team_lead = BooleanField("Als coördinator van het team")
    submit = SubmitField("Uitnodiging versturen")


class AcceptForm(FlaskForm):
    """A new account: the invitee's name and password (the address is the invited one)."""

    name = StringField("Je naam", validators=[DataRequired("Vul je naam in.")],
                       render_kw={"maxlength": NAME_MAX, "autocomplete": "name"})
    password = PasswordField("Kies een wachtwoord", description=NEW_PASSWORD_HINT,
                             validators=[DataRequired("Kies een wachtwoord.")],
                             render_kw={"maxlength": PASSWORD_MAX, "autocomplete": "new-password"})
    password_repeat = PasswordField("Wachtwoord nog een keer",
                                    validators=[DataRequired("Typ het wachtwoord nog een keer."),
                                                EqualTo("password", PASSWORDS_DIFFER)],
                                    render_kw={"maxlength": PASSWORD_MAX, "autocomplete": "new-password"})
    submit = SubmitField("Account maken en lid worden")


class JoinForm(FlaskForm):
    """Logged in with the invited address: one button adds the membership."""

    submit = SubmitField("Lid worden")


class ActionForm(FlaskForm):
    """A button per row (withdraw, remove, make or remove lead): CSRF and nothing else."""

    submit = SubmitField()


class LeadForm(FlaskForm):
    """Make a member a coördinator (lead=ja) or not (lead=nee)."""

    lead = HiddenField()
    submit = SubmitField()


class CannedReplyForm(FlaskForm):
    """A sjabloon's title and text (the rules, placeholders included, are services/requests/canned_replies')."""

    title = StringField("Titel", id="sjabloon-title", render_kw={"maxlength": CANNED_TITLE_MAX, "autocomplete": "off"},
                        description="Zo kies je het sjabloon bij het antwoorden, bijvoorbeeld ‘Ontvangstbevestiging’.")
    body = TextAreaField("Tekst", id="sjabloon-body", render_kw={"rows": 8, "maxlength": REQUEST_BODY_MAX},
                         description="Gebruik de invulvelden hieronder; ze worden ingevuld als je het sjabloon invoegt.")
    submit = SubmitField("Opslaan")


class NewCannedReplyForm(OneTimeFormMixin, CannedReplyForm):
    """Adding a sjabloon: stored once, however often it is sent."""

    submit = SubmitField("Sjabloon toevoegen")
