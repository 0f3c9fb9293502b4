"""Forms of the account area. They share one page, so every field has a name (and id) of its own."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
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
