"""The verdict log: a row whenever a loket starts or stops meeting the criteria, written by quality runs and
final audits, and read back as "what changed since a moment"."""
from datetime import timedelta

from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import VerdictChange
from loket.models.base import utcnow
from loket.services.quality import audits, runs, verdict_log
from tests.support.db import count_queries
from tests.support.quality import NOVEMBER, measure_month, pass_audit


def _log():
    return sorted((row.loket_id, row.voldoet) for row in _db.session.scalars(select(VerdictChange)))


def test_the_first_record_notes_every_loket_and_a_second_adds_nothing(quality):
    assert verdict_log.record_verdicts() == 4
    _db.session.commit()
    assert _log() == sorted([(quality.loket_utrecht.id, True), (quality.loket_eemland.id, False),
                             (quality.loket_bunnik.id, False), (quality.loket_arnhem.id, False)])
    assert verdict_log.record_verdicts() == 0


def test_a_change_of_verdict_adds_one_row(quality):
    verdict_log.record_verdicts(utcnow() - timedelta(days=1))
    _db.session.commit()
    measure_month(quality.loket_eemland, NOVEMBER.replace(month=12), 8)
    pass_audit(quality, quality.loket_eemland)

    assert verdict_log.record_verdicts() == 1
    _db.session.commit()
    assert verdict_log.verdicts_at(utcnow())[quality.loket_eemland.id] is True
    assert verdict_log.verdicts_at(utcnow() - timedelta(hours=1))[quality.loket_eemland.id] is False


def test_verdicts_at_reads_the_last_entry_at_or_before_the_moment(app, quality):
    now = utcnow()
    loket = quality.loket_bunnik.id
    _db.session.add_all([VerdictChange(loket_id=loket, voldoet=True, changed_at=now - timedelta(days=10)),
                         VerdictChange(loket_id=loket, voldoet=False, changed_at=now - timedelta(days=3))])
    _db.session.commit()
    assert verdict_log.verdicts_at(now - timedelta(days=11)) == {}
    assert verdict_log.verdicts_at(now - timedelta(days=7)) == {loket: True}
    assert verdict_log.verdicts_at(now) == {loket: False}
    with count_queries(app) as queries:
        verdict_log.verdicts_at(now)
    assert len(queries) == 1


def test_moves_since_compares_with_the_recorded_verdicts(quality):
    now = utcnow()
    week_ago = now - timedelta(days=7)
    assert verdict_log.moves_since(week_ago, {1: True}).compared is False  # nothing recorded yet
    utrecht, eemland, bunnik = quality.loket_utrecht.id, quality.loket_eemland.id, quality.loket_bunnik.id
    _db.session.add_all([VerdictChange(loket_id=utrecht, voldoet=False, changed_at=now - timedelta(days=9)),
                         VerdictChange(loket_id=eemland, voldoet=True, changed_at=now - timedelta(days=9)),
                         VerdictChange(loket_id=bunnik, voldoet=True, changed_at=now - timedelta(days=9))])
    _db.session.commit()

    moves = verdict_log.moves_since(week_ago, {utrecht: True, eemland: False, bunnik: True,
                                               quality.loket_arnhem.id: True})

    assert moves.compared
    assert moves.started == {utrecht, quality.loket_arnhem.id}  # arnhem: no verdict a week ago (new since)
    assert moves.stopped == {eemland}


def test_a_quality_run_records_the_verdicts_it_moves(quality):
    assert _log() == []
    run = runs.recompute_now()
    assert run.state == "done"
    recorded = {loket_id for loket_id, _ in _log()}
    assert recorded == {quality.loket_utrecht.id, quality.loket_eemland.id, quality.loket_bunnik.id,
                        quality.loket_arnhem.id}


def test_finalizing_an_audit_records_the_verdicts(quality):
    audit = audits.start_audit(quality.loket_eemland.id, actor=quality.coordinator, kind="audit")
    assert _log() == []
    audit.verdict = "negatief"
    for finding in audit.findings:
        finding.result = "fail" if finding.criterion.kind == "assessment" else finding.result
    audits.finalize(audit, actor=quality.coordinator)
    assert len(_log()) == 4
