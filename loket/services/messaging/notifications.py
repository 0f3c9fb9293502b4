"""Who is told what, and when (DESIGN events → emails). Called inside the service's transaction; each
mail becomes an outbox row keyed so that the same notice is never written twice.

Essential notices always go; optional ones respect `User.notify_optional`.
"""
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from loket.extensions import db
from loket.formatting import format_date
from loket.models import Event, Membership, Referral, RequestContact, SupportRequest, User
from loket.services.messaging import outbox
from loket.services.network.teams import members_of

ESSENTIAL = {"request_received", "public_reply", "referral_proposed", "referral_decided", "referral_overdue",
             "sla_overdue", "contact_review_reminder", "request_moved", "requests_merged"}
OPTIONAL = {"new_in_queue", "club_replied", "sla_at_risk", "satisfaction_question", "new_in_fallback",
            "registration_pending", "mentioned"}


def _notify(template: str, users, key: str, **context) -> None:
    outbox.add_emails(_emails(template, users, key, **context))


def _emails(template: str, users, key: str, **context) -> list[outbox.Email]:
    """The mails of one notice to each of `users` who can and wants to receive it (one outbox row each)."""
    assert template in ESSENTIAL | OPTIONAL, template
    return [outbox.Email(template, user.email, {**context, "user_id": user.id}, f"{key}:u{user.id}")
            for user in users
            if user.active and user.email and (template not in OPTIONAL or user.notify_optional)]


def club_users(request: SupportRequest) -> list[User]:
    """The requester and the request's other contacts (the requester of a duplicate merged into it); when none
    of them can be reached, every club contact with a login."""
    following = [request.requester] if request.requester is not None else []
    following += db.session.scalars(select(User).join(RequestContact, RequestContact.user_id == User.id)
                                    .where(RequestContact.request_id == request.id).order_by(RequestContact.id))
    return _reachable_or_club(request, following)


def _reachable_or_club(request: SupportRequest, following: list[User]) -> list[User]:
    reachable = [user for user in following if user.active and request.club_id in user.club_ids]
    if reachable:
        return reachable
    # Names and addresses only: these users' own memberships are not read (lazyload: loaded only if asked).
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.role == "club", Membership.club_id == request.club_id, User.active)
        .options(lazyload(User.memberships))))


def request_filed(request: SupportRequest) -> None:
    """The club's confirmation and the owning team's notice of a request just filed: one outbox INSERT.

    A request just filed has no contacts besides its requester (others join only by merging, later), so
    the club's recipients are read without asking for them."""
    following = [request.requester] if request.requester is not None else []
    emails = _emails("request_received", _reachable_or_club(request, following), f"received:r{request.id}",
                     request_id=request.id)
    # Who works the queue, by name and address only (their own memberships are not read).
    team = members_of(request.owner_team, memberships=False)
    if request.owner_team.kind == "fallback":
        # The coördinatiepunt sees metadata only: the template shows reference, gemeente and category.
        emails += _emails("new_in_fallback", team, f"fallback:r{request.id}", request_id=request.id)
    else:
        # A supporter who filed it for the club already knows it is there.
        emails += _emails("new_in_queue", [u for u in team if u.id != request.filed_by_id],
                          f"queued:r{request.id}:t{request.owner_team_id}", request_id=request.id)
    outbox.add_emails(emails)


def request_moved(request: SupportRequest, team_members: list[User] | None = None) -> None:
    """The club's request moved to another team because its gemeente has a (new) loket: the club is told
    where it is now, and the new team that it arrived. `team_members`: the new team's members, when the caller
    moves many requests to one team and has read them once."""
    _notify("request_moved", club_users(request), f"moved:r{request.id}:t{request.owner_team_id}",
            request_id=request.id)
    members = members_of(request.owner_team) if team_members is None else team_members
    _notify("new_in_queue", members, f"queued:r{request.id}:t{request.owner_team_id}", request_id=request.id)


