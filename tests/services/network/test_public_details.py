"""Only the loket's team lead changes its public details; a review counts for K1 for the set's number of days."""
from datetime import date, datetime, timedelta

import pytest

from loket.services.errors import Forbidden
from loket.services.network import loketten
from loket.services.quality import contact_review


def test_only_the_lead_may_change_the_public_details(network):
    with pytest.raises(Forbidden):
        loketten.update_public_details(network.loket_utrecht, actor=network.ondersteuner, details={}, reviewed=True)
    assert network.loket_utrecht.contact_reviewed_at is None


def test_a_review_counts_for_k1_for_the_criterions_days(lead, network):
    loketten.update_public_details(network.loket_utrecht, actor=lead, details={"phone": "030 1"}, reviewed=True,
                                   now=datetime(2026, 11, 30, 23, 30))  # 1 December in the Netherlands
    lapses = contact_review.k1_lapses_on(network.loket_utrecht, today=date(2026, 12, 1))
    assert lapses == date(2026, 12, 1) + timedelta(days=183)
    assert contact_review.k1_lapses_on(network.loket_eemland, today=date(2026, 12, 1)) is None  # never reviewed


def test_leads_are_reminded_once_five_months_after_a_review(app, lead, network):
    from tests.support.mails import outbox_rows, rendered

    reviewed = datetime(2026, 6, 1, 10, 0)
    loketten.update_public_details(network.loket_utrecht, actor=lead, details={}, reviewed=True, now=reviewed)
    assert contact_review.send_reminders(now=reviewed + timedelta(days=151)) == 0  # not yet
    assert outbox_rows("contact_review_reminder") == []

    assert contact_review.send_reminders(now=reviewed + timedelta(days=152)) == 1
    [reminder] = outbox_rows("contact_review_reminder")
    assert reminder.payload["to"] == lead.email  # the lead, not the colleague
    mail = rendered(reminder)
    assert "Kijk de gegevens van Sportloket Utrecht na" in mail.subject
    assert f"/kwaliteit/ons-loket/{network.loket_utrecht.id}/gegevens" in mail.text and "1 dec 2026" in mail.text

    contact_review.send_reminders(now=reviewed + timedelta(days=153))  # the next day: nothing new
    assert len(outbox_rows("contact_review_reminder")) == 1
    assert contact_review.send_reminders(now=reviewed + timedelta(days=200)) == 0  # K1 lapsed: too late to remind


def test_the_reminder_is_a_daily_periodic_job():
    from loket.services.scheduler import PERIODIC

    task = next(t for t in PERIODIC if t.name == "contact_review_reminders")
    assert (task.job, task.every) == ("workers.quality.contact_review_reminders", timedelta(hours=24))
