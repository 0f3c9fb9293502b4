"""The status machine and service-level clock of a support request (DESIGN §3, §5).

Plain SupportRequest objects, no database. All datetimes are naive UTC; Amsterdam is UTC+1 (CET)
until Sun 29 March 2026 and UTC+2 (CEST) after it. "N werkdagen" = N × 24h of working-day time.
"""
from datetime import datetime, timedelta

import pytest

from loket.models import STATUS_LABELS, STATUSES, SupportRequest
from loket.services.errors import DomainError
from loket.services.requests.workflow import (
    FIRST_RESPONSE_WORKDAYS,
    MANUAL_TRANSITIONS,
    RESOLUTION_WORKDAYS,
    allowed_next_statuses,
    apply_status,
    check_transition,
    current_due_at,
    is_at_risk,
    is_overdue,
    record_first_response,
    start_clock,
)

# ------------------------------------------------------------------------------------ status machine

ALLOWED = [(old, new) for old in STATUSES for new in MANUAL_TRANSITIONS[old]]
REFUSED = [(old, new) for old in STATUSES for new in STATUSES
           if old != new and new not in MANUAL_TRANSITIONS[old]]


def test_the_transition_table_is_what_the_design_says():
    assert set(MANUAL_TRANSITIONS) == set(STATUSES)
    assert sorted(ALLOWED) == sorted([
        ("nieuw", "in_behandeling"), ("nieuw", "wacht_op_club"), ("nieuw", "opgelost"), ("nieuw", "gesloten"),
        ("in_behandeling", "wacht_op_club"), ("in_behandeling", "opgelost"), ("in_behandeling", "gesloten"),
        ("wacht_op_club", "in_behandeling"), ("wacht_op_club", "opgelost"), ("wacht_op_club", "gesloten"),
        ("opgelost", "in_behandeling"), ("opgelost", "gesloten"),
    ])
    # 6 statuses → 30 ordered pairs of different statuses: 12 allowed, 18 refused.
    assert len(REFUSED) == 30 - 12


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{o}->{n}" for o, n in ALLOWED])
def test_allowed_manual_transition_is_accepted(old, new):
    check_transition(old, new)  # does not raise
    request = SupportRequest(status=old)
    assert apply_status(request, new, datetime(2026, 3, 2, 9)) == old
    assert request.status == new


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{o}->{n}" for o, n in REFUSED])
def test_other_manual_transition_is_refused_naming_both_statuses(old, new):
    with pytest.raises(DomainError) as caught:
        check_transition(old, new)
    message = caught.value.message
    assert message == f"Van '{STATUS_LABELS[old]}' naar '{STATUS_LABELS[new]}' is geen geldige statuswijziging."
    assert caught.value.field == "status"

    request = SupportRequest(status=old)
    with pytest.raises(DomainError):
        apply_status(request, new, datetime(2026, 3, 2, 9))
    assert request.status == old  # unchanged
    assert request.resolved_at is None and request.closed_at is None and request.sla_paused_at is None


@pytest.mark.parametrize("old", ["nieuw", "in_behandeling", "wacht_op_club"])
def test_doorverwezen_is_system_only_from_open_statuses(old):
    with pytest.raises(DomainError, match="naar 'Doorverwezen' is geen geldige"):
        check_transition(old, "doorverwezen")
    request = SupportRequest(status=old)
    apply_status(request, "doorverwezen", datetime(2026, 3, 2, 9), system=True)
    assert request.status == "doorverwezen"


@pytest.mark.parametrize("old", ["opgelost", "gesloten"])
def test_doorverwezen_refused_even_for_the_system_from_finished_statuses(old):
    with pytest.raises(DomainError):
        check_transition(old, "doorverwezen", system=True)


@pytest.mark.parametrize("new", ["nieuw", "in_behandeling", "wacht_op_club"])
def test_the_system_leaves_doorverwezen(new):
    check_transition("doorverwezen", new, system=True)
    with pytest.raises(DomainError):
        check_transition("doorverwezen", new)  # never manually


@pytest.mark.parametrize("status", STATUSES)
def test_same_status_is_refused(status):
    with pytest.raises(DomainError) as caught:
        check_transition(status, status)
    assert caught.value.message == f"De aanvraag heeft al de status '{STATUS_LABELS[status]}'."
    with pytest.raises(DomainError):
        check_transition(status, status, system=True)


@pytest.mark.parametrize("system", [False, True])
def test_unknown_status_is_refused(system):
    with pytest.raises(DomainError) as caught:
        check_transition("nieuw", "verdwenen", system=system)
    assert caught.value.message == "Onbekende status 'verdwenen'."
    assert caught.value.field == "status"