def requests_merged(target: SupportRequest, duplicate: SupportRequest) -> None:
    """The club is told once that its duplicate now lives on in `target` (called after the contacts moved over,
    so the duplicate's requester is among the target's)."""
    _notify("requests_merged", club_users(target), f"merged:r{duplicate.id}", request_id=target.id,
            duplicate_reference=duplicate.reference)


def message_posted(request: SupportRequest, event: Event, *, by_supporter: bool) -> None:
    if event.kind != "public_reply":
        return
    if by_supporter:
        _notify("public_reply", club_users(request), f"reply:e{event.id}", request_id=request.id, event_id=event.id)
    elif request.owner_team.kind != "fallback":  # the coördinatiepunt never receives contents
        recipients = [request.assignee] if request.assignee else members_of(request.owner_team)
        _notify("club_replied", [u for u in recipients if u is not None and u.id != event.actor_id],
                f"clubreply:e{event.id}", request_id=request.id, event_id=event.id)


def mentioned(event: Event, users: list[User]) -> None:
    """Colleagues named with @ in an internal note (requests.mentions checked they may read the request): once
    per note and person. The mail names the request, who wrote the note and the note, for its readers only."""
    _notify("mentioned", users, f"mention:e{event.id}", request_id=event.request_id, event_id=event.id)


def referral_proposed(referral: Referral) -> None:
    _notify("referral_proposed", members_of(referral.to_team), f"refprop:f{referral.id}",
            request_id=referral.request_id, referral_id=referral.id)


def referral_decided(referral: Referral) -> None:
    recipients = [referral.proposed_by] if referral.proposed_by else members_of(referral.from_team)
    _notify("referral_decided", [u for u in recipients if u is not None], f"refdec:f{referral.id}",
            request_id=referral.request_id, referral_id=referral.id)


def request_resolved(request: SupportRequest) -> None:
    stamp = request.resolved_at.strftime("%Y%m%d%H%M%S") if request.resolved_at else "x"
    _notify("satisfaction_question", club_users(request), f"satisfaction:r{request.id}:{stamp}",
            request_id=request.id)


def referral_overdue(referral: Referral) -> None:
    """An undecided referral past its 3 werkdagen escalates to the sender (DESIGN §4), once."""
    recipients = [referral.proposed_by] if referral.proposed_by else members_of(referral.from_team)
    _notify("referral_overdue", [u for u in recipients if u is not None], f"refoverdue:f{referral.id}",
            request_id=referral.request_id, referral_id=referral.id)


def service_level_warning(request: SupportRequest, kind: str) -> None:
    """kind: 'sla_at_risk' or 'sla_overdue'; once per request, kind and deadline. Not for the fallback
    queue: the coördinatiepunt sees its deadlines on the queue page, and mails would carry contents."""
    if request.owner_team.kind == "fallback":
        return
    recipients = [request.assignee] if request.assignee else members_of(request.owner_team)
    stamp = request.due_at.strftime("%Y%m%d%H%M") if request.due_at else "x"
    _notify(kind, [u for u in recipients if u is not None], f"{kind}:r{request.id}:{stamp}", request_id=request.id)


def registration_pending(registration_id: int, team, **context) -> None:
    """A confirmed aanmelding waits for the team that decides it: the loket of the club's gemeente, or the
    coördinatiepunt (the fallback team) where that gemeente has no operational loket. The context holds only
    what the coördinatiepunt may see too (club name, gemeente, kind, the link), never the person's details."""
    _notify("registration_pending", members_of(team), f"regpending:g{registration_id}", **context)


def contact_review_due(loket, leads: list[User], *, link_path: str, lapses_on) -> None:
    """Remind the loket's leads to check its public details before K1 lapses: once per review (the key holds
    the review's moment, so a daily run writes nothing new until the next review)."""
    _notify("contact_review_reminder", leads,
            f"contact-review:l{loket.id}:{loket.contact_reviewed_at:%Y%m%d%H%M%S}", loket_name=loket.name,
            link_path=link_path, lapses_on_text=format_date(lapses_on))
