"""The history of each loket's verdict (voldoet or not): one row per change, so the coördinatiepunt can see
which loketten started or stopped meeting the criteria since a given moment. Measurements are recomputed in
place per month, so the verdict of last week cannot be derived afterwards; it is recorded when it may move.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Loket, VerdictChange
from loket.models.base import day_in_amsterdam, utcnow
from loket.services.quality.voldoet import evaluate


def record_verdicts(now: datetime | None = None) -> int:
    """Add a VerdictChange for every loket whose verdict differs from its last recorded one (or has none).

    Call it inside the transaction that may move a verdict (the end of a quality run, a final audit), before
    its commit: the caller commits. A criteria version coming into force is caught by the nightly run.
    Returns the number of rows added.
    A fixed number of queries (the verdicts, the last entries), however many loketten.
    """
    now = now or utcnow()
    db.session.flush()
    loket_ids = list(db.session.scalars(select(Loket.id)))
    verdicts = evaluate(loket_ids, today=day_in_amsterdam(now))
    last = verdicts_at(now)
    added = [VerdictChange(loket_id=loket_id, voldoet=quality.voldoet, changed_at=now)
             for loket_id, quality in verdicts.items() if last.get(loket_id) != quality.voldoet]
    db.session.add_all(added)
    return len(added)


def verdicts_at(moment: datetime) -> dict[int, bool]:
    """loket id → whether it voldeed at `moment`, by the last entry at or before it (loketten without one
    are left out). One query."""
    ranked = (select(VerdictChange.loket_id, VerdictChange.voldoet,
                     func.row_number().over(partition_by=VerdictChange.loket_id,
                                            order_by=(VerdictChange.changed_at.desc(), VerdictChange.id.desc()))
                     .label("rank"))
              .where(VerdictChange.changed_at <= moment).subquery())
    return dict(db.session.execute(select(ranked.c.loket_id, ranked.c.voldoet).where(ranked.c.rank == 1)).all())


@dataclass(frozen=True)
class VerdictMoves:
    started: set[int]  # loket ids meeting the criteria now that did not at `since`
    stopped: set[int]  # loket ids no longer meeting the criteria that did at `since`
    compared: bool  # False when nothing was recorded yet at `since`: there is nothing to compare with


def moves_since(since: datetime, now_voldoet: dict[int, bool]) -> VerdictMoves:
    """Compare the verdicts now (as evaluated by the caller, e.g. the national overview) with those recorded
    at `since`. A loket without a recorded verdict then (new since) is compared as not meeting them."""
    before = verdicts_at(since)
    if not before:
        return VerdictMoves(set(), set(), compared=False)
    return VerdictMoves(
        started={i for i, voldoet in now_voldoet.items() if voldoet and not before.get(i, False)},
        stopped={i for i, voldoet in now_voldoet.items() if not voldoet and before.get(i, False)},
        compared=True)
