"""Forms of the coördinatiepunt's hand-overs (doorzetten). Choices are filled by the view; the services check
what is posted and answer in Dutch."""
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.services.requests.teamwork import REASON_MAX

LOKET_LABEL, LOKET_HINT = "Naar welk loket?", "Loketten in dezelfde provincie staan bovenaan."


class _HandOverForm(FlaskForm):
    reason = TextAreaField("Waarom dit loket?", id="handover-reason",
                           description="Het loket leest dit bij het besluit. Schrijf alleen over de keuze van het "
                                       "loket, niet over de inhoud.",
                           render_kw={"rows": 3, "maxlength": REASON_MAX})
    submit = SubmitField("Doorzetten")


class RequestHandOverForm(OneTimeFormMixin, _HandOverForm):
    """A fallback request goes to a loket's team (the referral's receiver)."""

    team = SelectField(LOKET_LABEL, validate_choice=False, id="handover-team", description=LOKET_HINT)


class RegistrationHandOverForm(OneTimeFormMixin, _HandOverForm):
    loket = SelectField(LOKET_LABEL, validate_choice=False, id="handover-loket", description=LOKET_HINT)


class WithdrawForm(FlaskForm):
    submit = SubmitField("Doorzetten intrekken")
