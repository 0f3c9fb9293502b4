"""Fixtures shared by the page and API tests."""
from datetime import datetime
from types import SimpleNamespace

import pytest

from loket.extensions import db as _db
from loket.services.seed.categories import seed_categories
from loket.services.seed.criteria import seed_criteria
from tests.factories import ClubFactory, GemeenteFactory, LoketFactory, make_user
from tests.support.quality import (
    LAST_MONTH,
    THIS_MONTH,
    measure_month,
    pass_audit,
    stored_request,
)


@pytest.fixture()
def lone(db):
    """The smallest network: one gemeente with one loket (measured twice, audited) and one club's request,
    and a coördinatiepunt user. `grow_lone(lone, n)` adds n loketten like it, and history and requests."""
    seed_categories()
    seed_criteria()
    gemeente = GemeenteFactory(name="Utrecht")
    network = SimpleNamespace(loket=LoketFactory(slug="utrecht", gemeenten=[gemeente]),
                              club=ClubFactory(gemeente=gemeente), coordinator=make_user("coordinatiepunt"))
    _db.session.commit()
    measure_month(network.loket, LAST_MONTH, 6)
    measure_month(network.loket, THIS_MONTH, 8)
    pass_audit(network, network.loket)
    stored_request(network.club, "overig", datetime.combine(THIS_MONTH, datetime.min.time()))
    return network
