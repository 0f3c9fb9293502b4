"""Forms for working a request from the queue."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField


class MessageForm(FlaskForm):
    body = TextAreaField("Bericht", render_kw={"rows": 5, "maxlength": 10000})
    internal = BooleanField("Interne notitie (niet zichtbaar voor de club)")
    submit = SubmitField("Plaatsen")


class StatusForm(FlaskForm):
    status = SelectField("Nieuwe status", validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Status wijzigen")


class ActionForm(FlaskForm):
    """A button-only form (claim, give back): CSRF and nothing else."""

    submit = SubmitField()
