"""What a long-running web process (gunicorn's workers, the benchmark's) does with Python's garbage collector.

Everything made while starting (modules, the app) and while warming up (compiled templates, SQLAlchemy's
statement cache, prepared routes) lives as long as the process. Left to the collector, each full collection
walks all of it: a pause of 12-17 ms every few dozen pages of the busiest ones, measured with `make bench`.
Frozen (`gc.freeze()`), those objects are never walked again; what a page makes and drops is collected as before.
"""
import gc
import itertools

WARM_AFTER_REQUESTS = 200  # by then every page a worker commonly serves has been rendered once


def keep_long_lived_objects_out_of_collections(app, *, warm_after: int = WARM_AFTER_REQUESTS) -> None:
    """Freeze what exists now, and once more after the process's first `warm_after` requests."""
    gc.freeze()
    served = itertools.count(1)

    @app.teardown_request
    def freeze_once_warm(_error=None):
        if next(served) == warm_after:
            gc.freeze()
