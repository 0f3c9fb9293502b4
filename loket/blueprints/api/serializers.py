"""Everything the API returns, turned into JSON-ready dicts in one place (shapes: schemas.py).

Times are ISO 8601 in UTC with a 'Z'; dates are YYYY-MM-DD. A club contact sees a request's public
side only: no assignee, no deadlines, no internal notes, no internal event details.
"""
from datetime import date, datetime

from loket.models import (
    Bond,
    Category,
    Club,
    Collaborator,
    Event,
    Loket,
    Membership,
    QualityRun,
    Referral,
    SupportRequest,
    Team,
    User,
)

CLUB = "club"
SUPPORTER = "supporter"
# Event details a club may read; the rest (reasons, ids, routing notes) stays with the teams.
PUBLIC_EVENT_DATA = ("from", "to", "from_team", "to_team", "team", "channel", "on_behalf", "filed_by")
# Public events whose author a club sees by name (the HTML timeline shows the same).
CLUB_VISIBLE_ACTOR_KINDS = ("created", "public_reply")


def iso(moment: datetime | None) -> str | None:
    """Stored times are naive UTC (models.base.utcnow)."""
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def page(pagination, serialize) -> dict:
    return {
        "items": [serialize(item) for item in pagination.items],
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": max(1, pagination.pages),
    }


# ---------------------------------------------------------------- network

def team_ref(team: Team) -> dict:
    return {"type": team.kind, "id": team.organisation_id, "name": team.name, "team_id": team.id}


def category(value: Category) -> dict:
    return {"slug": value.slug, "name": value.name, "scope": value.scope}


def loket(value: Loket) -> dict:
    return {
        "id": value.id, "slug": value.slug, "name": value.name, "status": value.status,
        "aangehaakt": value.aangehaakt, "team_id": value.team.id if value.team else None,
        "gemeenten": [{"code": g.code, "name": g.name} for g in value.gemeenten],
        "email": value.email, "phone": value.phone, "address": value.address,
        "opening_hours": value.opening_hours, "url": value.url, "aangehaakt_at": day(value.aangehaakt_at),
        "contact_reviewed_at": iso(value.contact_reviewed_at),
    }


def bond(value: Bond) -> dict:
    return {
        "id": value.id, "key": value.key, "abbreviation": value.abbreviation, "name": value.name,
        "kind": value.kind, "aangesloten": value.aangesloten, "aangesloten_at": day(value.aangesloten_at),
        "team_id": value.team.id if value.team else None, "sports": [s.name for s in value.sports],
    }


def initiative(value) -> dict:
    return {"id": value.id, "key": value.key, "name": value.name, "description": value.description,
            "email": value.email, "url": value.url, "team_id": value.team.id if value.team else None}


def club(value: Club) -> dict:
    return {
        "id": value.id, "name": value.name, "kind": value.kind,
        "gemeente": {"code": value.gemeente.code, "name": value.gemeente.name},
        "loket_id": value.gemeente.loket_id, "sports": [s.name for s in value.sports],
        "kvk_number": value.kvk_number, "created_at": iso(value.created_at),
    }


def membership(value: Membership) -> dict:
    return {
        "role": value.role, "team_lead": value.is_team_lead,
        "club": value.club_id, "loket": value.loket.slug if value.loket else None,
        "bond": value.bond.key if value.bond else None,
        "initiative": value.initiative.key if value.initiative else None,
        "gemeente": value.gemeente.code if value.gemeente else None,
        "region": value.region.id if value.region else None,
        "region_set": value.region.region_set.slug if value.region else None,
        "organisation": value.organisation.name if value.organisation else None,
    }


def user(value: User) -> dict:
    return {
        "id": value.id, "email": value.email, "name": value.name, "active": value.active,
        "created_at": iso(value.created_at), "last_login_at": iso(value.last_login_at),
        "memberships": [membership(m) for m in value.memberships],
    }


def token(issued) -> dict:
    return {"token": issued.token, "token_type": "Bearer", "expires_at": iso(issued.record.expires_at)}


# ---------------------------------------------------------------- requests

