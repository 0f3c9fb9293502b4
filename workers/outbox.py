"""Outbox jobs: deliver one row; move due rows to the queues."""
from workers import ensure_app_context


@ensure_app_context
def deliver_outbox_message(outbox_id: int) -> str | None:
    """Deliver one outbox row (idempotent: a sent or failed row is left alone)."""
    from loket.services.messaging import outbox

    return outbox.deliver(outbox_id)


@ensure_app_context
def dispatch_due_outbox() -> int:
    from loket.services.messaging import outbox

    return outbox.dispatch_due()
