"""Forms of the club register: adding a club, its basiseisen, uploading and confirming an import. Field rules
live in services.network.club_register / club_import; the forms carry CSRF, structure and the upload's limit."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField, TelField

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import MultiCheckboxField
from loket.blueprints.profiel.forms import ProfileForm
from loket.models import CLUB_KINDS
from loket.services.network import club_import
from loket.services.network.clubs import CLUB_KIND_LABELS, CONTACT_LIMITS, NAME_MAX


class AddClubForm(OneTimeFormMixin, FlaskForm):
    loket = HiddenField()
    name = StringField("Naam van de club", render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    kind = SelectField("Soort sportaanbieder", validate_choice=False,
                       choices={"": "— kies —", **{k: CLUB_KIND_LABELS[k] for k in CLUB_KINDS}})
    gemeente = SelectField("Gemeente", validate_choice=False, description="Een gemeente van jullie werkgebied.")
    sports = MultiCheckboxField("Sporten", description="Welke sporten biedt de club aan? Kies er een of meer.")
    kvk_number = StringField("KvK-nummer (optioneel)", render_kw={"inputmode": "numeric", "maxlength": 12},
                             description="8 cijfers. Laat leeg als de club niet in het Handelsregister staat.")
    contact_name = StringField("Naam contactpersoon (optioneel)",
                               render_kw={"maxlength": CONTACT_LIMITS["name"], "autocomplete": "off"},
                               description="Laat de contactpersoon leeg als je die nog niet kent.")
    contact_email = EmailField("E-mailadres contactpersoon",
                               render_kw={"maxlength": CONTACT_LIMITS["email"], "autocomplete": "off"})
    contact_phone = TelField("Telefoonnummer contactpersoon",
                             render_kw={"maxlength": CONTACT_LIMITS["phone"], "autocomplete": "off"},
                             description="Met een contactpersoon: vul een e-mailadres of telefoonnummer in.")
    submit = SubmitField("Club toevoegen")

    def contact_data(self) -> dict:
        return {"name": self.contact_name.data, "email": self.contact_email.data, "phone": self.contact_phone.data}


class BasiseisenForm(ProfileForm):
    """The basiseisen of the club profile (the same fields, filled the same way), without the rest of it."""

    name = kind = kvk_number = sports = None
    submit = SubmitField("Basiseisen opslaan")


class ImportSizeLimit(FileSize):
    """FileSize with the limit of the app config (CLUB_IMPORT_MAX_BYTES), read when the form is checked."""

    def __init__(self):
        super().__init__(max_size=0)

    def __call__(self, form, field):
        self.max_size = club_import.max_bytes()
        self.message = club_import.too_large_message(self.max_size)
        return super().__call__(form, field)


class UploadForm(OneTimeFormMixin, FlaskForm):
    loket = HiddenField()
    file = FileField("CSV-bestand", description=club_import.FORMAT_HELP,
                     validators=[FileRequired("Kies een CSV-bestand om te importeren."), ImportSizeLimit()],
                     render_kw={"accept": ".csv,text/csv"})
    submit = SubmitField("Bestand controleren")


class ConfirmForm(FlaskForm):
    submit = SubmitField("Importeren")