def test_allowed_next_statuses_are_the_manual_ones():
    assert allowed_next_statuses(SupportRequest(status="nieuw")) == (
        "in_behandeling", "wacht_op_club", "opgelost", "gesloten")
    assert allowed_next_statuses(SupportRequest(status="gesloten")) == ()
    assert allowed_next_statuses(SupportRequest(status="doorverwezen")) == ()


# ------------------------------------------------------------------------------------------------ clock

# Mon 2 Mar 2026 10:00 CET.
MON = datetime(2026, 3, 2, 9)
# + 2 werkdagen: Mon 14h + Tue 24h + Wed 10h → Wed 4 Mar 10:00 CET.
FIRST_DUE = datetime(2026, 3, 4, 9)
# + 15 werkdagen: three whole working weeks, no holidays → Mon 23 Mar 10:00 CET.
RESOLUTION_DUE = datetime(2026, 3, 23, 9)


def _started(status="nieuw", now=MON):
    request = SupportRequest(status=status)
    start_clock(request, now)
    return request


def test_start_clock_sets_both_due_dates_and_due_at():
    assert (FIRST_RESPONSE_WORKDAYS, RESOLUTION_WORKDAYS) == (2, 15)
    request = _started()

    assert request.first_response_due_at == FIRST_DUE
    assert request.resolution_due_at == RESOLUTION_DUE
    assert request.due_at == FIRST_DUE
    assert request.sla_paused_at is None


def test_start_clock_over_easter():
    # Thu 2 Apr 2026 10:00 CEST (08:00 UTC). First response: Thu 14h; Fri 3 (Goede Vrijdag) to
    # Mon 6 (Paasmaandag) free; Tue 24h; Wed 10h → Wed 8 Apr 10:00 CEST.
    # Resolution: working days after the 2nd: 7,8,9,10 (4), 13–17 (9), 20–24 (14), 27 is Koningsdag,
    # 28 (15) → Tue 28 Apr 10:00 CEST.
    request = _started(now=datetime(2026, 4, 2, 8))
    assert request.first_response_due_at == datetime(2026, 4, 8, 8)
    assert request.resolution_due_at == datetime(2026, 4, 28, 8)


def test_record_first_response_switches_due_at_to_resolution():
    request = _started()
    answered = datetime(2026, 3, 3, 14)
    record_first_response(request, answered)

    assert request.first_response_at == answered
    assert request.due_at == RESOLUTION_DUE
    assert request.first_response_due_at == FIRST_DUE  # kept, for reporting


def test_record_first_response_only_counts_the_first():
    request = _started()
    record_first_response(request, datetime(2026, 3, 3, 14))
    record_first_response(request, datetime(2026, 3, 5, 14))
    assert request.first_response_at == datetime(2026, 3, 3, 14)


def test_due_at_is_never_later_than_the_resolution_due_date():
    request = SupportRequest(status="nieuw", first_response_due_at=datetime(2026, 3, 10, 9),
                             resolution_due_at=datetime(2026, 3, 5, 9))
    assert current_due_at(request) == datetime(2026, 3, 5, 9)


def test_wacht_op_club_pauses_the_clock():
    request = _started()
    paused = datetime(2026, 3, 3, 9)  # Tue 10:00 CET, before the first-response due date
    apply_status(request, "wacht_op_club", paused)

    assert request.sla_paused_at == paused
    # Long past both due dates: still not overdue, and not at risk, while waiting on the club.
    later = RESOLUTION_DUE + timedelta(days=30)
    assert is_overdue(request, later) is False
    assert is_at_risk(request, FIRST_DUE - timedelta(hours=1)) is False


def test_leaving_wacht_op_club_moves_both_due_dates_by_the_working_time_waited():
    request = _started()
    apply_status(request, "wacht_op_club", datetime(2026, 3, 3, 9))  # Tue 3 Mar 10:00 CET
    apply_status(request, "in_behandeling", datetime(2026, 3, 4, 15))  # Wed 4 Mar 16:00 CET
    # Waited: Tue 14h + Wed 16h = 30h of working time.
    # First response: Wed 4 Mar 10:00 + 30h = Wed 14h + Thu 16h → Thu 5 Mar 16:00 CET = 15:00 UTC.
    # Resolution: Mon 23 Mar 10:00 + 30h = Mon 14h + Tue 16h → Tue 24 Mar 16:00 CET = 15:00 UTC.
    assert request.sla_paused_at is None
    assert request.first_response_due_at == datetime(2026, 3, 5, 15)
    assert request.resolution_due_at == datetime(2026, 3, 24, 15)
    assert request.due_at == datetime(2026, 3, 5, 15)


