"""Forms of the offer catalogue. Field rules live in the offers service; forms carry CSRF and structure."""
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_support import MultiCheckboxField
from loket.services.network.offers import LIMITS


class OfferForm(OneTimeFormMixin, FlaskForm):
    title = StringField("Titel", render_kw={"maxlength": LIMITS["title"]},
                        description="Bijvoorbeeld: ‘Vrijwilligersspreekuur’ of ‘Workshop subsidies aanvragen’.")
    description = TextAreaField("Beschrijving", render_kw={"rows": 6, "maxlength": LIMITS["description"]},
                                description="Wat houdt het aanbod in, voor welke clubs is het, en wat kost het?")
    contact = StringField("Contact (optioneel)", render_kw={"maxlength": LIMITS["contact"]},
                          description="Bij wie kan een club terecht: naam, e-mailadres of telefoonnummer.")
    categories = MultiCheckboxField("Categorieën", description="Bij welke soort vragen past dit aanbod?")
    submit = SubmitField("Aanbod toevoegen")

    def fill_categories(self, categories) -> "OfferForm":
        self.categories.choices = {str(c.id): c.name + ("" if c.active else " (gedeactiveerd)")
                                   for c in categories}
        return self


class EditOfferForm(OfferForm):
    submit = SubmitField("Wijzigingen opslaan")


class ActionForm(FlaskForm):
    """A button-only form ((de)activate an offer): CSRF and nothing else."""
