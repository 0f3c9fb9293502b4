"""Login form."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul je wachtwoord in."), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Ingelogd blijven op dit apparaat")
    submit = SubmitField("Inloggen")
