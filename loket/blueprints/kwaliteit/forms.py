"""Forms of audits and self-assessments. Rules live in the audits service; forms carry CSRF and fields."""
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice

from loket.models import Audit
from loket.services.quality.audits import EVIDENCE_MAX, NOTES_MAX, RESULT_LABELS, VERDICT_LABELS


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
