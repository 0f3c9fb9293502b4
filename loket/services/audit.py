"""The audit log (AVG, security): the one writer and reader of `AuditEntry`.

`record` adds an entry to the caller's transaction (an export, an erasure, a role change is logged together with
what it did, or not at all). `record_alone` is for what happens without a write of its own — a login that
failed, a refused page, a request read by staff — and commits just that entry. Neither ever stores request
contents: a label is a reference, an address that was tried or an endpoint; details are counts and field names.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from loket.extensions import db
from loket.models import User
from loket.models.audit import AUDIT_ACTIONS, AuditEntry
from loket.services import transaction
from loket.services.errors import InvalidInput
from loket.services.pagination import paginate_rows
from loket.services.text import typed_day

LABEL_MAX = 200


def record(action: str, *, actor: User | None, subject_kind: str, subject_id: int | None = None,
           label: str = "", detail: dict | None = None, client_address: str | None = None) -> AuditEntry:
    """Add one entry to the current transaction (the caller commits)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(action=action, actor_id=getattr(actor, "id", None), subject_kind=subject_kind,
                       subject_id=subject_id, label=(label or "")[:LABEL_MAX], detail=detail or {},
                       client_address=(client_address or None) and client_address[:45])
    db.session.add(entry)
    return entry


def record_alone(action: str, **fields) -> None:
    """Record one entry in a transaction of its own (for events that write nothing else)."""
    record(action, **fields)
    transaction.commit()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_email: str = ""
    subject_kind: str = ""
    subject_id: int | None = None
    since: str = ""
    until: str = ""


def search(wanted: AuditFilter, *, page: int = 1, per_page: int = 50):
    """One page of entries, newest first, with the actor's name and address (two queries)."""
    errors: dict[str, str] = {}
    query = (select(AuditEntry.id, AuditEntry.at, AuditEntry.action, AuditEntry.subject_kind,
                    AuditEntry.subject_id, AuditEntry.label, AuditEntry.client_address,
                    User.name.label("actor_name"), User.email.label("actor_email"))
             .outerjoin(User, User.id == AuditEntry.actor_id).order_by(AuditEntry.id.desc()))
    if wanted.action:
        if wanted.action not in AUDIT_ACTIONS:
            errors["action"] = "Kies een soort gebeurtenis uit de lijst."
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.actor_email:
        query = query.where(func.lower(User.email) == wanted.actor_email.strip().lower())
    if wanted.subject_kind:
        query = query.where(AuditEntry.subject_kind == wanted.subject_kind)
    if wanted.subject_id is not None:
        query = query.where(AuditEntry.subject_id == wanted.subject_id)
    for field, value, compare in (("since", wanted.since, AuditEntry.at.__ge__),
                                  ("until", wanted.until, AuditEntry.at.__lt__)):
        if not value:
            continue
        try:
            day = typed_day(value)
        except ValueError:
            errors[field] = "Vul een datum in als 31-03-2026."
            continue
        if field == "until":  # up to and including that day
            day += timedelta(days=1)
        query = query.where(compare(datetime.combine(day, time.min)))
    if errors:
        raise InvalidInput(errors)
    return paginate_rows(query, page=page, per_page=per_page)
