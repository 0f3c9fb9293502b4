"""The job `workers.clubs.run_import`: queued through the outbox when an import is confirmed, it stores the rows
in batches, one commit each, counting processed_rows so the page can show progress; it is idempotent."""
import io

import pytest

from loket.extensions import db as _db
from loket.models import Club, ClubImport, Loket, OutboxMessage
from loket.services.messaging import outbox
from loket.services.network import club_import
from tests.support.db import count_rows
from workers import clubs as club_jobs

ROWS = 7


@pytest.fixture()
def queued(app, network, monkeypatch):
    """An import of ROWS clubs, confirmed while jobs go to a (missing) queue: its outbox row waits."""
    stream = io.BytesIO(("naam;soort;gemeentecode;sporten;kvk\n" + "".join(
        f"Club {i};vereniging;GM0344;voetbal;{10000000 + i}\n" for i in range(ROWS))).encode())
    preview = club_import.preview(network.loket_utrecht, actor=network.ondersteuner, filename="clubs.csv",
                                  stream=stream)
    monkeypatch.setattr(outbox, "dispatch", lambda ids: None)  # no worker: the job is left for the test to run
    return club_import.confirm(preview, actor=network.ondersteuner)


def test_confirming_queues_one_outbox_job_and_stores_nothing_yet(queued):
    assert queued.state == "queued" and queued.processed_rows == 0
    job = _db.session.scalar(_db.select(OutboxMessage).where(OutboxMessage.kind == "job"))
    assert (job.name, job.payload, job.status) == ("workers.clubs.run_import", {"args": [queued.id]}, "pending")
    assert count_rows(Club, Club.name.like("Club %")) == 0


def test_the_job_stores_the_rows_in_batches_and_reports_progress_after_each(queued, monkeypatch):
    monkeypatch.setattr(club_import, "BATCH_SIZE", 3)
    progress = []
    real_commit = club_import.commit

    def commit_and_look():
        real_commit()
        row = _db.session.get(ClubImport, queued.id)
        progress.append((row.state, row.processed_rows, row.created_count))

    monkeypatch.setattr(club_import, "commit", commit_and_look)
    assert club_jobs.run_import(queued.id) == "done"
    assert progress == [("running", 0, 0), ("running", 3, 3), ("running", 6, 6), ("running", 7, 7),
                        ("done", 7, 7)]
    assert count_rows(Club, Club.name.like("Club %")) == ROWS


def test_a_step_stores_one_batch_and_says_whether_more_remain(queued):
    _db.session.get(ClubImport, queued.id).state = "running"
    _db.session.commit()
    matcher = club_import._Matcher(_db.session.get(Loket, queued.loket_id))
    assert club_import.store_batch(queued.id, matcher, batch_size=5) is True
    assert (_db.session.get(ClubImport, queued.id).processed_rows, count_rows(Club, Club.name.like("Club %"))) == (5, 5)
    assert club_import.store_batch(queued.id, matcher, batch_size=5) is False
    assert _db.session.get(ClubImport, queued.id).processed_rows == ROWS
    assert club_import.store_batch(queued.id, matcher, batch_size=5) is False  # nothing left: nothing stored
    assert count_rows(Club, Club.name.like("Club %")) == ROWS


def test_an_interrupted_run_continues_where_it_stopped_without_doubling(queued):
    import_row = _db.session.get(ClubImport, queued.id)
    import_row.state = "running"
    _db.session.commit()
    club_import.store_batch(queued.id, club_import._Matcher(_db.session.get(Loket, queued.loket_id)), batch_size=4)
    # the worker died here; the outbox hands the job out again
    assert club_jobs.run_import(queued.id) == "done"
    done = _db.session.get(ClubImport, queued.id)
    assert (done.processed_rows, done.created_count, done.updated_count) == (ROWS, ROWS, 0)
    assert count_rows(Club, Club.name.like("Club %")) == ROWS


def test_a_done_import_is_left_alone_when_the_job_runs_again(queued):
    assert club_jobs.run_import(queued.id) == "done"
    assert club_jobs.run_import(queued.id) == "done"
    assert count_rows(Club, Club.name.like("Club %")) == ROWS
    assert club_jobs.run_import(2**31 - 1) is None


def test_an_unexpected_error_marks_the_import_failed_and_keeps_what_was_stored(queued, monkeypatch):
    calls = []
    real = club_import.store_batch

    def second_batch_breaks(import_id, matcher, *, batch_size):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(import_id, matcher, batch_size=3)

    monkeypatch.setattr(club_import, "store_batch", second_batch_breaks)
    assert club_jobs.run_import(queued.id) == "failed"
    failed = _db.session.get(ClubImport, queued.id)
    assert failed.processed_rows == 3 and failed.errors[-1]["message"] == club_import.INTERRUPTED_MESSAGE
    assert count_rows(Club, Club.name.like("Club %")) == 3
