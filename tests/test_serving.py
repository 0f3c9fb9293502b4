"""A serving process keeps its long-lived objects out of the garbage collector's full collections
(loket/serving.py): frozen when it starts, and once more when it is warm."""
import gc

from config import TestingConfig
from loket import create_app
from loket.serving import keep_long_lived_objects_out_of_collections


def test_objects_are_frozen_at_start_and_once_more_after_the_warm_up_requests(db):
    app = create_app(TestingConfig)
    try:
        keep_long_lived_objects_out_of_collections(app, warm_after=3)
        at_start = gc.get_freeze_count()
        assert at_start > 0
        client = app.test_client()
        kept = []
        for _ in range(2):
            assert client.get("/").status_code == 200
            kept.append([[] for _ in range(1000)])  # new, tracked and alive: not frozen yet
        # Frozen objects that are freed leave the count; none joins it before the warm-up ends.
        assert gc.get_freeze_count() <= at_start
        before = gc.get_freeze_count()
        client.get("/")
        warm = gc.get_freeze_count()
        assert warm >= before + 2 * 1000
        client.get("/")
        kept.append([[] for _ in range(1000)])
        client.get("/")  # frozen only once
        assert gc.get_freeze_count() <= warm
    finally:
        gc.unfreeze()
