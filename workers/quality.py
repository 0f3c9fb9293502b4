"""Quality jobs: compute a requested run of the metric criteria; request one every night."""
from workers import ensure_app_context


@ensure_app_context
def recompute_quality(run_id: int, as_of: str | None = None) -> str | None:
    """Compute a queued quality run (idempotent: a done, failed or busy run is left alone).

    Side effects: upserts the month's measurements and commits per criterion. Returns the run's state.
    """
    from loket.services.quality import runs

    run = runs.recompute(run_id, as_of=as_of)
    return run.state if run else None


@ensure_app_context
def nightly_recompute() -> int:
    """The scheduler's nightly slot: request a run (row + outbox job, one commit). Returns the run id.

    Requesting, not computing: the run goes through the outbox like one started from the web, so the
    computation happens once, on the 'reports' queue (or inline without Redis).
    """
    from loket.services.quality import runs

    return runs.request_recompute().id


@ensure_app_context
def contact_review_reminders() -> int:
    """The scheduler's daily slot: remind leads whose loket's contact review (K1) lapses within a month."""
    from loket.services.quality import contact_review

    return contact_review.send_reminders()
