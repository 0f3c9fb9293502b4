"""Periodic jobs, scheduled from the database so restarts and extra scheduler processes never run a
slot twice: a run is claimed with one atomic UPDATE that moves next_run_at on."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from loket.extensions import db
from loket.models import PeriodicTask
from loket.models.base import utcnow
from loket.services.messaging import outbox
from loket.services.transaction import commit


@dataclass(frozen=True)
class Periodic:
    name: str
    job: str  # dotted path of the job function
    every: timedelta
    queue: str = "default"
    # A time of day (naive UTC) to anchor the slots to, for daily jobs: slots fall at that time rather than
    # whenever the first scheduler happened to start, and a new task's first slot is the next one.
    at: time | None = None

    def next_slot(self, now: datetime) -> datetime:
        """The slot after `now`: `now + every`, or the next `at` o'clock for anchored tasks."""
        if self.at is None:
            return now + self.every
        slot = datetime.combine(now.date(), self.at)
        while slot <= now:
            slot += self.every
        return slot


PERIODIC = (
    Periodic("service_level_sweep", "workers.service_levels.sweep_service_levels", timedelta(minutes=5)),
    # 01:00 UTC is 02:00/03:00 in the Netherlands: the night's quality run (one run per night, whatever
    # number of schedulers runs: the slot is claimed in the database like every other).
    Periodic("quality_recompute", "workers.quality.nightly_recompute", timedelta(hours=24), queue="reports",
             at=time(1, 0)),
    # 06:00 UTC, before the working day: leads whose contact review (K1) lapses within a month get a reminder.
    Periodic("contact_review_reminders", "workers.quality.contact_review_reminders", timedelta(hours=24),
             at=time(6, 0)),
    # 02:00 UTC: the AVG retention periods (closed requests after seven years, outbox rows after 90 days).
    Periodic("privacy_retention", "workers.privacy.apply_retention", timedelta(hours=24), queue="reports",
             at=time(2, 0)),
)


def ensure_tasks(now: datetime) -> None:
    """Create the missing schedule rows; schedulers starting together both succeed (ON CONFLICT)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for task in PERIODIC:
        first = now if task.at is None else task.next_slot(now)
        db.session.execute(insert(PeriodicTask).values(name=task.name, next_run_at=first)
                           .on_conflict_do_nothing(index_elements=[PeriodicTask.name]))
    commit()


def claim(task: Periodic, now: datetime) -> bool:
    """Take this slot if it is due and nobody else took it (exactly one claimant wins), and start its job.

    The job is an outbox row written in the claim's transaction: a slot taken while Redis is away is not lost
    (the row waits, pending, for the next tick's dispatch_due), and a slot is never taken without its job.
    """
    result = db.session.execute(
        update(PeriodicTask)
        .where(PeriodicTask.name == task.name, PeriodicTask.next_run_at <= now)
        .values(next_run_at=task.next_slot(now), last_run_at=now, last_job=task.job)
        .execution_options(synchronize_session=False))
    claimed = result.rowcount == 1
    if claimed:
        outbox.add_job(task.job, key=f"periodic:{task.name}:{now:%Y%m%d%H%M%S}", queue=task.queue)
    commit()
    return claimed


def run_due(now: datetime | None = None) -> list[str]:
    """One scheduler tick: start every periodic job whose slot is due, dispatch due outbox rows. Never stopped
    by Redis being away (the jobs wait in the outbox); `flask scheduler` ticks every 10 seconds (at most 60),
    so what waited goes out within that after Redis returns."""
    now = now or utcnow()
    ensure_tasks(now)
    started = [task.name for task in PERIODIC if claim(task, now)]
    outbox.dispatch_due(now)
    return started
