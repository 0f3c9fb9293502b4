"""The nightly AVG retention run: texts of long-closed requests and recipients of old outbox rows go."""
from workers import ensure_app_context


@ensure_app_context
def apply_retention() -> dict[str, int]:
    """Side effects: anonymises in batches, one commit per batch (services/privacy/retention.py)."""
    from loket.services.privacy import retention

    return retention.apply_retention()
