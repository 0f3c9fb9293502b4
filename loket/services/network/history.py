"""The network's history: one home for writing and reading `NetworkChange` rows (who changed which field of a
loket, gemeente, bond or membership, when, from what to what, and why). Writers add rows to the caller's
transaction; they never commit."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import GEMEENTE_STAGE_LABELS, NetworkChange, User
from loket.models.base import utcnow
from loket.services import audit

# How each recorded field reads in a history table, and the values shown in words rather than as stored.
FIELD_LABELS = {
    "created": "Loket opgericht", "name": "Naam", "abbreviation": "Afkorting", "status": "Status",
    "aangehaakt": "Aangehaakt", "aangehaakt_at": "Aangehaakt sinds", "aangesloten": "Aangesloten",
    "aangesloten_at": "Aangesloten sinds", "sports": "Sporten", "gemeente": "Gemeente",
    "stage": "Fase van de gemeente", "email": "E-mailadres", "phone": "Telefoonnummer", "address": "Bezoekadres",
    "opening_hours": "Openingstijden", "url": "Website", "contact_reviewed_at": "Gegevens gecontroleerd",
    "team_lead": "Coördinator", "membership": "Rol", "active": "Account actief", "invitation": "Uitnodiging",
    "aanmelding": "Aanmelding van een club", "kind": "Soort", "agreement": "Afspraak (bevestigd)",
    "agreement_proposed": "Afspraak voorgesteld", "agreement_rejected": "Voorstel afgewezen",
    "description": "Beschrijving",
}
# The membership fields that give or take a role (an invitation is not one yet).
ROLE_FIELDS = ("membership", "team_lead")
VALUE_LABELS = {
    "stage": GEMEENTE_STAGE_LABELS,
    "status": {"in_oprichting": "In oprichting", "operationeel": "Operationeel"},
}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def record(subject: str, field: str, old, new, *, actor: User | None, loket_id: int | None = None,
           gemeente_id: int | None = None, bond_id: int | None = None, user_id: int | None = None,
           initiative_id: int | None = None, reason: str | None = None,
           now: datetime | None = None) -> NetworkChange | None:
    """Add one change to the session (the caller commits). Values are kept as display text (booleans as
    ja/nee, dates ISO). Nothing is recorded when the value did not change."""
    old, new = _text(old), _text(new)
    if old == new:
        return None
    change = NetworkChange(subject=subject, field=field, old_value=old, new_value=new, reason=reason,
                           actor_id=actor.id if actor is not None else None, loket_id=loket_id,
                           gemeente_id=gemeente_id, bond_id=bond_id, user_id=user_id,
                           initiative_id=initiative_id, changed_at=now or utcnow())
    db.session.add(change)
    if subject == "membership" and field in ROLE_FIELDS and user_id is not None:
        # A role given or taken is also security-relevant: the audit log has it beside logins and denials.
        gained = new is not None and new != "nee"
        audit.record("role_granted" if gained else "role_removed", actor=actor, subject_kind="user",
                     subject_id=user_id, label=f"{FIELD_LABELS[field]}: {old or '—'} → {new or '—'}")
    return change


def of_loket(loket_id: int, *, limit: int = 200) -> list[NetworkChange]:
    """The loket's history, newest first, with who made each change (two queries)."""
    return list(db.session.scalars(
        select(NetworkChange).where(NetworkChange.loket_id == loket_id)
        .options(selectinload(NetworkChange.actor)).order_by(NetworkChange.id.desc()).limit(limit)))


def of_bond(bond_id: int, *, limit: int = 200, field_prefix: str | None = None) -> list[NetworkChange]:
    """The bond's history, newest first; with `field_prefix` only those fields (e.g. its agreements)."""
    return _newest_first(NetworkChange.bond_id == bond_id,
                         *([NetworkChange.field.startswith(field_prefix)] if field_prefix else []), limit=limit)


def of_initiative(initiative_id: int, *, limit: int = 200) -> list[NetworkChange]:
    return _newest_first(NetworkChange.initiative_id == initiative_id, limit=limit)


def _newest_first(*conditions, limit: int) -> list[NetworkChange]:
    return list(db.session.scalars(
        select(NetworkChange).where(*conditions)
        .options(selectinload(NetworkChange.actor)).order_by(NetworkChange.id.desc()).limit(limit)))


def of_user(user_id: int, *, limit: int = 200) -> list[NetworkChange]:
    """Changes to a person's account or memberships (for beheer's user page and the team page)."""
    return list(db.session.scalars(
        select(NetworkChange).where(NetworkChange.user_id == user_id)
        .options(selectinload(NetworkChange.actor)).order_by(NetworkChange.id.desc()).limit(limit)))


def of_gemeente(gemeente_id: int, *, limit: int = 200) -> list[NetworkChange]:
    """A gemeente's own history, newest first: its realisation stage and the loket serving it (two queries). A
    move between loketten is kept in both loketten's histories; here it shows once."""
    changes = db.session.scalars(
        select(NetworkChange).where(NetworkChange.field.in_(("stage", "gemeente")),
                                    NetworkChange.gemeente_id == gemeente_id, NetworkChange.subject == "gemeente")
        .options(selectinload(NetworkChange.actor)).order_by(NetworkChange.id.desc()).limit(limit))
    seen, result = set(), []
    for change in changes:
        key = (change.field, change.changed_at, change.old_value, change.new_value)
        if key not in seen:
            seen.add(key)
            result.append(change)
    return result
