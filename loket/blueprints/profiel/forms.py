"""Forms of the club profile. Field rules live in the clubs service; forms carry CSRF and structure."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TelField

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import MultiCheckboxField
from loket.models import BASISEISEN, CLUB_KINDS, Club
from loket.services.network.clubs import (
    BASISEIS_STATUS_LABELS,
    CLUB_KIND_LABELS,
    CONTACT_LIMITS,
    NAME_MAX,
)


class ProfileForm(FlaskForm):
    name = StringField("Naam van de club", render_kw={"maxlength": NAME_MAX, "autocomplete": "organization"})
    kind = SelectField("Soort sportaanbieder", choices={k: CLUB_KIND_LABELS[k] for k in CLUB_KINDS},
                       validate_choice=False)
    kvk_number = StringField("KvK-nummer (optioneel)", render_kw={"inputmode": "numeric", "maxlength": 12},
                             description="8 cijfers. Laat leeg als de club niet in het Handelsregister staat.")
    sports = MultiCheckboxField("Sporten", description="Welke sporten biedt de club aan? Kies er een of meer.")
    submit = SubmitField("Profiel opslaan")

    @classmethod
    def for_club(cls, club: Club) -> "ProfileForm":
        data = {"name": club.name, "kind": club.kind, "kvk_number": club.kvk_number or "",
                "sports": [str(s.id) for s in club.sports]}
        for key, _ in BASISEISEN:
            data[f"basiseis_{key}_status"] = club.basiseis_status(key)
            when = getattr(club, f"basiseis_{key}_date")
            data[f"basiseis_{key}_date"] = when.isoformat() if when else ""
        return cls(formdata=None, data=data)

    def basiseisen_data(self) -> dict:
        return {key: (self[f"basiseis_{key}_status"].data, self[f"basiseis_{key}_date"].data)
                for key, _ in BASISEISEN}


# One status and one date per basiseis; the template groups each pair in a fieldset named after it.
for _key, _label in BASISEISEN:
    setattr(ProfileForm, f"basiseis_{_key}_status", SelectField(
        "Status", choices=dict(BASISEIS_STATUS_LABELS), validate_choice=False))
    setattr(ProfileForm, f"basiseis_{_key}_date", StringField(
        "Datum", render_kw={"type": "date"}, description="Wanneer is dit voor het laatst vastgesteld?"))


class ContactForm(OneTimeFormMixin, FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": CONTACT_LIMITS["name"], "autocomplete": "name"})
    function = StringField("Functie (optioneel)", render_kw={"maxlength": CONTACT_LIMITS["function"]},
                           description="Bijvoorbeeld: secretaris, voorzitter of vertrouwenscontactpersoon.")
    email = EmailField("E-mailadres", render_kw={"maxlength": CONTACT_LIMITS["email"], "autocomplete": "email"},
                       description="Vul een e-mailadres of telefoonnummer in (of allebei).")
    phone = TelField("Telefoonnummer", render_kw={"maxlength": CONTACT_LIMITS["phone"], "autocomplete": "tel"})
    submit = SubmitField("Contactpersoon toevoegen")


class EditContactForm(ContactForm):
    submit = SubmitField("Wijzigingen opslaan")


class ActionForm(FlaskForm):
    """A button-only form (remove a contact): CSRF and nothing else."""
