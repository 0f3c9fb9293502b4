"""Criterion K1 (contact details and opening hours checked): until when a loket's last review counts, and the
reminder its leads get a month before it lapses (daily, from the scheduler; once per review)."""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from loket.extensions import db
from loket.models import Loket
from loket.models.base import day_in_amsterdam, today_in_amsterdam, utcnow
from loket.services.messaging import notifications
from loket.services.messaging.mail import site_path
from loket.services.network.teams import leads_of
from loket.services.quality.criteria import current_set
from loket.services.transaction import commit

METRIC = "contact_reviewed_days"
# Five months after a review (a month before the seed set's 183 days run out) the leads are reminded.
REMINDER_AFTER = timedelta(days=152)


def k1_lapses_on(loket: Loket, today: date | None = None, *, criteria_set=None) -> date | None:
    """The last day the loket's contact review still counts for the reviewed-contact criterion (K1) of the
    current set (or `criteria_set`, read once by a caller looking at many loketten): the review day plus its
    number of days. None without a review or without such a criterion."""
    criteria_set = criteria_set or current_set(today or today_in_amsterdam())
    criterion = next((c for c in (criteria_set.criteria if criteria_set else [])
                      if c.metric == METRIC and c.threshold is not None), None)
    if loket.contact_reviewed_at is None or criterion is None:
        return None
    return day_in_amsterdam(loket.contact_reviewed_at) + timedelta(days=int(criterion.threshold))


def send_reminders(now: datetime | None = None) -> int:
    """Remind the leads of every loket whose last review is older than REMINDER_AFTER and still counts for K1.
    Returns how many loketten are due (a reminder already written for the same review is not written again:
    the outbox ignores its key). Three queries, then the mails; commits."""
    now = now or utcnow()
    today = day_in_amsterdam(now)
    due = list(db.session.scalars(
        select(Loket).where(Loket.contact_reviewed_at.is_not(None),
                            Loket.contact_reviewed_at <= now - REMINDER_AFTER).order_by(Loket.id)))
    leads = leads_of([loket.id for loket in due])
    criteria_set = current_set(today)
    reminded = 0
    for loket in due:
        lapses_on = k1_lapses_on(loket, today=today, criteria_set=criteria_set)
        if lapses_on is None or lapses_on < today or not leads.get(loket.id):
            continue
        notifications.contact_review_due(loket, leads[loket.id], lapses_on=lapses_on,
                                         link_path=site_path("kwaliteit.public_details", loket_id=loket.id))
        reminded += 1
    commit()
    return reminded
