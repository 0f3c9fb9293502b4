"""Quality data as the overview sees it: an extended network, monthly measurements, final audits and stored
request rows (the service, page and API tests of the national overview share these)."""
from datetime import date, datetime

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.services.quality.criteria import current_set
from tests.factories import (
    AuditFactory,
    ClubFactory,
    GemeenteFactory,
    LoketFactory,
    MeasurementFactory,
    SupportRequestFactory,
)
from tests.support.lookups import METRIC_CODES

SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def months_back(count: int) -> date:
    """The first day of the month `count` months before this one (pages use the real date)."""
    now = utcnow()
    index = now.year * 12 + now.month - 1 - count
    return datetime(index // 12, index % 12 + 1, 1).date()


THIS_MONTH, LAST_MONTH = months_back(0), months_back(1)


def extend_network(network):
    """Two Gelderland gemeenten: Barneveld joins Eemland; Arnhem gets its own operational loket that is not
    aangehaakt. The network then has 7 gemeenten (5 covered by an operational loket), 4 loketten."""
    network.barneveld = GemeenteFactory(code="GM0203", name="Barneveld", province="Gelderland",
                                        loket=network.loket_eemland)
    network.arnhem = GemeenteFactory(code="GM0202", name="Arnhem", province="Gelderland")
    network.loket_arnhem = LoketFactory(name="Sportloket Arnhem", slug="arnhem", aangehaakt=False,
                                        gemeenten=[network.arnhem])
    _db.session.commit()
    return network


def measure_month(loket, period, passing, *, values=None, details=None, criteria_set=None):
    """One Measurement per metric criterion of the current set: the codes in `passing` (or the first
    `passing` codes when it is a number) pass, the others fail."""
    criteria_set = criteria_set or current_set()
    if isinstance(passing, int):
        passing = METRIC_CODES[:passing]
    for criterion in criteria_set.criteria:
        if criterion.kind == "metric":
            MeasurementFactory(loket=loket, criterion=criterion, period=period,
                               value=(values or {}).get(criterion.code, 1.0), passed=criterion.code in passing,
                               details=(details or {}).get(criterion.code, {}))
    _db.session.commit()


def pass_audit(network, loket, *, audit_date=OCTOBER, verdict="positief"):
    """A final audit of the current set by the coördinatiepunt: every assessment criterion passes."""
    criteria_set = current_set()
    audit = AuditFactory(loket=loket, criteria_set=criteria_set, author=network.coordinator,
                         audit_date=audit_date, verdict=verdict, assessed_only=True,
                         results={c.code: "pass" for c in criteria_set.criteria if c.kind == "assessment"})
    _db.session.commit()
    return audit


def quality_history(network):
    """utrecht: 6 → 8 passing (beter) and a positive audit: voldoet. eemland: 5 → 3 (slechter).
    bunnik: 8 in September, then 2 → 2 (gelijk). arnhem: one month only (no trend)."""
    measure_month(network.loket_utrecht, OCTOBER, 6)
    measure_month(network.loket_utrecht, NOVEMBER, 8)
    pass_audit(network, network.loket_utrecht)
    measure_month(network.loket_eemland, OCTOBER, 5)
    measure_month(network.loket_eemland, NOVEMBER, 3)
    measure_month(network.loket_bunnik, SEPTEMBER, 8)
    measure_month(network.loket_bunnik, OCTOBER, 2)
    measure_month(network.loket_bunnik, NOVEMBER, 2)
    measure_month(network.loket_arnhem, NOVEMBER, 4)


def stored_request(club, category_slug, created_at, *, title="Vraag", description="Tekst"):
    """A request row as it is stored, committed (aggregates only care about club, category and created_at)."""
    request = SupportRequestFactory(club=club, category_slug=category_slug, created_at=created_at, title=title,
                                    description=description)
    _db.session.commit()
    return request


def measured_loket(network, previous, latest):
    """A new loket in a Zeeland gemeente: 3 criteria passing in `previous`, 4 in `latest`, a positive audit."""
    loket = LoketFactory(gemeenten=[GemeenteFactory(province="Zeeland")])
    measure_month(loket, previous, 3)
    measure_month(loket, latest, 4)
    pass_audit(network, loket)
    return loket


def grow_lone(network, count):
    """`count` more loketten like the `lone` fixture's, with a longer history and requests to draw."""
    for i in range(count):
        loket = measured_loket(network, LAST_MONTH, THIS_MONTH)
        measure_month(network.loket, months_back(2 + i), 5)  # a longer history to draw
        stored_request(ClubFactory(gemeente=loket.gemeenten[0]), "overig",
                       datetime.combine(months_back(i), datetime.min.time()))
