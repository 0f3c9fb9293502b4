"""The newest measurements of each loket (voldoet.newest_measurements): what the verdicts and the overview's trend
read, in one query that reads two measurements per loket and criterion however many months are stored
(PostgreSQL: a LATERAL on the measurements' unique index; SQLite: a window). Checked against the plain definition
on an irregular history, and the overview pages' statement counts on a longer history (issue #15 point 3)."""
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Measurement
from loket.services.quality import criteria as criteria_service
from loket.services.quality import voldoet
from loket.services.quality.criteria import current_set
from tests.factories import LoketFactory, MeasurementFactory
from tests.support.db import count_queries
from tests.support.quality import extend_network, measure_month, months_back, pass_audit

NOV, DEC, JAN = date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)
FEB, MAR, APR = date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)
TODAY = date(2026, 6, 15)


def _plain(loket_ids, criteria_set):
    """The definition, from every stored row: per criterion its newest month's verdict; per loket its two
    newest measured months with the number of metric criteria passing in each."""
    metric = {c.id: c.code for c in criteria_set.criteria if c.kind == "metric"}
    rows = _db.session.execute(select(Measurement.loket_id, Measurement.criterion_id, Measurement.period,
                                      Measurement.passed)
                               .where(Measurement.loket_id.in_(loket_ids), Measurement.criterion_id.in_(metric)))
    newest, passing = defaultdict(dict), defaultdict(lambda: defaultdict(int))
    for loket_id, criterion_id, period, passed in rows:
        code = metric[criterion_id]
        if code not in newest[loket_id] or period > newest[loket_id][code][0]:
            newest[loket_id][code] = (period, passed)
        passing[loket_id][period] += passed is True
    months = {loket_id: [voldoet.Month(p, counts[p]) for p in sorted(counts, reverse=True)[:2]]
              for loket_id, counts in passing.items()}
    return voldoet.Measured({loket_id: {code: passed for code, (_, passed) in codes.items()}
                             for loket_id, codes in newest.items()}, months)


def _measure(loket, code, period, passed, version="2026.1"):
    MeasurementFactory(loket=loket, code=code, version=version, period=period, passed=passed)


def test_the_newest_measurements_follow_the_definition_on_an_irregular_history(network, db):
    uneven, late, failing, never = (LoketFactory() for _ in range(4))
    # criteria last measured in different months; a month where nothing is measurable
    for code, period, passed in [("K1", JAN, True), ("K1", FEB, False), ("K1", MAR, True), ("K2", JAN, True),
                                 ("K3", FEB, None), ("K3", MAR, None), ("K4", MAR, False), ("K5", DEC, True)]:
        _measure(uneven, code, period, passed)
    _measure(late, "K1", MAR, True)  # its two months: March, and December of the year before
    _measure(late, "K2", DEC, True)
    _measure(late, "K2", NOV, False)  # an older month of K2, not among the newest two
    _measure(failing, "K1", FEB, False)  # months in which nothing passes still count as measured
    _measure(failing, "K1", MAR, False)
    db.session.commit()
    specs = criteria_service.specs_of(current_set(TODAY))
    newer = criteria_service.publish_set(version="2027.1", valid_from=date(2027, 1, 1), criteria=specs,
                                         actor=network.coordinator)
    _measure(uneven, "K1", APR, False, version=newer.version)  # another version's criterion: never counted
    db.session.commit()

    ids = [loket.id for loket in (uneven, late, failing, never)]
    criteria_set = current_set(TODAY)
    measured = voldoet.newest_measurements(ids, criteria_set)
    assert measured == _plain(ids, criteria_set)
    assert measured.latest[uneven.id] == {"K1": True, "K2": True, "K3": None, "K4": False, "K5": True}
    assert never.id not in measured.latest
    assert measured.months[uneven.id] == [voldoet.Month(MAR, 1), voldoet.Month(FEB, 0)]
    assert measured.months[late.id] == [voldoet.Month(MAR, 1), voldoet.Month(DEC, 1)]
    assert measured.months[failing.id] == [voldoet.Month(MAR, 0), voldoet.Month(FEB, 0)]
    assert never.id not in measured.months
    verdicts = voldoet.evaluate(ids, criteria_set=criteria_set, today=TODAY)
    assert verdicts == voldoet.evaluate(ids, criteria_set=criteria_set, today=TODAY, measured=measured)
    assert verdicts[uneven.id].criteria["K1"] is True and verdicts[uneven.id].criteria["K4"] is False


def test_nothing_to_read_without_loketten_or_criteria(network):
    assert voldoet.newest_measurements([], current_set(TODAY)) == voldoet.Measured({}, {})
    assert voldoet.newest_measurements([network.loket_utrecht.id], None) == voldoet.Measured({}, {})


@pytest.mark.parametrize("path", ["/overzicht/", "/overzicht/loketten/utrecht"])
def test_the_overview_pages_send_as_many_statements_on_a_longer_history(app, network, login_as, path):
    extend_network(network)
    for loket in (network.loket_utrecht, network.loket_eemland, network.loket_arnhem):
        measure_month(loket, months_back(1), 5)
        measure_month(loket, months_back(0), 6)
        pass_audit(network, loket)
    client = login_as("coordinator")

    def counted():
        assert client.get(path).status_code == 200
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        return list(statements)

    short = counted()
    for months in range(2, 14):  # a year more of history for every loket
        for loket in (network.loket_utrecht, network.loket_eemland, network.loket_arnhem):
            measure_month(loket, months_back(months), months % 8)
    long = counted()
    assert len(long) == len(short) <= 10, "\n".join(long)
