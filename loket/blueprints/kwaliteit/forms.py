"""Forms of audits, self-assessments, new criteria versions and corrections of versions not yet in force. Rules live in the services; forms carry CSRF,
fields and the parsing of numbers and dates (with Dutch messages)."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields import SelectChoice

from loket.blueprints.form_tokens import OneTimeFormMixin
from loket.blueprints.kwaliteit.display import COMPARISON_WORDS
from loket.formatting import number
from loket.models import COMPARISONS, Audit, CriteriaSet
from loket.services.quality.audits import (
    EVIDENCE_MAX,
    NOTES_MAX,
    RESULT_LABELS,
    VERDICT_LABELS,
)
from loket.services.quality.criteria import (
    CODE_MAX,
    TITLE_MAX,
    VERSION_MAX,
    CriterionSpec,
    shown_threshold,
    specs_of,
    stored_threshold,
)
from loket.services.quality.registry import METRICS, PERCENT, unit_of

RESULT_CHOICES = [SelectChoice(value, label) for value, label in RESULT_LABELS.items()]


class ActionForm(FlaskForm):
    """A button-only form (start an audit or self-assessment): CSRF and nothing else."""

    submit = SubmitField()


class AuditForm(FlaskForm):
    """The fixed part; audit_form() adds a result and an evidence field per criterion."""

    audit_date = StringField("Datum", render_kw={"type": "date"},
                             description="De dag waarop de audit of zelfevaluatie is gehouden.")
    verdict = RadioField("Eindoordeel", validate_choice=False,
                         choices=[SelectChoice(value, label) for value, label in
                                  [("", "Nog geen oordeel"), *VERDICT_LABELS.items()]])
    notes = TextAreaField("Toelichting (optioneel)", render_kw={"rows": 4, "maxlength": NOTES_MAX})
    save = SubmitField("Concept opslaan")
    finalize = SubmitField("Opslaan en definitief maken")

    def findings_data(self, audit: Audit) -> dict:
        return {f.criterion_id: (self[f"result_{f.criterion_id}"].data, self[f"evidence_{f.criterion_id}"].data)
                for f in audit.findings}


def audit_form(audit: Audit, *, from_request: bool) -> AuditForm:
    """A form with one result (radio) and one evidence field per criterion of the audit; filled from the
    audit, or from the posted data when from_request."""

    class Form(AuditForm):
        pass

    for finding in audit.findings:
        code, criterion_id = finding.criterion.code, finding.criterion_id
        setattr(Form, f"result_{criterion_id}", RadioField(
            f"{code}: beoordeling", choices=RESULT_CHOICES, validate_choice=False))
        setattr(Form, f"evidence_{criterion_id}", TextAreaField(
            f"{code}: onderbouwing", render_kw={"rows": 3, "maxlength": EVIDENCE_MAX}))
    if from_request:
        return Form()
    data = {"audit_date": audit.audit_date.isoformat(), "verdict": audit.verdict or "", "notes": audit.notes or ""}
    for finding in audit.findings:
        data[f"result_{finding.criterion_id}"] = finding.result
        data[f"evidence_{finding.criterion_id}"] = finding.evidence or ""
    return Form(formdata=None, data=data)


# ---------------------------------------------------------------- a new version of the national criteria

KIND_CHOICES = [SelectChoice("metric", "Meting"), SelectChoice("assessment", "Beoordeling bij de audit")]
COMPARISON_CHOICES = [SelectChoice(c, COMPARISON_WORDS[c]) for c in COMPARISONS]
THRESHOLD_HINT = ("In de eenheid van de meting: een percentage als percentage (90 of 92,5 %), "
                  "een score van 1 tot 5, dagen, werkdagen of een aantal als getal van 0 of meer.")
METRIC_CHOICES = [SelectChoice("", "— geen (beoordeling) —"),
                  *(SelectChoice(metric.name, metric.label) for metric in METRICS.values())]


def _number(text: str | None, *, integer: bool = False):
    """'0,95' → 0.95, '' → None; ValueError with a Dutch message when it is no number."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(text) if integer else float(text)
    except ValueError:
        raise ValueError("Vul een heel getal in, zoals 365." if integer
                         else "Vul een getal in, zoals 90 of 4,5.") from None


