"""Forms of logging in and of resetting a forgotten password."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from loket.blueprints.forms_support import new_password_field, new_password_repeat_field
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


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mailadres", description="Het adres waarmee je inlogt.",
                       validators=[DataRequired("Vul je e-mailadres in."),
                                   Length(max=EMAIL_MAX, message=f"Een e-mailadres heeft hooguit {EMAIL_MAX} tekens.")],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField("Stuur me een link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    password_repeat = new_password_repeat_field("password")
    submit = SubmitField("Wachtwoord opslaan")


class SecondStepForm(FlaskForm):
    code = StringField("Code",
                       description="De zes cijfers die je authenticator-app nu toont, of een van je herstelcodes.",
                       validators=[DataRequired("Vul de code uit je authenticator-app in."), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none",
                                  "spellcheck": "false"})
    submit = SubmitField("Inloggen")


class LogoutForm(FlaskForm):
    revoke_api_tokens = BooleanField("Trek ook mijn API-sleutels in")
    submit = SubmitField("Uitloggen")
