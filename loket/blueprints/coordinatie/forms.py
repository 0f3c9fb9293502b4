"""Forms of the coördinatiepunt's hand-overs (doorzetten). Choices are filled by the view; the services check
what is posted and answer in Dutch."""
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField

from loket.services.requests.teamwork import REASON_MAX

REASON_HINT = "Het loket leest dit bij het besluit. Schrijf alleen over de keuze van het loket, niet over de inhoud."


class RequestHandOverForm(FlaskForm):
    team = SelectField("Naar welk loket?", validate_choice=False, id="handover-team",
                       description="Loketten in dezelfde provincie staan bovenaan.")
    reason = TextAreaField("Waarom dit loket?", id="handover-reason", description=REASON_HINT,
                           render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField("Doorzetten")


class RegistrationHandOverForm(FlaskForm):
    loket = SelectField("Naar welk loket?", validate_choice=False, id="handover-loket",
                        description="Loketten in dezelfde provincie staan bovenaan.")
    reason = TextAreaField("Waarom dit loket?", id="handover-reason", description=REASON_HINT,
                           render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField("Doorzetten")


class WithdrawForm(FlaskForm):
    submit = SubmitField("Doorzetten intrekken")
