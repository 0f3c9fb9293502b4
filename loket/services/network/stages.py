"""A gemeente's realisation stage (geen → verkennen → in_oprichting → operationeel) and what follows from a
change of it: the one definition of the stage, the 'stage' history row, and the waiting requests that move to
a loket once it serves a gemeente operationally.

Used by loketten (creating a loket) and lifecycle (changing one); writes go into the caller's transaction and
never commit.
"""
from datetime import datetime

from loket.models import Gemeente, Loket, SupportRequest, User
from loket.services.network import history
from loket.services.network.teams import ensure_team, team_for
from loket.services.requests.relocation import relocate_open_requests


def stage_without_loket(gemeente: Gemeente) -> str:
    """The stage a gemeente has while no loket serves it: exploring one since a day, or none."""
    return "verkennen" if gemeente.exploring_since is not None else "geen"


def stage_of(gemeente: Gemeente) -> str:
    """The realisation stage: the status of the loket that serves the gemeente, else its own exploring state."""
    return gemeente.loket.status if gemeente.loket is not None else stage_without_loket(gemeente)


def record_stage(gemeente: Gemeente, old: str, new: str, *, actor: User | None, loket_id: int | None,
                 reason: str | None = None, now: datetime | None = None) -> None:
    """A 'stage' history row for the gemeente (nothing when the stage stays the same)."""
    history.record("gemeente", "stage", old, new, actor=actor, loket_id=loket_id, gemeente_id=gemeente.id,
                   reason=reason, now=now)


def pull_fallback_requests(loket: Loket, gemeenten: list[Gemeente], *, actor: User | None,
                           now: datetime) -> list[SupportRequest]:
    """The open requests of these gemeenten's clubs that wait in the coördinatiepunt's fallback queue move to
    `loket` (which serves them operationally now), each with a 'moved' event and a notice to the club."""
    if not gemeenten:
        return []
    names = ", ".join(g.name for g in gemeenten)
    return relocate_open_requests(
        [g.id for g in gemeenten], from_team_ids=[team_for("fallback", None).id], to_team=ensure_team("loket", loket),
        actor=actor, now=now,
        note=f"Verplaatst uit de opvangwachtrij: gemeente {names} heeft nu een operationeel loket, {loket.name}.")


def pull_requests_from(loket: Loket, previous: Loket, gemeenten: list[Gemeente], *, actor: User | None,
                       now: datetime) -> list[SupportRequest]:
    """The open requests that `previous` owns for clubs of gemeenten `loket` took over from it move along."""
    if not gemeenten or previous.team is None:
        return []
    names = ", ".join(g.name for g in gemeenten)
    return relocate_open_requests(
        [g.id for g in gemeenten], from_team_ids=[previous.team.id], to_team=ensure_team("loket", loket),
        actor=actor, now=now,
        note=f"Verplaatst: gemeente {names} wordt nu bediend door {loket.name} in plaats van {previous.name}.")
