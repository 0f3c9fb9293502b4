"""Quality runs: recompute every metric criterion for all loketten and store the month's measurements.

A run is requested (a QualityRun row plus an outbox job, one transaction), then computed by the job:
one SQL statement per criterion for all loketten, one upsert per criterion into `measurements` keyed
by (loket, criterion, period), a commit per criterion so the progress is visible. Recomputing a month
overwrites that month's rows; earlier months stay as history.
"""
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from loket.extensions import db
from loket.models import CriteriaSet, Criterion, Measurement, QualityRun, User
from loket.models.base import utcnow
from loket.services.messaging import outbox
from loket.services.quality import metrics
from loket.services.quality.criteria import current_set
from loket.services.quality.verdict_log import record_verdicts
from loket.services.transaction import commit

log = logging.getLogger(__name__)

RECOMPUTE_JOB = "workers.quality.recompute_quality"
# A run still 'running' after this long lost its worker (killed mid-run); a redelivered job takes it over.
STALE_AFTER = timedelta(hours=1)


def period_of(moment: datetime | date) -> date:
    """The measurement period a moment belongs to: the first day of its month."""
    return date(moment.year, moment.month, 1)


def request_recompute(*, actor: User | None = None, as_of: datetime | None = None) -> QualityRun:
    """Queue a recompute for the period of `as_of` (default: now).

    Side effects: writes the QualityRun (state 'queued') and its outbox job in one transaction and
    commits (outbox.commit): inline mode runs the job right away, otherwise a worker on 'reports' does.
    """
    as_of = as_of or utcnow()
    run = _new_run(actor, as_of)
    db.session.flush()
    # The run has no as_of column, so the moment travels with the job (ISO text: plain data only).
    outbox.add_job(RECOMPUTE_JOB, args=[run.id, as_of.isoformat()], key=f"quality-run:{run.id}", queue="reports")
    commit()
    return run


def recompute_now(*, actor: User | None = None, as_of: datetime | None = None) -> QualityRun:
    """Create a run and compute it here and now (the CLI). Commits; no job is queued."""
    as_of = as_of or utcnow()
    run = _new_run(actor, as_of)
    commit()
    return recompute(run.id, as_of=as_of)


def _new_run(actor: User | None, as_of: datetime) -> QualityRun:
    criteria_set = current_set(as_of.date())
    run = QualityRun(state="queued", requested_by_id=actor.id if actor else None, period=period_of(as_of),
                     criteria_total=len(_metric_criteria(criteria_set)), created_at=utcnow())
    db.session.add(run)
    return run


def recompute(run_id: int, *, as_of: datetime | str | None = None) -> QualityRun | None:
    """Compute a queued run: every metric criterion of the set in force at `as_of`, for all loketten.

    :param as_of: the moment measured (naive UTC, or its ISO text); default the run's creation time.
    Idempotent: a run that is done, failed or running elsewhere is left alone (returned as it is).
    Side effects: commits after claiming the run, after each criterion (upserted measurements and
    criteria_done together) and at the end. An error marks the run failed with the error text and is
    not raised: the run row is the record (criteria committed before it keep their new rows).
    """
    run = db.session.get(QualityRun, run_id)
    if run is None or not _claim(run_id):
        db.session.rollback()
        return run
    db.session.refresh(run)
    if isinstance(as_of, str):
        as_of = datetime.fromisoformat(as_of)
    as_of = as_of or run.created_at
    try:
        criteria_set = current_set(as_of.date())
        if criteria_set is None:
            raise LookupError(f"No criteria set in force on {as_of.date().isoformat()}")
        criteria = _metric_criteria(criteria_set)
        run.criteria_total, run.criteria_done = len(criteria), 0
        commit()
        for criterion in criteria:
            _store(criterion, run.period, metrics.measure(criterion, as_of), utcnow())
            run.criteria_done += 1
            commit()
        run.state, run.finished_at = "done", utcnow()
        record_verdicts(run.finished_at)
        commit()
    except Exception as error:  # noqa: BLE001  (recorded on the run; the caller reads its state)
        log.exception("Quality run %s failed", run_id)
        db.session.rollback()
        run.state, run.finished_at = "failed", utcnow()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        commit()
    return run


def _claim(run_id: int) -> bool:
    """queued → running with one atomic UPDATE (a stale 'running' run is taken over); commits."""
    now = utcnow()
    result = db.session.execute(
        update(QualityRun)
        .where(QualityRun.id == run_id, or_(
            QualityRun.state == "queued",
            (QualityRun.state == "running") & (QualityRun.started_at < now - STALE_AFTER)))
        .values(state="running", started_at=now, finished_at=None, error=None)
        .execution_options(synchronize_session=False))
    commit()
    return result.rowcount == 1


def _metric_criteria(criteria_set: CriteriaSet | None) -> list[Criterion]:
    if criteria_set is None:
        return []
    return [c for c in criteria_set.criteria if c.kind == "metric"]


def _store(criterion: Criterion, period: date, measured: dict[int, metrics.Measured], now: datetime) -> None:
    """Upsert one criterion's measurements for all loketten in one statement (no commit)."""
    if not measured:
        return
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(Measurement).values([
        {"loket_id": loket_id, "criterion_id": criterion.id, "period": period, "value": m.value,
         "passed": m.passed, "details": m.details, "computed_at": now}
        for loket_id, m in measured.items()])
    statement = statement.on_conflict_do_update(
        index_elements=[Measurement.loket_id, Measurement.criterion_id, Measurement.period],
        set_={name: statement.excluded[name] for name in ("value", "passed", "details", "computed_at")})
    db.session.execute(statement)


def latest_run() -> QualityRun | None:
    """The most recently requested run, whatever its state."""
    return db.session.scalar(select(QualityRun).order_by(QualityRun.created_at.desc(), QualityRun.id.desc())
                             .limit(1))


def error_shown_to(run: QualityRun | None, viewer: User) -> str | None:
    """Why a run failed, for beheer only (it can act on it); None for anyone else and for a run without
    an error (the coördinatiepunt reads that beheer can see why in the log)."""
    if run is None or not run.error or not viewer.has_role("beheer"):
        return None
    return run.error


@dataclass(frozen=True)
class CriterionOutcome:
    code: str
    title: str
    passed: int
    failed: int
    not_measurable: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.not_measurable


def outcomes(period: date, criteria_set: CriteriaSet) -> list[CriterionOutcome]:
    """Per metric criterion of the set: how many loketten pass, fail, or are not measurable in `period`."""
    criteria = _metric_criteria(criteria_set)
    counts = {row.criterion_id: row for row in db.session.execute(
        select(Measurement.criterion_id,
               func.count(case((Measurement.passed.is_(True), 1))).label("passed"),
               func.count(case((Measurement.passed.is_(False), 1))).label("failed"),
               func.count(case((Measurement.passed.is_(None), 1))).label("not_measurable"))
        .where(Measurement.period == period, Measurement.criterion_id.in_([c.id for c in criteria]))
        .group_by(Measurement.criterion_id))}
    return [CriterionOutcome(c.code, c.title, *((counts[c.id].passed, counts[c.id].failed,
                                                 counts[c.id].not_measurable) if c.id in counts else (0, 0, 0)))
            for c in criteria]
