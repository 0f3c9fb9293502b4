"""Club register jobs: store a confirmed CSV import of a loket's clubs."""
from workers import ensure_app_context


@ensure_app_context
def run_import(import_id: int) -> str | None:
    """Store a confirmed club import in batches (idempotent: a done or failed import is left alone).

    Side effects: creates and updates clubs, one commit per batch with the import's progress. Returns its state.
    """
    from loket.services.network import club_import

    result = club_import.run(import_id)
    return result.state if result else None
