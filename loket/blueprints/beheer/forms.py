"""Forms of the beheer area. Field rules live in the categories service; forms carry CSRF and structure."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField

from loket.services.requests.categories import NAME_MAX
from loket.services.text import SLUG_MAX

SCOPE_CHOICES = {"generiek": "Generiek (het loket)", "sportspecifiek": "Sportspecifiek (de bond van de sport)"}


class CategoryForm(FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": NAME_MAX})
    scope = SelectField("Soort", choices=SCOPE_CHOICES, validate_choice=False,
                        description="Sportspecifieke vragen gaan naar de bond van de gekozen sport, "
                                    "als die is aangesloten; generieke vragen naar het loket.")
    slug = StringField("Korte code (slug, optioneel)", render_kw={"maxlength": SLUG_MAX},
                       description="Laat leeg om de code uit de naam af te leiden. Kan later niet worden gewijzigd.")
    submit = SubmitField("Categorie toevoegen")


class RenameCategoryForm(FlaskForm):
    name = StringField("Nieuwe naam", render_kw={"maxlength": NAME_MAX},
                       description="Bestaande aanvragen tonen meteen de nieuwe naam.")
    submit = SubmitField("Naam opslaan")


class ActionForm(FlaskForm):
    """A button-only form ((de)activate): CSRF and nothing else."""
