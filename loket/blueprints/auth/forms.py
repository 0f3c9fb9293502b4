"""Forms of logging in and of resetting a forgotten password."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from loket.services.network.passwords import PASSWORD_MAX, PASSWORD_MIN
from loket.services.text import EMAIL_MAX

NEW_PASSWORD_HINT = (f"Minstens {PASSWORD_MIN} tekens. Een zin van een paar woorden is goed te onthouden en "
                     "moeilijk te raden.")
PASSWORDS_DIFFER = "De twee wachtwoorden zijn niet hetzelfde. Typ het nieuwe wachtwoord twee keer precies gelijk."


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
    # The length and the other rules are checked by the service (passwords.password_problem), in one place.
    password = PasswordField("Nieuw wachtwoord", description=NEW_PASSWORD_HINT,
                             validators=[DataRequired("Kies een nieuw wachtwoord.")],
                             render_kw={"autocomplete": "new-password"})
    password_repeat = PasswordField("Nieuw wachtwoord nog een keer",
                                    validators=[DataRequired("Typ het nieuwe wachtwoord nog een keer."),
                                                EqualTo("password", PASSWORDS_DIFFER)],
                                    render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Wachtwoord opslaan")