def _threshold(text: str | None) -> tuple[float | None, bool]:
    """'92,5 %' → (92.5, True), '0,9' → (0.9, False), '' → (None, False); ValueError as _number."""
    text = (text or "").strip()
    percent_sign = text.endswith("%")
    return _number(text.removesuffix("%")), percent_sign


class _NumbersMixin:
    """Threshold, window and min count as text fields checked here, with Dutch messages. The range of a
    threshold depends on its metric's unit: the criteria service checks it."""

    def validate_threshold(self, field):
        try:
            typed, percent_sign = _threshold(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        unit = unit_of(self.metric.data or None)
        if percent_sign and unit != PERCENT:
            raise ValidationError("Een procentteken past alleen bij een percentage.")
        # '0,9' could be a share written the old way (90 %) or 0,9 %: ask rather than guess.
        if unit == PERCENT and not percent_sign and typed is not None and 0 < typed < 1:
            raise ValidationError("Typ het percentage zoals het getoond wordt, bijvoorbeeld 90 voor 90 %. "
                                  "Bedoel je minder dan 1 %? Typ dan het procentteken erbij, zoals 0,5 %.")

    def validate_window_days(self, field):
        _check(field, integer=True)

    def validate_min_count(self, field):
        _check(field, integer=True)


def _check(field, *, integer):
    try:
        value = _number(field.data, integer=integer)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if value is not None and value < 0:
        raise ValidationError("Vul een getal van 0 of meer in.")


class ExistingCriterionForm(_NumbersMixin, Form):
    """One criterion of the current set: kept (or retired) and edited. Code, kind, metric and description
    are carried unchanged in hidden fields."""

    keep = BooleanField("Behouden")
    code = HiddenField()
    kind = HiddenField()
    metric = HiddenField()
    description = HiddenField()
    title = StringField("Titel", render_kw={"maxlength": TITLE_MAX})
    threshold = StringField("Drempelwaarde", render_kw={"inputmode": "decimal"})
    comparison = SelectField("Vergelijking", choices=COMPARISON_CHOICES, default=">=", validate_choice=False)
    window_days = StringField("Periode (dagen)", render_kw={"inputmode": "numeric"})
    min_count = StringField("Minimum aantal", render_kw={"inputmode": "numeric"})


class NewCriterionForm(_NumbersMixin, Form):
    """One criterion to add; ignored while its code is empty."""

    code = StringField("Code", render_kw={"maxlength": CODE_MAX})
    title = StringField("Titel", render_kw={"maxlength": TITLE_MAX})
    kind = SelectField("Soort", choices=KIND_CHOICES, default="metric", validate_choice=False)
    metric = SelectField("Meting", choices=METRIC_CHOICES, default="", validate_choice=False)
    threshold = StringField("Drempelwaarde", render_kw={"inputmode": "decimal"}, description=THRESHOLD_HINT)
    comparison = SelectField("Vergelijking", choices=COMPARISON_CHOICES, default=">=", validate_choice=False)
    window_days = StringField("Periode (dagen)", render_kw={"inputmode": "numeric"})
    min_count = StringField("Minimum aantal", render_kw={"inputmode": "numeric"})
    description = TextAreaField("Omschrijving (optioneel)", render_kw={"rows": 2})


class CorrectedCriterionForm(ExistingCriterionForm):
    """One criterion of a version being corrected: as above, and its description is editable too."""

    description = TextAreaField("Omschrijving", render_kw={"rows": 2})


class _CriteriaRowsMixin:
    """The criteria rows and the one new criterion, read as specs; the valid-from date."""

    def validate_valid_from(self, field):
        try:
            date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError("Vul een geldige datum in, zoals 2027-01-01.") from None

    def valid_from_date(self) -> date:
        return date.fromisoformat(self.valid_from.data.strip())

    def specs(self) -> list[CriterionSpec]:
        """The criteria of the version: the kept rows in their order, then the new one (if it has a code)."""
        specs = [_spec(row, row.code.data, row.kind.data, row.metric.data or None,
                       (row.description.data or "").strip() or None)
                 for row in (entry.form for entry in self.rows) if row.keep.data]
        new = self.new.form
        if (new.code.data or "").strip():
            specs.append(_spec(new, new.code.data.strip(), new.kind.data,
                               (new.metric.data or None) if new.kind.data == "metric" else None,
                               (new.description.data or "").strip() or None))
        return specs


class CriteriaSetForm(OneTimeFormMixin, _CriteriaRowsMixin, FlaskForm):
    version = StringField("Versie", render_kw={"maxlength": VERSION_MAX, "placeholder": "2027.1"},
                          description="Een nieuwe naam, zoals 2027.1. Gepubliceerde versies veranderen niet.")
    valid_from = StringField("Geldig vanaf", render_kw={"type": "date"},
                             description="Vanaf deze dag is dit de huidige set.")
    notes = TextAreaField("Toelichting (optioneel)", render_kw={"rows": 3})
    rows = FieldList(FormField(ExistingCriterionForm))
    new = FormField(NewCriterionForm, label="Nieuw criterium")
    submit = SubmitField("Versie publiceren")


class CorrectCriteriaSetForm(_CriteriaRowsMixin, FlaskForm):
    """Correcting a version that is not yet in force: its name stays, everything else may change."""

    valid_from = StringField("Geldig vanaf", render_kw={"type": "date"},
                             description="Vandaag of later: een versie begint niet in het verleden.")
    notes = TextAreaField("Toelichting (optioneel)", render_kw={"rows": 3})
    rows = FieldList(FormField(CorrectedCriterionForm))
    new = FormField(NewCriterionForm, label="Nieuw criterium")
    submit = SubmitField("Correctie opslaan")


def _spec(row, code, kind, metric, description) -> CriterionSpec:
    typed, _ = _threshold(row.threshold.data)
    return CriterionSpec(code=code or "", title=(row.title.data or "").strip(), kind=kind or "", metric=metric,
                         threshold=stored_threshold(metric, typed),
                         comparison=row.comparison.data or ">=",
                         window_days=_number(row.window_days.data, integer=True),
                         min_count=_number(row.min_count.data, integer=True), description=description)


def criteria_set_form(current: CriteriaSet | None, *, from_request: bool) -> CriteriaSetForm:
    """The publish form: from the posted data, or prefilled with the current set's criteria."""
    if from_request:
        return CriteriaSetForm()
    return CriteriaSetForm(formdata=None, data={"rows": _rows(current)})


def correct_criteria_set_form(criteria_set: CriteriaSet, *, from_request: bool) -> CorrectCriteriaSetForm:
    """The correction form: from the posted data, or prefilled with the version being corrected."""
    if from_request:
        return CorrectCriteriaSetForm()
    return CorrectCriteriaSetForm(formdata=None, data={
        "valid_from": criteria_set.valid_from.isoformat(), "notes": criteria_set.notes or "",
        "rows": _rows(criteria_set)})


def _rows(criteria_set: CriteriaSet | None) -> list[dict]:
    return [{"keep": True, "code": s.code, "kind": s.kind, "metric": s.metric or "", "description": s.description or "",
             "title": s.title, "threshold": _text(shown_threshold(s.metric, s.threshold)), "comparison": s.comparison,
             "window_days": _text(s.window_days), "min_count": _text(s.min_count)}
            for s in (specs_of(criteria_set) if criteria_set else [])]


def _text(value) -> str:
    if value is None:
        return ""
    return number(value, None) if isinstance(value, float) else str(value)


class PublicDetailsForm(FlaskForm):
    """The loket's public contact details, kept by its team lead ('gegevens gecontroleerd' is K1)."""

    email = StringField("E-mailadres", render_kw={"type": "email", "autocomplete": "email", "maxlength": 254})
    phone = StringField("Telefoonnummer", render_kw={"type": "tel", "autocomplete": "tel", "maxlength": 40})
    address = StringField("Adres", render_kw={"maxlength": 300}, description="Straat en nummer, postcode en plaats.")
    opening_hours = StringField("Openingstijden", render_kw={"maxlength": 300},
                                description="Bijvoorbeeld: ma–vr 9.00–17.00, wo-avond 19.00–21.00 op afspraak.")
    url = StringField("Website", render_kw={"type": "url", "maxlength": 300},
                      description="Het volledige webadres, beginnend met https://.")
    reviewed = BooleanField("Ik heb alle gegevens nagekeken en ze kloppen (gegevens gecontroleerd)")
    submit = SubmitField("Gegevens opslaan")
