"""Only the loket's team lead changes its public details; a review counts for K1 for the set's number of days."""
from datetime import date, datetime, timedelta

import pytest

from loket.services.errors import Forbidden
from loket.services.network import loketten
from loket.services.quality import audits


def test_only_the_lead_may_change_the_public_details(network):
    with pytest.raises(Forbidden):
        loketten.update_public_details(network.loket_utrecht, actor=network.ondersteuner, details={}, reviewed=True)
    assert network.loket_utrecht.contact_reviewed_at is None


def test_a_review_counts_for_k1_for_the_criterions_days(lead, network):
    loketten.update_public_details(network.loket_utrecht, actor=lead, details={"phone": "030 1"}, reviewed=True,
                                   now=datetime(2026, 11, 30, 23, 30))  # 1 December in the Netherlands
    lapses = audits.k1_lapses_on(network.loket_utrecht, today=date(2026, 12, 1))
    assert lapses == date(2026, 12, 1) + timedelta(days=183)
    assert audits.k1_lapses_on(network.loket_eemland, today=date(2026, 12, 1)) is None  # never reviewed