def test_pause_friday_to_monday_counts_one_working_day_not_three_calendar_days():
    request = _started()
    record_first_response(request, datetime(2026, 3, 2, 11))
    apply_status(request, "in_behandeling", datetime(2026, 3, 2, 11))
    apply_status(request, "wacht_op_club", datetime(2026, 3, 6, 9))  # Fri 6 Mar 10:00 CET
    apply_status(request, "in_behandeling", datetime(2026, 3, 9, 9))  # Mon 9 Mar 10:00 CET
    # Fri 10:00–24:00 (14h) + Mon 00:00–10:00 (10h) = 24h = 1 werkdag (72 calendar hours).
    # Resolution Mon 23 Mar 10:00 CET + 1 werkdag → Tue 24 Mar 10:00 CET.
    assert request.resolution_due_at == datetime(2026, 3, 24, 9)
    assert request.due_at == datetime(2026, 3, 24, 9)
    assert request.first_response_due_at == FIRST_DUE  # answered: no longer moved


def test_pause_within_a_weekend_moves_nothing():
    request = _started()
    record_first_response(request, datetime(2026, 3, 2, 11))
    apply_status(request, "wacht_op_club", datetime(2026, 3, 7, 9))  # Sat 7 Mar 10:00
    apply_status(request, "in_behandeling", datetime(2026, 3, 8, 19))  # Sun 8 Mar 20:00
    assert request.resolution_due_at == RESOLUTION_DUE


def test_weekend_only_pause_keeps_a_deadline_that_falls_at_the_end_of_friday():
    # Filed Sat 7 Mar 2026: the clock starts Mon 9 Mar 00:00 CET, so +15 werkdagen ends at
    # Sat 28 Mar 00:00 CET (= Fri 27 Mar 23:00 UTC), the end of the 15th working day.
    request = _started(now=datetime(2026, 3, 7, 9))
    due = request.resolution_due_at
    assert due == datetime(2026, 3, 27, 23)
    record_first_response(request, datetime(2026, 3, 9, 9))
    apply_status(request, "wacht_op_club", datetime(2026, 3, 28, 9))  # Sat 28 Mar 10:00 CET
    apply_status(request, "in_behandeling", datetime(2026, 3, 29, 8))  # Sun 29 Mar 10:00 CEST
    assert request.resolution_due_at == due  # not moved to Monday 00:00: nothing was waited
    assert is_overdue(request, datetime(2026, 3, 29, 9))


def test_pause_over_easter_counts_only_working_time():
    # Start Mon 30 Mar 2026 10:00 CEST (08:00 UTC). Resolution + 15: working days after the 30th:
    # 31, 1, 2 (3), Goede Vrijdag 3 and Paasmaandag 6 free, 7–10 (7), 13–17 (12), 20, 21, 22 (15)
    # → Wed 22 Apr 10:00 CEST.
    request = _started(now=datetime(2026, 3, 30, 8))
    assert request.resolution_due_at == datetime(2026, 4, 22, 8)
    record_first_response(request, datetime(2026, 3, 30, 9))
    apply_status(request, "wacht_op_club", datetime(2026, 4, 2, 8))  # Thu 2 Apr 10:00 CEST
    apply_status(request, "in_behandeling", datetime(2026, 4, 7, 8))  # Tue 7 Apr 10:00 CEST
    # Waited: Thu 14h + Tue 10h = 24h (Fri, weekend, Mon are holidays/weekend) → + 1 werkdag.
    assert request.resolution_due_at == datetime(2026, 4, 23, 8)


@pytest.mark.parametrize("leave_to", ["opgelost", "gesloten"])
def test_leaving_wacht_op_club_to_a_final_status_also_ends_the_pause(leave_to):
    request = _started()
    apply_status(request, "wacht_op_club", datetime(2026, 3, 3, 9))
    apply_status(request, leave_to, datetime(2026, 3, 4, 15))
    assert request.sla_paused_at is None


def test_opgelost_sets_resolved_at_and_reopening_clears_it():
    request = _started(status="in_behandeling")
    solved = datetime(2026, 3, 5, 12)
    apply_status(request, "opgelost", solved)
    assert request.resolved_at == solved
    assert request.closed_at is None
    assert request.is_open is False

    apply_status(request, "in_behandeling", datetime(2026, 3, 6, 12))
    assert request.resolved_at is None
    assert request.is_open is True


