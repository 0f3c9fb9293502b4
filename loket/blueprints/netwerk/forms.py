"""Forms of the netwerk area. The rules live in services.network (loketten, lifecycle); forms carry CSRF, the
fields, and the reading of a list of gemeente codes and a date as typed."""
import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields import SelectChoice

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.models import LOKET_STATUSES
from loket.services.network.lifecycle import REASON_MAX
from loket.services.network.loketten import (
    NAME_MAX,
    PUBLIC_DETAIL_LIMITS,
    STATUS_LABELS,
)
from loket.services.text import SLUG_MAX

STATUS_CHOICES = [SelectChoice(status, STATUS_LABELS[status].capitalize()) for status in LOKET_STATUSES]
GEMEENTEN_HINT = ("Eén gemeente per regel (of gescheiden door komma's): de CBS-code, eventueel gevolgd door de "
                  "naam, bijvoorbeeld ‘GM0344 Utrecht’. De codes staan bij Gemeenten.")
GEMEENTEN_ROWS = 6


def gemeente_codes(typed: str | None) -> list[str]:
    """The codes in a typed list: the first word of each line or comma-separated part ('GM0344 Utrecht')."""
    return [part.split()[0] for part in re.split(r"[,;\n]", typed or "") if part.strip()]


def gemeenten_text(gemeenten) -> str:
    return "\n".join(f"{g.code} {g.name}" for g in gemeenten)


class NewLoketForm(OneTimeFormMixin, FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
                       description="Zoals clubs het loket kennen, bijvoorbeeld ‘Sportloket Zeist’.")
    slug = StringField("Korte code (slug)", render_kw={"maxlength": SLUG_MAX, "autocomplete": "off"},
                       description="Kleine letters, cijfers en streepjes, bijvoorbeeld ‘zeist’. Staat in de adressen "
                                   "van het loket en is later niet te wijzigen.")
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False,
                         description="Pas als het loket operationeel is, gaan aanvragen uit zijn gemeenten naar het "
                                     "loket in plaats van naar de opvangwachtrij.")
    gemeenten = TextAreaField("Gemeenten die het loket bedient", description=GEMEENTEN_HINT,
                              render_kw={"rows": GEMEENTEN_ROWS})
    submit = SubmitField("Loket oprichten")


class EditLoketForm(FlaskForm):
    name = StringField("Naam", render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False,
                         description="Operationeel: aanvragen uit de gemeenten gaan naar dit loket, en wat in de "
                                     "opvangwachtrij wacht, verhuist mee.")
    reason = TextAreaField("Reden (optioneel; verplicht bij terugzetten naar ‘in oprichting’)",
                           render_kw={"rows": 2, "maxlength": REASON_MAX},
                           description="Komt bij elke wijziging in de geschiedenis van het loket.")
    aangehaakt = BooleanField("Aangehaakt bij het landelijk coördinatiepunt")
    aangehaakt_at = StringField("Aangehaakt sinds", render_kw={"type": "date"},
                                description="Leeg laten bij aanhaken: vandaag.")
    gemeenten = TextAreaField("Gemeenten die het loket bedient", description=GEMEENTEN_HINT,
                              render_kw={"rows": GEMEENTEN_ROWS})
    take_over = BooleanField("Gemeenten die nu bij een ander loket horen, overnemen (hun clubs en open aanvragen "
                             "verhuizen mee)")
    email = StringField("E-mailadres", render_kw={"maxlength": PUBLIC_DETAIL_LIMITS["email"], "type": "email",
                                                  "autocomplete": "off"})
    phone = StringField("Telefoonnummer", render_kw={"maxlength": PUBLIC_DETAIL_LIMITS["phone"], "type": "tel",
                                                     "autocomplete": "off"})
    address = StringField("Bezoekadres", render_kw={"maxlength": PUBLIC_DETAIL_LIMITS["address"],
                                                    "autocomplete": "off"})
    opening_hours = StringField("Openingstijden", render_kw={"maxlength": PUBLIC_DETAIL_LIMITS["opening_hours"]})
    url = StringField("Website", render_kw={"maxlength": PUBLIC_DETAIL_LIMITS["url"], "type": "url",
                                            "autocomplete": "off"})
    submit = SubmitField("Wijzigingen opslaan")

    def changes(self) -> dict:
        """What the form says the loket should be; the service keeps only what differs."""
        changes = {name: self[name].data for name in ("name", "status", "aangehaakt", "email", "phone", "address",
                                                      "opening_hours", "url")}
        changes["gemeenten"] = gemeente_codes(self.gemeenten.data)
        if self.aangehaakt.data and (self.aangehaakt_at.data or "").strip():
            changes["aangehaakt_at"] = date.fromisoformat(self.aangehaakt_at.data.strip())  # checked in validate
        return changes

    def validate_aangehaakt_at(self, field):
        typed = (field.data or "").strip()
        if typed:
            try:
                date.fromisoformat(typed)
            except ValueError:
                raise ValidationError("Vul een bestaande datum in, bijvoorbeeld 2026-03-01.") from None


class ActionForm(FlaskForm):
    """A button-only form (start or stop exploring): CSRF and nothing else."""
