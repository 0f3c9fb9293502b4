"""Requests that follow their club's gemeente: when a gemeente gets an operational loket (or moves to another
one), the open requests waiting for it move to that loket's team, so none is stranded in the fallback queue
or at a loket that no longer serves the club.

Called by the network's life cycle (services/network) inside its transaction; never commits.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import OPEN_STATUSES, Club, Referral, SupportRequest, Team, User
from loket.services.messaging import notifications
from loket.services.network.teams import members_of
from loket.services.requests import actions, workflow
from loket.services.requests.service_levels import service_levels_of


def relocate_open_requests(gemeente_ids: list[int], *, from_team_ids: list[int], to_team: Team,
                           actor: User | None, now: datetime, note: str) -> list[SupportRequest]:
    """Move every open request of a club in `gemeente_ids` that is owned by one of `from_team_ids` to
    `to_team`, in the caller's transaction.

    Per request: an open referral proposed by the old owner is withdrawn (the new owner decides afresh), the
    assignee is cleared (they work elsewhere), the new owner's service levels apply from now on (a first
    response already given stays given), an internal 'moved' event says why (`note`), and the club is told
    where its request is now. Returns the moved requests (three queries plus the writes and one per club for its mail).
    """
    if not gemeente_ids or not from_team_ids:
        return []
    from_team_ids = [team_id for team_id in from_team_ids if team_id != to_team.id]
    moved = list(db.session.scalars(
        select(SupportRequest).join(Club, Club.id == SupportRequest.club_id)
        .where(Club.gemeente_id.in_(gemeente_ids), SupportRequest.owner_team_id.in_(from_team_ids),
               SupportRequest.status.in_(OPEN_STATUSES))
        .options(selectinload(SupportRequest.open_referral),
                 selectinload(SupportRequest.requester).selectinload(User.memberships))
        .order_by(SupportRequest.id)))
    for request in moved:
        from_team = request.owner_team
        referral: Referral | None = request.open_referral
        if referral is not None and referral.from_team_id == from_team.id:
            referral.state, referral.decided_by, referral.decided_at = "ingetrokken", actor, now
            actions.add_event(request, "referral_withdrawn", actor, now,
                              body="Ingetrokken: de gemeente van de club heeft nu een ander loket.",
                              data={"from_team_id": from_team.id, "from_team": from_team.name,
                                    "to_team_id": referral.to_team_id, "to_team": referral.to_team.name})
            # Doorverwezen → nieuw, as when a referral is accepted: nobody at the new team works it yet.
            actions.change_status_in_transaction(request, "nieuw", actor, now, system=True)
        request.owner_team = to_team
        request.assignee = None
        actions.add_event(request, "moved", actor, now, body=note,
                          data={"from_team_id": from_team.id, "from_team": from_team.name,
                                "to_team_id": to_team.id, "to_team": to_team.name})
        workflow.restart_clock_for_new_owner(request, now, service_levels_of(to_team))
    db.session.flush()
    members = members_of(to_team) if moved else []  # one read for all the moved requests
    for request in moved:
        notifications.request_moved(request, members)
    return moved
