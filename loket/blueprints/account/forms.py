"""Forms of the account area. They share one page, so every field has a name (and id) of its own."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from loket.blueprints.forms_support import new_password_field, new_password_repeat_field
from loket.services.network.passwords import PASSWORD_MAX
from loket.services.text import EMAIL_MAX


class NotificationsForm(FlaskForm):
    notify_optional = BooleanField("Ook niet-essentiële meldingen ontvangen")
    submit = SubmitField("Voorkeur opslaan")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Huidig wachtwoord",
                                     validators=[DataRequired("Vul je huidige wachtwoord in."),
                                                 Length(max=PASSWORD_MAX)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = new_password_field()
    new_password_repeat = new_password_repeat_field("new_password")
    submit = SubmitField("Wachtwoord wijzigen")


class EmailChangeForm(FlaskForm):
    new_email = EmailField("Nieuw e-mailadres",
                           description="We sturen een link naar dit adres. Je adres verandert pas als je daarop klikt.",
                           validators=[DataRequired("Vul je nieuwe e-mailadres in."),
                                       Length(max=EMAIL_MAX,
                                              message=f"Een e-mailadres heeft hooguit {EMAIL_MAX} tekens.")],
                           render_kw={"autocomplete": "email"})
    password = PasswordField("Je wachtwoord", description="Ter controle dat jij het bent.",
                             validators=[DataRequired("Vul je wachtwoord in."), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Link sturen")


class ConfirmForm(FlaskForm):
    """A button behind a mailed link: opening the link shows it, only pressing it changes something."""

    submit = SubmitField("Ja, dit is mijn nieuwe adres")


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Overal uitloggen")


class EndSessionForm(FlaskForm):
    """Logging out one other device (a row of the account page's list of sessions)."""

    submit = SubmitField("Uitloggen")


class EnableTwoFactorForm(FlaskForm):
    secret = HiddenField()  # signed: the secret the page showed, not one the browser chose
    code = StringField("Code uit je app", description="De zes cijfers die je authenticator-app nu toont.",
                       validators=[DataRequired("Vul de code van zes cijfers uit je authenticator-app in."),
                                   Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField("Tweestapsverificatie aanzetten")


class DisableTwoFactorForm(FlaskForm):
    disable_password = PasswordField("Je wachtwoord",
                                     validators=[DataRequired("Vul je wachtwoord in."), Length(max=PASSWORD_MAX)],
                                     render_kw={"autocomplete": "current-password"})
    disable_code = StringField("Code uit je app of een herstelcode",
                               validators=[DataRequired("Vul de code uit je authenticator-app in."), Length(max=20)],
                               render_kw={"autocomplete": "one-time-code"})
    submit = SubmitField("Tweestapsverificatie uitzetten")


class RecoveryCodesForm(FlaskForm):
    renew_code = StringField("Code uit je app",
                             validators=[DataRequired("Vul de code uit je authenticator-app in."), Length(max=20)],
                             render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField("Nieuwe herstelcodes maken")
