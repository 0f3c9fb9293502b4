"""Forms of the club area. Field rules live in the requests service; forms carry CSRF and structure."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice

from config import REQUEST_BODY_MAX, REQUEST_TITLE_MAX
from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.forms_attachments import attachment_field
from loket.services.requests.satisfaction import COMMENT_MAX, SCORES


class RequestForm(OneTimeFormMixin, FlaskForm):
    club = SelectField("Club", validate_choice=False)
    category = SelectField("Waar gaat je vraag over?", validate_choice=False)
    sport = SelectField("Sport", validate_choice=False,
                        description="Alleen nodig bij een sportspecifieke vraag, zoals sporttechniek of competitie.")
    title = StringField("Korte titel", render_kw={"maxlength": REQUEST_TITLE_MAX},
                        description="Bijvoorbeeld: ‘Subsidie voor nieuwe trainers aanvragen’.")
    description = TextAreaField("Beschrijf je vraag", render_kw={"rows": 8, "maxlength": REQUEST_BODY_MAX},
                                description="Wat wil je bereiken, wat heb je al geprobeerd, en wanneer ben je bereikbaar?")
    attachment = attachment_field("request-attachment", "Het loket dat je vraag behandelt kan het bestand openen.")
    submit = SubmitField("Aanvraag indienen")


class ReplyForm(OneTimeFormMixin, FlaskForm):
    body = TextAreaField("Je reactie", render_kw={"rows": 5, "maxlength": REQUEST_BODY_MAX})
    attachment = attachment_field("reply-attachment", "Het loket kan het bestand openen.")
    submit = SubmitField("Reactie versturen")


class SatisfactionForm(FlaskForm):
    # validate_choice=False: the satisfaction service checks the score and answers in Dutch.
    score = RadioField("Hoe tevreden ben je over de hulp?", validate_choice=False,
                       choices=[SelectChoice(str(value), f"{value} – {label}") for value, label in SCORES.items()])
    comment = TextAreaField("Toelichting (optioneel)", render_kw={"rows": 4, "maxlength": COMMENT_MAX},
                            description="Wat ging goed, wat kan beter? Het team dat je hielp leest mee.")
    submit = SubmitField("Oordeel versturen")
