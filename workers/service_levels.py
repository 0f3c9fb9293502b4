"""Service-level sweep: warn teams about requests whose deadline is near or past."""
from workers import ensure_app_context


@ensure_app_context
def sweep_service_levels() -> dict:
    from loket.services.requests import service_levels

    return service_levels.sweep()
