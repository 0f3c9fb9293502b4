"""Periodic jobs, scheduled from the database so restarts and extra scheduler processes never run a
slot twice: a run is claimed with one atomic UPDATE that moves next_run_at on."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from loket.extensions import db
from loket.models import PeriodicTask
from loket.models.base import utcnow


@dataclass(frozen=True)
class Periodic:
    name: str
    job: str  # dotted path of the job function
    every: timedelta
    queue: str = "default"


PERIODIC = (
    Periodic("service_level_sweep", "workers.service_levels.sweep_service_levels", timedelta(minutes=5)),
)


def ensure_tasks(now: datetime) -> None:
    existing = set(db.session.scalars(select(PeriodicTask.name)))
    for task in PERIODIC:
        if task.name not in existing:
            db.session.add(PeriodicTask(name=task.name, next_run_at=now))
    db.session.commit()


def claim(task: Periodic, now: datetime) -> bool:
    """Take this slot if it is due and nobody else took it (exactly one claimant wins)."""
    result = db.session.execute(
        update(PeriodicTask)
        .where(PeriodicTask.name == task.name, PeriodicTask.next_run_at <= now)
        .values(next_run_at=now + task.every, last_run_at=now, last_job=task.job)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def run_due(now: datetime | None = None) -> list[str]:
    """One scheduler tick: dispatch due outbox rows, enqueue every periodic job whose slot is due."""
    from loket.jobs import enqueue
    from loket.services import outbox

    now = now or utcnow()
    ensure_tasks(now)
    started = []
    for task in PERIODIC:
        if claim(task, now):
            enqueue(task.job, queue=task.queue, job_id=f"{task.name}-{now:%Y%m%d%H%M%S}")
            started.append(task.name)
    outbox.dispatch_due(now)
    return started
