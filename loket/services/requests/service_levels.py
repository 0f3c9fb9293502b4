"""Which service levels apply to a team: a loket's own overrides, else the national defaults."""

from sqlalchemy import select

from loket.extensions import db
from loket.models import Referral, SupportRequest, Team
from loket.models.base import utcnow
from loket.services.messaging import notifications
from loket.services.requests import workflow
from loket.services.requests.workflow import (
    FIRST_RESPONSE_WORKDAYS,
    RESOLUTION_WORKDAYS,
    ServiceLevels,
)
from loket.services.transaction import commit


def service_levels_of(team: Team) -> ServiceLevels:
    if team.kind == "loket" and team.loket is not None:
        return ServiceLevels(
            first_response_days=team.loket.sla_first_response_days or FIRST_RESPONSE_WORKDAYS,
            resolution_days=team.loket.sla_resolution_days or RESOLUTION_WORKDAYS,
        )
    return ServiceLevels()


def sweep(now=None) -> dict:
    """Write at-risk and overdue notices for open requests (each once per deadline). Commits.

    Set-based: two indexed queries on due_at, however many requests there are.
    """
    now = now or utcnow()
    overdue = db.session.scalars(select(SupportRequest).where(workflow.overdue_condition(now))).all()
    at_risk = db.session.scalars(select(SupportRequest).where(workflow.at_risk_condition(now))).all()
    for request in overdue:
        notifications.service_level_warning(request, "sla_overdue")
    for request in at_risk:
        notifications.service_level_warning(request, "sla_at_risk")
    late_referrals = db.session.scalars(select(Referral).where(Referral.state == "voorgesteld",
                                                               Referral.due_at < now)).all()
    for referral in late_referrals:
        notifications.referral_overdue(referral)
    commit()
    return {"overdue": len(overdue), "at_risk": len(at_risk), "referrals_overdue": len(late_referrals)}
