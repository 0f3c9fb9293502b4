"""Login form."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from loket.services.network.passwords import PASSWORD_MAX
from loket.services.text import EMAIL_MAX


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), Length(max=EMAIL_MAX)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Wachtwoord",
                             validators=[DataRequired("Vul je wachtwoord in."), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Ingelogd blijven op dit apparaat")
    submit = SubmitField("Inloggen")