def test_gesloten_sets_closed_at_and_keeps_the_resolution_time():
    request = _started(status="in_behandeling")
    apply_status(request, "opgelost", datetime(2026, 3, 5, 12))
    apply_status(request, "gesloten", datetime(2026, 3, 9, 12))
    assert request.closed_at == datetime(2026, 3, 9, 12)
    assert request.resolved_at == datetime(2026, 3, 5, 12)


def test_gesloten_straight_from_open_sets_both_timestamps():
    request = _started()
    apply_status(request, "gesloten", datetime(2026, 3, 3, 12))
    assert request.closed_at == datetime(2026, 3, 3, 12)
    assert request.resolved_at == datetime(2026, 3, 3, 12)


# -------------------------------------------------------------------------------- overdue and at risk

def test_is_overdue_around_the_due_date():
    request = _started()
    assert is_overdue(request, FIRST_DUE - timedelta(seconds=1)) is False
    assert is_overdue(request, FIRST_DUE) is False  # due at, not past it
    assert is_overdue(request, FIRST_DUE + timedelta(seconds=1)) is True


def test_is_at_risk_in_the_last_24_hours_before_the_due_date():
    request = _started()
    assert is_at_risk(request, FIRST_DUE - timedelta(hours=24)) is False  # due_at == now + 24h: not <
    assert is_at_risk(request, FIRST_DUE - timedelta(hours=23, minutes=59)) is True
    assert is_at_risk(request, FIRST_DUE) is True
    assert is_at_risk(request, FIRST_DUE + timedelta(seconds=1)) is False  # overdue, no longer "at risk"
    assert is_at_risk(request, FIRST_DUE - timedelta(hours=47), within=timedelta(hours=48)) is True


def test_after_the_first_response_overdue_follows_the_resolution_date():
    request = _started()
    record_first_response(request, datetime(2026, 3, 3, 9))
    assert is_overdue(request, FIRST_DUE + timedelta(days=1)) is False
    assert is_overdue(request, RESOLUTION_DUE + timedelta(seconds=1)) is True


@pytest.mark.parametrize("final", ["opgelost", "gesloten"])
def test_finished_requests_are_never_overdue_or_at_risk(final):
    request = _started()
    apply_status(request, final, datetime(2026, 3, 3, 9))
    assert is_overdue(request, RESOLUTION_DUE + timedelta(days=10)) is False
    assert is_at_risk(request, FIRST_DUE) is False


def test_a_resumed_request_is_overdue_again_only_after_the_moved_due_date():
    request = _started()
    apply_status(request, "wacht_op_club", datetime(2026, 3, 3, 9))  # Tue 10:00 CET
    apply_status(request, "in_behandeling", datetime(2026, 3, 4, 15))  # Wed 16:00 CET (30h waited)
    # The old first-response due date (Wed 10:00 CET) has passed, but it moved to Thu 5 Mar 16:00 CET.
    assert is_overdue(request, datetime(2026, 3, 5, 14)) is False
    assert is_at_risk(request, datetime(2026, 3, 5, 14)) is True
    assert is_overdue(request, datetime(2026, 3, 5, 15, 0, 1)) is True


def test_resolution_time_excludes_waiting_for_the_club():
    # Filed Mon 2 Mar 2026 10:00 CET; waiting Tue 10:00 → Wed 10:00 (1 werkdag); solved Thu 10:00.
    # Elapsed Mon 10:00 → Thu 10:00 = 3 werkdagen, minus 1 waiting = 2.0.
    request = _started()
    request.created_at = MON
    apply_status(request, "in_behandeling", datetime(2026, 3, 2, 10))
    apply_status(request, "wacht_op_club", datetime(2026, 3, 3, 9))
    apply_status(request, "in_behandeling", datetime(2026, 3, 4, 9))
    assert request.paused_seconds == 86400
    apply_status(request, "opgelost", datetime(2026, 3, 5, 9))
    assert request.resolution_workdays == 2.0
    apply_status(request, "in_behandeling", datetime(2026, 3, 5, 10))  # reopened
    assert request.resolution_workdays is None


def test_resolving_while_waiting_counts_the_wait_up_to_then():
    request = _started()
    request.created_at = MON
    apply_status(request, "wacht_op_club", datetime(2026, 3, 3, 9))  # Tue 10:00
    apply_status(request, "opgelost", datetime(2026, 3, 4, 9))  # Wed 10:00: 1 day worked, 1 waited
    assert request.resolution_workdays == 1.0
