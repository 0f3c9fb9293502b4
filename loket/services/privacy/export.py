"""Handing a person everything Loket holds about them (AVG art. 15 and 20), as one JSON document."""
from datetime import datetime

from loket.models import User
from loket.models.base import utcnow
from loket.services import audit, transaction
from loket.services.errors import NotFound
from loket.services.network.users import membership_label
from loket.services.privacy.person import UNKNOWN_PERSON, find_person

FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def export_person(email: str, *, actor: User, client_address: str | None = None) -> dict:
    """The person's data as a JSON-ready dict; recorded in the audit log (with counts, never contents).
    Side effects: commits the audit entry.
    :raises NotFound: nothing is held about this address."""
    data = find_person(email)
    if data.is_empty:
        raise NotFound(UNKNOWN_PERSON)
    user = data.user
    document = {
        "format": f"loket-persoonsgegevens/{FORMAT_VERSION}",
        "email": data.email,
        "exported_at": _when(utcnow()),
        "account": None if user is None else {
            "name": user.name, "email": user.email, "active": user.active, "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at), "email_confirmed_at": _when(user.email_confirmed_at),
            "two_factor": bool(getattr(user, "totp_enabled_at", None)),
            "notify_optional": user.notify_optional,
            "memberships": [{"role": m.role, "label": membership_label(m),
                             "organisation": m.organisation.name if m.organisation else None}
                            for m in user.memberships],
        },
        "contacts": [{"club": c.club.name, "name": c.name, "email": c.email, "phone": c.phone,
                      "function": c.function} for c in data.contacts],
        "registrations": [{"club": r.club.name, "kind": r.kind, "state": r.state, "function": r.function,
                           "created_at": _when(r.created_at)} for r in data.registrations],
        "requests": [{"reference": r.reference, "club": r.club.name, "category": r.category.name,
                      "title": r.title, "description": r.description, "status": r.status,
                      "created_at": _when(r.created_at), "closed_at": _when(r.closed_at),
                      "satisfaction_score": r.satisfaction_score, "satisfaction_comment": r.satisfaction_comment}
                     for r in data.requests],
        "messages": [{"request": e.request.reference, "kind": e.kind, "public": e.is_public, "body": e.body,
                      "created_at": _when(e.created_at)} for e in data.messages],
        "mails": [{"template": m.name, "status": m.status, "created_at": _when(m.created_at),
                   "sent_at": _when(m.sent_at)} for m in data.mails],
    }
    audit.record("export", actor=actor, subject_kind="user" if user else "email",
                 subject_id=user.id if user else None, label=data.email, detail=data.counts(),
                 client_address=client_address)
    transaction.commit()
    return document
