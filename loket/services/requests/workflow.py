"""The status machine of a support request (DESIGN §3) and its service-level clock (DESIGN §5).

Every status change goes through `apply_status`; nothing else writes `SupportRequest.status`.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_

from loket.models import OPEN_STATUSES, STATUS_LABELS, SupportRequest
from loket.services.errors import DomainError
from loket.services.requests.workdays import (
    DAY_SECONDS,
    add_workdays,
    add_working_seconds,
    working_seconds_between,
)

FIRST_RESPONSE_WORKDAYS = 2
RESOLUTION_WORKDAYS = 15
REFERRAL_WORKDAYS = 3

# Transitions a person may choose. `doorverwezen` is entered and left only by the referral service.
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "nieuw": ("in_behandeling", "wacht_op_club", "opgelost", "gesloten"),
    "in_behandeling": ("wacht_op_club", "opgelost", "gesloten"),
    "wacht_op_club": ("in_behandeling", "opgelost", "gesloten"),
    "opgelost": ("in_behandeling", "gesloten"),
    "gesloten": (),
    "doorverwezen": (),
}
SYSTEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "nieuw": (*MANUAL_TRANSITIONS["nieuw"], "doorverwezen"),
    "in_behandeling": (*MANUAL_TRANSITIONS["in_behandeling"], "doorverwezen"),
    "wacht_op_club": (*MANUAL_TRANSITIONS["wacht_op_club"], "doorverwezen"),
    "opgelost": MANUAL_TRANSITIONS["opgelost"],
    "gesloten": (),
    "doorverwezen": ("nieuw", "in_behandeling", "wacht_op_club"),
}


def allowed_next_statuses(request: SupportRequest) -> tuple[str, ...]:
    return MANUAL_TRANSITIONS[request.status]


def check_transition(current: str, new: str, *, system: bool = False) -> None:
    table = SYSTEM_TRANSITIONS if system else MANUAL_TRANSITIONS
    if new not in STATUS_LABELS:
        raise DomainError(f"Onbekende status '{new}'.", field="status")
    if new == current:
        raise DomainError(f"De aanvraag heeft al de status '{STATUS_LABELS[new]}'.", field="status")
    if new not in table[current]:
        raise DomainError(
            f"Van '{STATUS_LABELS[current]}' naar '{STATUS_LABELS[new]}' is geen geldige statuswijziging.",
            field="status",
        )


@dataclass(frozen=True)
class ServiceLevels:
    """Werkdagen allowed for the first response and for resolution (DESIGN §5; per loket overridable)."""

    first_response_days: int = FIRST_RESPONSE_WORKDAYS
    resolution_days: int = RESOLUTION_WORKDAYS


def start_clock(request: SupportRequest, now: datetime, levels: ServiceLevels = ServiceLevels()) -> None:
    """Set the service-level due dates of a new request."""
    request.first_response_due_at = add_workdays(now, levels.first_response_days)
    request.resolution_due_at = add_workdays(now, levels.resolution_days)
    request.sla_paused_at = None
    refresh_due_at(request)


def restart_clock_for_new_owner(request: SupportRequest, now: datetime, levels: ServiceLevels) -> None:
    """After an accepted referral the new owner gets its own full resolution time; a first response
    already given to the club stays given."""
    if request.first_response_at is None:
        request.first_response_due_at = add_workdays(now, levels.first_response_days)
    request.resolution_due_at = add_workdays(now, levels.resolution_days)
    request.sla_paused_at = None
    refresh_due_at(request)


def record_first_response(request: SupportRequest, now: datetime) -> None:
    if request.first_response_at is None:
        request.first_response_at = now
        refresh_due_at(request)


def apply_status(request: SupportRequest, new: str, now: datetime, *, system: bool = False) -> str:
    """Move a request to `new`, keeping timestamps and the clock right. Returns the old status.

    Time in wacht_op_club does not count: entering it pauses the clock, leaving it moves the
    open due dates on by the working time spent waiting.
    """
    old = request.status
    check_transition(old, new, system=system)
    if new == "wacht_op_club":
        request.sla_paused_at = now
    elif old == "wacht_op_club" and request.sla_paused_at is not None:
        _resume_clock(request, now)
    if new == "opgelost":
        request.resolved_at = now
        request.resolution_workdays = resolution_workdays(request, now)
    elif new == "gesloten":
        request.closed_at = now
        if request.resolved_at is None:
            request.resolved_at = now
            request.resolution_workdays = resolution_workdays(request, now)
    elif old == "opgelost":
        request.resolved_at = None  # reopened
        request.resolution_workdays = None
    request.status = new
    refresh_due_at(request)
    return old


def resolution_workdays(request: SupportRequest, resolved_at: datetime) -> float | None:
    """Werkdagen from filing to resolution, without the time spent waiting for the club."""
    if request.created_at is None:  # not filed yet (a bare object in a unit test)
        return None
    elapsed = working_seconds_between(request.created_at, resolved_at) - (request.paused_seconds or 0.0)
    return round(max(0.0, elapsed) / DAY_SECONDS, 4)


def _resume_clock(request: SupportRequest, now: datetime) -> None:
    paused = working_seconds_between(request.sla_paused_at, now)
    request.sla_paused_at = None
    request.paused_seconds = (request.paused_seconds or 0.0) + paused
    if paused <= 0:  # waited only outside working days: the deadlines stand
        return
    if request.first_response_at is None and request.first_response_due_at:
        request.first_response_due_at = add_working_seconds(request.first_response_due_at, paused)
    if request.resolution_due_at:
        request.resolution_due_at = add_working_seconds(request.resolution_due_at, paused)


AT_RISK_WITHIN = timedelta(hours=24)


def is_overdue(request: SupportRequest, now: datetime) -> bool:
    if not request.is_open or request.sla_paused_at is not None:
        return False
    return request.due_at is not None and request.due_at < now


def is_at_risk(request: SupportRequest, now: datetime, *, within=AT_RISK_WITHIN) -> bool:
    if not request.is_open or request.sla_paused_at is not None:
        return False
    return request.due_at is not None and now <= request.due_at < now + within


# The same two rules as SQL conditions, for set-based counts and sweeps (index on due_at).

def running_clock():
    """Open requests whose clock runs (not paused) and has a deadline."""
    return and_(SupportRequest.status.in_(OPEN_STATUSES), SupportRequest.sla_paused_at.is_(None),
                SupportRequest.due_at.is_not(None))


def overdue_condition(now: datetime):
    return and_(running_clock(), SupportRequest.due_at < now)


def at_risk_condition(now: datetime, *, within=AT_RISK_WITHIN):
    return and_(running_clock(), SupportRequest.due_at >= now, SupportRequest.due_at < now + within)


def refresh_due_at(request: SupportRequest) -> None:
    """Keep the denormalised `due_at` (the queue's sort key, indexed) equal to the live deadline."""
    request.due_at = current_due_at(request)


def current_due_at(request: SupportRequest) -> datetime | None:
    """The deadline that matters now: first response until answered, then resolution."""
    if request.first_response_at is None and request.first_response_due_at is not None:
        return min(request.first_response_due_at, request.resolution_due_at or request.first_response_due_at)
    return request.resolution_due_at
