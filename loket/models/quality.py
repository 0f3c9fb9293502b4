"""Quality criteria (versioned data), measurements per loket and month, audits and their findings."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from loket.extensions import db
from loket.models.base import choice_constraint, utcnow
from loket.models.organisation import Loket
from loket.models.user import User

CRITERION_KINDS = ("metric", "assessment")
COMPARISONS = (">=", "<=", ">", "<", "==")
FINDING_RESULTS = ("pass", "fail", "not_assessed")
AUDIT_KINDS = ("audit", "self_assessment")
AUDIT_STATES = ("concept", "definitief")
VERDICTS = ("positief", "negatief")
RUN_STATES = ("queued", "running", "done", "failed")


class CriteriaSet(db.Model):
    """One published version of the national criteria (e.g. 2026.1). Old measurements and audits keep
    the version they were made against; the current set is the newest with valid_from ≤ today. A version not
    yet in force may be corrected: each correction is kept (who, when, what changed) in `corrections`."""

    __tablename__ = "criteria_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    valid_from: Mapped[date]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="criteria_set", order_by="Criterion.position", cascade="all, delete-orphan")
    corrections: Mapped[list["CriteriaCorrection"]] = relationship(
        back_populates="criteria_set", order_by="CriteriaCorrection.id", cascade="all, delete-orphan")


class CriteriaCorrection(db.Model):
    """One correction of a version not yet in force: who, when, and what changed, as a list of
    {"field", "code", "from", "to"} (code None for the version's own fields; see criteria.changes_between)."""

    __tablename__ = "criteria_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id", ondelete="CASCADE"), index=True)
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changes: Mapped[list] = mapped_column(JSON, default=list)

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="corrections")
    corrected_by: Mapped[User | None] = relationship()


class Criterion(db.Model):
    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("criteria_set_id", "code", name="uq_criteria_set_code"),
        choice_constraint("kind", CRITERION_KINDS),
        choice_constraint("comparison", COMPARISONS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))
    # The name of the metric function (loket.services.quality metrics registry); NULL for assessments.
    metric: Mapped[str | None] = mapped_column(String(60))
    threshold: Mapped[float | None]
    comparison: Mapped[str] = mapped_column(String(2), default=">=")
    window_days: Mapped[int | None]
    # Fewest observations for a metric to be measurable (e.g. K5: 10 satisfaction answers).
    min_count: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    criteria_set: Mapped[CriteriaSet] = relationship(back_populates="criteria")


class Measurement(db.Model):
    """A metric criterion's value for one loket in one month. `passed` is NULL when not measurable."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("loket_id", "criterion_id", "period", name="uq_measurements_loket_criterion_period"),
        Index("ix_measurements_criterion_period", "criterion_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loket_id: Mapped[int] = mapped_column(ForeignKey("loketten.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    period: Mapped[date]  # the first day of the month
    value: Mapped[float | None]
    passed: Mapped[bool | None]
    # Numerator, denominator, counts: what the value was computed from (for the drill-down).
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    loket: Mapped[Loket] = relationship()
    criterion: Mapped[Criterion] = relationship(lazy="joined")


class Audit(db.Model):
    """A toetsing of a loket by the coördinatiepunt, or the loket's own self-assessment."""

    __tablename__ = "audits"
    __table_args__ = (
        choice_constraint("kind", AUDIT_KINDS),
        choice_constraint("state", AUDIT_STATES),
        Index("ix_audits_loket_kind_date", "loket_id", "kind", "audit_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loket_id: Mapped[int] = mapped_column(ForeignKey("loketten.id"))
    criteria_set_id: Mapped[int] = mapped_column(ForeignKey("criteria_sets.id"))
    kind: Mapped[str] = mapped_column(String(16), default="audit")
    state: Mapped[str] = mapped_column(String(12), default="concept")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    audit_date: Mapped[date]
    verdict: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalized_at: Mapped[datetime | None]

    loket: Mapped[Loket] = relationship()
    criteria_set: Mapped[CriteriaSet] = relationship()
    author: Mapped[User | None] = relationship()
    findings: Mapped[list["AuditFinding"]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="AuditFinding.id")


class AuditFinding(db.Model):
    __tablename__ = "audit_findings"
    __table_args__ = (
        UniqueConstraint("audit_id", "criterion_id", name="uq_audit_findings_audit_criterion"),
        choice_constraint("result", FINDING_RESULTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    result: Mapped[str] = mapped_column(String(14), default="not_assessed")
    evidence: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[Audit] = relationship(back_populates="findings")
    criterion: Mapped[Criterion] = relationship(lazy="joined")


class VerdictChange(db.Model):
    """A loket started or stopped meeting the criteria (voldoet): written whenever the verdict may move (a
    quality run, a final audit, a new criteria version) and differs from the loket's last entry, so "what
    changed since last week" can be answered after measurements have been recomputed in place."""

    __tablename__ = "verdict_changes"
    __table_args__ = (
        Index("ix_verdict_changes_loket_changed", "loket_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loket_id: Mapped[int] = mapped_column(ForeignKey("loketten.id", ondelete="CASCADE"))
    voldoet: Mapped[bool]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class QualityRun(db.Model):
    """One recompute of all measurements: queued, running, done or failed, with progress."""

    __tablename__ = "quality_runs"
    __table_args__ = (choice_constraint("state", RUN_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    period: Mapped[date]
    criteria_done: Mapped[int] = mapped_column(default=0)
    criteria_total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
