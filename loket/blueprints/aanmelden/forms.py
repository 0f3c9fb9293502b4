"""Forms of registering a club and joining one. Field rules live in services.network.registrations; the forms
carry CSRF and structure. Field names are the service's error keys with `_` for `.` (club_name ↔ club.name)."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField, TextAreaField

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import MultiCheckboxField
from loket.models import CLUB_KINDS
from loket.services.network.clubs import CLUB_KIND_LABELS, CONTACT_LIMITS, NAME_MAX
from loket.services.network.passwords import PASSWORD_MAX, PASSWORD_RULE
from loket.services.network.registrations import REASON_MAX
from loket.services.network.users import NAME_MAX as PERSON_NAME_MAX
from loket.services.text import EMAIL_MAX


class ContactFields(FlaskForm):
    """You: the person registering, who gets the account."""

    contact_name = StringField("Je naam", render_kw={"maxlength": PERSON_NAME_MAX, "autocomplete": "name"})
    contact_function = StringField("Je functie bij de club (optioneel)",
                                   render_kw={"maxlength": CONTACT_LIMITS["function"]},
                                   description="Bijvoorbeeld: secretaris, voorzitter of vrijwilliger.")
    contact_email = EmailField("E-mailadres", render_kw={"maxlength": EMAIL_MAX, "autocomplete": "email"},
                               description="Hier sturen we een link naar om je adres te bevestigen.")
    contact_password = PasswordField(
        "Kies een wachtwoord", render_kw={"maxlength": PASSWORD_MAX, "autocomplete": "new-password"},
        description=PASSWORD_RULE)

    def contact_data(self) -> dict:
        return {"name": self.contact_name.data, "function": self.contact_function.data,
                "email": self.contact_email.data, "password": self.contact_password.data}


class RegistrationForm(OneTimeFormMixin, ContactFields):
    club_name = StringField("Naam van de club", render_kw={"maxlength": NAME_MAX, "autocomplete": "organization"})
    club_kind = SelectField("Soort sportaanbieder", validate_choice=False,
                            choices={"": "— kies —", **{k: CLUB_KIND_LABELS[k] for k in CLUB_KINDS}})
    club_gemeente = SelectField("Gemeente", validate_choice=False,
                                description="De gemeente waar de club zit; het loket van die gemeente beoordeelt je aanmelding.")
    club_sports = MultiCheckboxField("Sporten", description="Welke sporten biedt de club aan? Kies er een of meer.")
    club_kvk = StringField("KvK-nummer (optioneel)", render_kw={"inputmode": "numeric", "maxlength": 12},
                           description="8 cijfers. Laat leeg als de club niet in het Handelsregister staat.")
    submit = SubmitField("Aanmelden")

    def club_data(self) -> dict:
        return {"name": self.club_name.data, "kind": self.club_kind.data, "gemeente": self.club_gemeente.data,
                "sports": self.club_sports.data, "kvk": self.club_kvk.data}


class JoinForm(OneTimeFormMixin, ContactFields):
    gemeente = SelectField("Gemeente", validate_choice=False, description="Waar zit de club?")
    club = SelectField("Club", validate_choice=False,
                       description="Alleen clubs die al bij het loket bekend zijn. Staat je club er niet bij? "
                                   "Meld de club dan aan.")
    submit = SubmitField("Vraag versturen")


class ConfirmForm(FlaskForm):
    """The button behind the mailed link: a click confirms (a mail scanner opening the link does not)."""

    submit = SubmitField("Bevestig mijn e-mailadres")


class DecisionForm(FlaskForm):
    """Approve (no fields) or reject with a reason; one form per registration on a page."""

    reason = TextAreaField("Reden van afwijzen", render_kw={"rows": 3, "maxlength": REASON_MAX},
                           description="De aanmelder krijgt deze reden per mail.")
    submit = SubmitField()


class HandBackForm(FlaskForm):
    """The loket gives an aanmelding the coördinatiepunt handed to it back, with a reason."""

    reason = TextAreaField("Waarom geven jullie hem terug?", id="hand-back-reason",
                           render_kw={"rows": 3, "maxlength": REASON_MAX},
                           description="Het coördinatiepunt leest dit en zoekt een ander loket.")
    submit = SubmitField("Teruggeven")
