"""Forms of the beheer area. Field rules live in the services; forms carry CSRF and structure."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import MultiCheckboxField
from loket.models import BOND_KIND_LABELS, ROLE_LABELS
from loket.services.network import regions as _regions
from loket.services.network.bonden import ABBREVIATION_MAX, KEY_MAX, SPORT_MAX
from loket.services.network.bonden import NAME_MAX as BOND_NAME_MAX
from loket.services.network.initiatives import (
    DESCRIPTION_MAX as INITIATIVE_DESCRIPTION_MAX,
)
from loket.services.network.initiatives import KEY_MAX as INITIATIVE_KEY_MAX
from loket.services.network.initiatives import NAME_MAX as INITIATIVE_NAME_MAX
from loket.services.network.initiatives import URL_MAX as INITIATIVE_URL_MAX
from loket.services.network.user_admin import REASON_MAX
from loket.services.privacy.erasure import REASON_MAX as ERASURE_REASON_MAX
from loket.services.requests.categories import DESCRIPTION_MAX, NAME_MAX
from loket.services.text import EMAIL_MAX, SLUG_MAX

SCOPE_CHOICES = {"generiek": "Generiek (het loket)", "sportspecifiek": "Sportspecifiek (de bond van de sport)"}


class CategoryForm(OneTimeFormMixin, FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": NAME_MAX})
    scope = SelectField("Soort", choices=SCOPE_CHOICES, validate_choice=False,
                        description="Sportspecifieke vragen gaan naar de bond van de gekozen sport, "
                                    "als die is aangesloten; generieke vragen naar het loket.")
    slug = StringField("Korte code (slug, optioneel)", render_kw={"maxlength": SLUG_MAX},
                       description="Laat leeg om de code uit de naam af te leiden. Kan later niet worden gewijzigd.")
    submit = SubmitField("Categorie toevoegen")


class RenameCategoryForm(FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": NAME_MAX},
                       description="Bestaande aanvragen tonen meteen de nieuwe naam.")
    description = TextAreaField("Uitleg voor clubs (optioneel)", render_kw={"maxlength": DESCRIPTION_MAX, "rows": 3},
                                description="Wat hoort in deze categorie? Clubs zien dit onder ‘Welke categorie "
                                            "kies ik?’ als ze een aanvraag indienen.")
    submit = SubmitField("Opslaan")


class ActionForm(FlaskForm):
    """A button-only form ((de)activate): CSRF and nothing else."""


# ---------------------------------------------------------------- bonden

class BondForm(OneTimeFormMixin, FlaskForm):
    key = StringField("Sleutel", render_kw={"maxlength": KEY_MAX, "autocomplete": "off"},
                      description="Kleine letters, cijfers en streepjes, bijvoorbeeld ‘knvb’. Kan later niet "
                                  "worden gewijzigd.")
    abbreviation = StringField("Afkorting", render_kw={"maxlength": ABBREVIATION_MAX})
    name = StringField("Naam", render_kw={"maxlength": BOND_NAME_MAX})
    kind = SelectField("Soort", choices=BOND_KIND_LABELS, validate_choice=False, default="bond",
                       description="Een brancheorganisatie ondersteunt ondernemingen, zoals fitnesscentra en zwembaden.")
    sports = MultiCheckboxField("Sporten", coerce=str,
                                description="Sportspecifieke vragen over deze sporten gaan naar de bond, zodra die "
                                            "is aangesloten.")
    new_sports = StringField("Nieuwe sporten (optioneel)",
                             description="Staat een sport er nog niet bij? Typ de naam; meerdere sporten scheid je "
                                         "met komma’s.")
    submit = SubmitField("Bond toevoegen")


class BondEditForm(FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": BOND_NAME_MAX})
    abbreviation = StringField("Afkorting", render_kw={"maxlength": ABBREVIATION_MAX})
    kind = SelectField("Soort", choices=BOND_KIND_LABELS, validate_choice=False)
    aangesloten = BooleanField("Aangesloten bij het netwerk")
    aangesloten_at = StringField("Aangesloten sinds", render_kw={"type": "date"},
                                 description="Leeg bij het aansluiten: vandaag. Een datum in de toekomst kan niet.")
    submit = SubmitField("Gegevens opslaan")


class AddSportForm(OneTimeFormMixin, FlaskForm):
    sport = SelectField("Bestaande sport", validate_choice=False)
    new_sport = StringField("Of een nieuwe sport", render_kw={"maxlength": SPORT_MAX})
    submit = SubmitField("Sport toevoegen")


# ---------------------------------------------------------------- users

class MembershipForm(OneTimeFormMixin, FlaskForm):
    role = SelectField("Rol", choices={"": "Kies een rol", **ROLE_LABELS}, validate_choice=False)
    club = StringField("Club (nummer)", render_kw={"inputmode": "numeric", "maxlength": 10},
                       description="Alleen bij de rol Clubcontact: het nummer van de club.")
    loket = SelectField("Loket", validate_choice=False, description="Alleen bij de rol Clubondersteuner.")
    bond = SelectField("Bond", validate_choice=False, description="Alleen bij de rol Bondsspecialist.")
    initiative = SelectField("Landelijk initiatief", validate_choice=False,
                             description="Alleen bij de rol Medewerker landelijk initiatief.")
    gemeente = SelectField("Gemeente", validate_choice=False, description="Alleen bij de rol Gemeente (sportbeleid).")
    region = SelectField("Regio", validate_choice=False,
                         description="Alleen bij de rol Adviseur lokale sport: de indeling en de regio.")
    team_lead = BooleanField("Coördinator (teamleider) van dit loket, deze bond of dit landelijk initiatief")
    submit = SubmitField("Rol toevoegen")


class NewUserForm(MembershipForm):
    """An account with one role; the person chooses the password through a mailed link."""

    email = EmailField("E-mailadres", render_kw={"maxlength": 254, "autocomplete": "off"})
    name = StringField("Naam", render_kw={"maxlength": 120, "autocomplete": "off"})
    submit = SubmitField("Account maken")


class DeactivateForm(FlaskForm):
    reason = StringField("Reden (optioneel)", render_kw={"maxlength": REASON_MAX},
                         description="Komt in de geschiedenis van de gebruiker.")
    submit = SubmitField("Account uitzetten")


# ---------------------------------------------------------------- region sets

class RegionImportSizeLimit(FileSize):
    """FileSize with the limit of the app config (REGION_IMPORT_MAX_BYTES), read when the form is checked."""

    def __init__(self):
        super().__init__(max_size=0)

    def __call__(self, form, field):
        self.max_size = _regions.max_bytes()
        self.message = _regions.too_large_message(self.max_size)
        return super().__call__(form, field)


class RegionImportForm(FlaskForm):
    name = StringField("Naam van de indeling", render_kw={"maxlength": _regions.NAME_MAX, "autocomplete": "off"},
                       description="Zoals hij in het overzicht staat, bijvoorbeeld ‘VSG-regio’s’ of ‘GGD-regio’s’.")
    file = FileField("CSV-bestand", description=_regions.FORMAT_HELP,
                     validators=[FileRequired("Kies een CSV-bestand met de regio’s."), RegionImportSizeLimit()],
                     render_kw={"accept": ".csv,text/csv"})
    replace = BooleanField("Bestaande indeling met deze naam vervangen",
                           description="Alleen als er al een indeling met deze naam is: haar regio’s worden die uit "
                                       "dit bestand. Regio’s met dezelfde naam blijven (met hun adviseurs).")
    submit = SubmitField("Bestand controleren")


class RegionConfirmForm(FlaskForm):
    """The checked upload, carried to the confirmation: the file as base64 and its SHA-256."""

    name = HiddenField()
    csv_data = HiddenField()
    digest = HiddenField()
    replace = HiddenField()
    submit = SubmitField("Indeling opslaan")


# ---------------------------------------------------------------- landelijke initiatieven

class InitiativeEditForm(FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": INITIATIVE_NAME_MAX})
    description = TextAreaField("Beschrijving (optioneel)", render_kw={"maxlength": INITIATIVE_DESCRIPTION_MAX,
                                                                       "rows": 4},
                                description="Waarmee het initiatief clubs helpt; collega’s zien dit als ze "
                                            "doorverwijzen of inschakelen.")
    email = EmailField("E-mailadres (optioneel)", render_kw={"maxlength": EMAIL_MAX, "autocomplete": "off"})
    url = StringField("Website (optioneel)", render_kw={"maxlength": INITIATIVE_URL_MAX, "inputmode": "url"},
                      description="Het volledige adres, beginnend met https://.")
    submit = SubmitField("Gegevens opslaan")


class InitiativeForm(OneTimeFormMixin, InitiativeEditForm):
    key = StringField("Sleutel", render_kw={"maxlength": INITIATIVE_KEY_MAX, "autocomplete": "off"},
                      description="Kleine letters, cijfers en streepjes, bijvoorbeeld ‘spn-procesbegeleiders’. Staat "
                                  "in de adressen van het team en kan later niet worden gewijzigd.")
    submit = SubmitField("Landelijk initiatief toevoegen")


class PersonLookupForm(FlaskForm):
    """Which person (by e-mail address) an AVG request is about; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    email = EmailField("E-mailadres van de persoon", render_kw={"maxlength": EMAIL_MAX},
                       description="Het adres van het account, van een contactpersoon of waarnaar Loket mailde.")


class PersonExportForm(FlaskForm):
    email = HiddenField()
    submit = SubmitField("Exporteer als JSON")


class PersonErasureForm(FlaskForm):
    email = HiddenField()
    confirmation = StringField("Typ het e-mailadres nog eens ter bevestiging", render_kw={"maxlength": EMAIL_MAX,
                                                                                        "autocomplete": "off"})
    reason = StringField("Reden", render_kw={"maxlength": ERASURE_REASON_MAX},
                         description="Bijvoorbeeld: verzoek van de persoon per mail van 3 maart. Komt in het "
                                     "auditlog.")
    submit = SubmitField("Wis deze persoon")
