"""Bulk work from the queue: claim, assign or change the status of several requests in one action.

Each request goes through the same function as its own button on the request page (teamwork's claim, assign,
change_status), so each gets its own event and its own transaction: one that cannot take the change (another
team's, a status it cannot go to, changed since the queue was shown) is reported by its reference — or by its
number when the supporter may not see it — and the rest still goes through."""
from dataclasses import dataclass, field

from loket.extensions import db
from loket.models import STATUS_LABELS, STATUSES, User
from loket.services.errors import DomainError, InvalidInput, NotFound
from loket.services.ids import as_id
from loket.services.requests import teamwork

# A queue page holds 25; a selection beyond this is no longer a person's choice but a script's.
BULK_MAX = 100
ACTIONS = {"oppakken": "Oppakken", "toewijzen": "Toewijzen aan", "status": "Status wijzigen naar"}
CHANGED_MEANWHILE = "Intussen gewijzigd; bekijk de aanvraag opnieuw."
NOT_VISIBLE = "Bestaat niet of je hebt er geen toegang toe."


@dataclass(frozen=True)
class Refusal:
    label: str  # the reference, or "nummer 123" for a request the supporter may not see
    reason: str


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)  # references
    refused: list[Refusal] = field(default_factory=list)


def selection(values: list[str]) -> list[tuple[int, int | None]]:
    """The chosen requests from the queue's checkboxes: "id.version" (the version the queue showed) or "id".
    Repeats count once. :raises InvalidInput: nothing chosen, too many, or a value that names no request."""
    if not values:
        raise InvalidInput({"ids": "Kies eerst een of meer aanvragen."})
    if len(values) > BULK_MAX:
        raise InvalidInput({"ids": f"Kies hooguit {BULK_MAX} aanvragen tegelijk (nu {len(values)})."})
    chosen: dict[int, int | None] = {}
    for value in values:
        request_part, _, version_part = (value or "").partition(".")
        request_id = as_id(request_part)
        version = as_id(version_part) if version_part else None
        if request_id is None or (version_part and version is None):
            raise InvalidInput({"ids": "De keuze van aanvragen is niet leesbaar; laad de wachtrij opnieuw."})
        chosen.setdefault(request_id, version)
    return list(chosen.items())


def apply(actor: User, action: str, selected: list[tuple[int, int | None]], *, assignee_id=None,
          status: str | None = None) -> BulkResult:
    """Do `action` (ACTIONS) to each selected request, one transaction per request, in the order chosen.
    :raises InvalidInput: an unknown action, or a status that does not exist (before anything is done)."""
    if action not in ACTIONS:
        raise InvalidInput({"action": "Kies wat er met de aanvragen moet gebeuren."})
    if action == "status" and status not in STATUSES:
        raise InvalidInput({"status": "Kies de nieuwe status."})
    result = BulkResult()
    for request_id, version in selected:
        try:
            access = teamwork.supporter_access(actor, request_id)
        except NotFound:
            result.refused.append(Refusal(f"nummer {request_id}", NOT_VISIBLE))
            continue
        reference = access.request.reference
        if version is not None and access.request.version != version:
            result.refused.append(Refusal(reference, CHANGED_MEANWHILE))
            continue
        try:
            if action == "oppakken":
                teamwork.claim(access, actor=actor)
            elif action == "toewijzen":
                teamwork.assign(access, actor=actor, assignee_id=assignee_id)
            else:
                teamwork.change_status(access, status, actor=actor, expected_version=access.request.version)
        except DomainError as error:
            db.session.rollback()
            result.refused.append(Refusal(reference, error.message))
        else:
            result.done.append(reference)
    return result


def summary(action: str, result: BulkResult, *, status: str | None = None) -> tuple[str | None, str | None]:
    """(what went through, what did not) in Dutch, for the queue's messages."""
    what = {"oppakken": "opgepakt", "toewijzen": "toegewezen",
            "status": f"naar ‘{STATUS_LABELS.get(status or '', status)}’ gezet"}[action]
    done = None
    if result.done:
        count = len(result.done)
        done = f"{count} aanvra{'ag' if count == 1 else 'gen'} {what}: {', '.join(result.done)}."
    refused = None
    if result.refused:
        refused = f"Niet gelukt bij {len(result.refused)}: " + " ".join(
            f"{refusal.label}: {refusal.reason}" for refusal in result.refused)
    return done, refused