def request_summary(value: SupportRequest, audience: str) -> dict:
    data = {
        "id": value.id, "reference": value.reference, "title": value.title, "status": value.status,
        "category": category(value.category), "sport": value.sport.name if value.sport else None,
        "club": {"id": value.club.id, "name": value.club.name}, "owner": team_ref(value.owner_team),
        "channel": value.channel, "filed_by": value.filed_by.name if value.filed_by else None,
        "created_at": iso(value.created_at), "updated_at": iso(value.updated_at),
        "resolved_at": iso(value.resolved_at), "closed_at": iso(value.closed_at),
    }
    if audience == SUPPORTER:
        data.update({
            "version": value.version, "priority": value.priority,
            "assignee": {"id": value.assignee.id, "name": value.assignee.name} if value.assignee else None,
            "first_response_at": iso(value.first_response_at), "due_at": iso(value.due_at),
            "first_response_due_at": iso(value.first_response_due_at),
            "resolution_due_at": iso(value.resolution_due_at),
            "open_referral": referral(value.open_referral) if value.open_referral else None,
        })
    return data


def request_detail(value: SupportRequest, events: list[Event], audience: str, access=None) -> dict:
    """The request with its timeline; for supporters also collaborators and what they may do."""
    data = request_summary(value, audience)
    data["description"] = value.description
    data["timeline"] = [event(e, audience) for e in events]
    if audience == SUPPORTER and access is not None:
        data["collaborators"] = [collaborator(c) for c in access.collaborations]
        data["permissions"] = {"manage": access.can_manage, "reply": access.can_reply, "note": access.can_note}
    return data


def event(value: Event, audience: str) -> dict:
    if audience == CLUB:
        actor = ({"name": value.actor.name} if value.actor and value.kind in CLUB_VISIBLE_ACTOR_KINDS else None)
        details = {k: v for k, v in (value.data or {}).items() if k in PUBLIC_EVENT_DATA}
    else:
        actor = {"id": value.actor.id, "name": value.actor.name} if value.actor else None
        details = dict(value.data or {})
    return {"id": value.id, "kind": value.kind, "created_at": iso(value.created_at), "public": value.is_public,
            "body": value.body, "actor": actor, "data": details}


def referral(value: Referral) -> dict:
    return {
        "id": value.id, "request_id": value.request_id, "state": value.state,
        "from": team_ref(value.from_team), "to": team_ref(value.to_team), "reason": value.reason,
        "created_at": iso(value.created_at), "due_at": iso(value.due_at),
        "decided_at": iso(value.decided_at), "decline_reason": value.decline_reason,
    }


def collaborator(value: Collaborator) -> dict:
    return {"team": team_ref(value.team), "since": iso(value.created_at), "reason": value.reason}


# ---------------------------------------------------------------- quality (aggregates only)

def quality_run(value: QualityRun) -> dict:
    """No error text: it is for beheer's logs, not for API clients."""
    return {"id": value.id, "state": value.state, "period": day(value.period), "criteria_done": value.criteria_done,
            "criteria_total": value.criteria_total, "created_at": iso(value.created_at),
            "started_at": iso(value.started_at), "finished_at": iso(value.finished_at)}


def overview(value, latest_run: QualityRun | None) -> dict:
    """The national overview (services.quality.overview.Overview): counts and verdicts, no request contents."""
    targets = value.targets
    return {
        "as_of": day(value.as_of),
        "criteria_set": value.criteria_set.version if value.criteria_set else None,
        "gemeenten_total": targets.gemeenten_total, "gemeenten_covered": targets.gemeenten_covered,
        "loketten_total": targets.loketten_total, "loketten_operationeel": targets.loketten_operational,
        "loketten_aangehaakt": targets.loketten_aangehaakt, "loketten_voldoen": targets.loketten_voldoen,
        "bonden_total": targets.bonden_total, "bonden_aangesloten": targets.bonden_aangesloten,
        "targets": {"gemeenten_covered": targets.target_gemeenten,
                    "loketten_voldoen": targets.target_loketten_voldoen,
                    "bonden_aangesloten": targets.target_bonden},
        "criteria": [{"code": c.code, "title": c.title, "kind": c.kind} for c in value.criteria],
        "loketten": [{"slug": row.slug, "name": row.name, "status": row.status, "aangehaakt": row.aangehaakt,
                      "provinces": list(row.provinces), "gemeenten": row.gemeenten, "voldoet": row.voldoet,
                      "criteria": dict(row.criteria), "trend": row.trend_direction}
                     for row in value.loketten],
        "latest_run": quality_run(latest_run) if latest_run else None,
    }
