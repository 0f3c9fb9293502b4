"""Forms of the afspraken area. The rules (which categories exist, who may handle what) live in
services/network/agreements; these carry CSRF, the radio groups and the proposal's stamp."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.services.network.agreements import REASON_MAX

FIELD_PREFIX = "categorie-"
HANDLER_CHOICES = {"bond": "De bond", "loket": "Het loket", "samen": "Samen (het loket, met de bond erbij)"}


class ProposalForm(OneTimeFormMixin, FlaskForm):
    """The fixed part; proposal_form() adds one radio group per category, named FIELD_PREFIX + its slug."""

    submit = SubmitField("Voorstel versturen")

    def entries(self, posted) -> list[tuple[str, str]]:
        """(slug, handled_by) for every posted field named after a category, as typed (the service checks)."""
        return [(name.removeprefix(FIELD_PREFIX), value) for name, value in posted.items(multi=True)
                if name.startswith(FIELD_PREFIX)]


def proposal_form(rows, *, from_request: bool) -> ProposalForm:
    """A form with one radio group (bond / loket / samen) per row of the bond's page; filled with the pending
    proposal or what routes now, or from the posted data when from_request."""

    class Form(ProposalForm):
        pass

    for row in rows:
        default = "sportspecifiek → de bond" if row.category.is_sport_specific else "generiek → het loket"
        setattr(Form, FIELD_PREFIX + row.category.slug, RadioField(
            row.category.name, validate_choice=False, description=f"Zonder afspraak: {default}.",
            choices=[SelectChoice(value, label) for value, label in HANDLER_CHOICES.items()]))
    if from_request:
        return Form()
    return Form(formdata=None, data={FIELD_PREFIX + row.category.slug: row.proposed or row.handled_by
                                     for row in rows})


class DecisionForm(FlaskForm):
    """Confirming a proposal: CSRF and the stamp of the proposal that was shown."""

    stamp = HiddenField()
    submit = SubmitField("Afspraken bevestigen")


class RejectForm(FlaskForm):
    stamp = HiddenField()
    reason = TextAreaField("Waarom wijs je het voorstel af?", render_kw={"rows": 3, "maxlength": REASON_MAX},
                           description="De coördinator van de bond krijgt dit te lezen en kan een nieuw voorstel "
                                       "doen.")
    submit = SubmitField("Voorstel afwijzen")
