"""Forms of the account area."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class NotificationsForm(FlaskForm):
    notify_optional = BooleanField("Ook niet-essentiële meldingen ontvangen")
    submit = SubmitField("Voorkeur opslaan")
