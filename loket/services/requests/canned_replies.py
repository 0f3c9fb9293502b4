"""Canned replies (sjablonen): a team's ready-made texts for the reply box, with placeholders.

Who may do what:
- a team's leads (`teams.leads_team`) add, edit and delete its sjablonen;
- every member of the team sees them on the team's sjablonen page and inserts them into a reply; a supporter on a
  request that several teams work (an invited or referred team) sees the sjablonen of their own team(s) only;
- anyone else: the team page is refused (403), a sjabloon of another team does not exist for them (404).

Placeholders are `{naam}` with a name of PLACEHOLDERS; a text with any other `{…}` is refused when it is saved.
Rendering is one pass of plain string substitution over the stored text: no template engine and no str.format
ever sees typed text, so `{{ config }}` or a club called "{ondersteuner}" stays exactly as typed.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from loket.extensions import db
from loket.models import CannedReply, SupportRequest, Team, User
from loket.models.base import utcnow
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.ids import as_id
from loket.services.network.invitations import membership_of, team_organisation
from loket.services.network.teams import leads_team, team_ids_of
from loket.services.text import CONTROL_MESSAGE, LINE_CHARACTERS, has_control_characters, required_text
from loket.services.transaction import commit

TITLE_MAX = 100
# name → what it becomes (the Dutch explanation the management page shows beside the form).
PLACEHOLDERS = {
    "club": "de naam van de club",
    "referentie": "het kenmerk van de aanvraag (zoals LK-2026-000123)",
    "ondersteuner": "jouw naam (van wie het sjabloon invoegt)",
    "loket_contact": "de contactgegevens van jullie team: naam, e-mailadres, telefoon, adres, bereikbaarheid en "
                     "website, voor zover bekend",
}
# Anything between braces is read as a placeholder, so a typo ({referentei}) is refused rather than sent.
_BRACED = re.compile(r"\{([^{}\n]{0,60})\}")
NOT_IN_TEAM = "Je hoort niet bij dit team. Alleen de leden van het team zien de sjablonen."
NOT_A_LEAD = "Alleen de coördinatoren van dit team voegen sjablonen toe, passen ze aan of verwijderen ze."
NOT_FOUND = "Dit sjabloon bestaat niet (meer)."
TITLE_TAKEN = "Jullie team heeft al een sjabloon met deze titel. Kies een andere titel."


@dataclass(frozen=True)
class CannedRepliesPage:
    """A team's sjablonen as one viewer sees them."""

    team: Team
    canned_replies: list[CannedReply]  # by title
    can_manage: bool

    @property
    def kind(self) -> str:
        return self.team.kind

    @property
    def organisation(self):
        return self.team.organisation


# ---------------------------------------------------------------- reading

def team_page(viewer: User, kind: str, key) -> CannedRepliesPage:
    """The sjablonen of loket/bond/initiative `key`'s team (two queries).

    :raises NotFound: no such team. :raises Forbidden: the viewer is not in the team.
    """
    team = _team_of(viewer, kind, key)
    rows = db.session.scalars(select(CannedReply).where(CannedReply.team_id == team.id)
                              .order_by(CannedReply.title, CannedReply.id)).all()
    return CannedRepliesPage(team=team, canned_replies=list(rows), can_manage=may_manage(viewer, team))


def get(viewer: User, kind: str, key, canned_id) -> CannedReply:
    """One sjabloon of this team, for its lead to edit. :raises NotFound: / :raises Forbidden: as `managed`."""
    team = _team_of(viewer, kind, key)
    return _managed(viewer, team, canned_id)


def usable_by(user: User) -> list[CannedReply]:
    """The sjablonen of every team the user works in, by team and title (the reply box's choice). One query."""
    team_ids = team_ids_of(user)
    if not team_ids:
        return []
    return list(db.session.scalars(select(CannedReply).where(CannedReply.team_id.in_(team_ids))
                                   .order_by(CannedReply.team_id, CannedReply.title, CannedReply.id)))


def usable(user: User, canned_id) -> CannedReply:
    """A sjabloon of one of the user's own teams. :raises NotFound: any other id (another team's too)."""
    canned = db.session.get(CannedReply, number) if (number := as_id(canned_id)) else None
    if canned is None or canned.team_id not in team_ids_of(user):
        raise NotFound(NOT_FOUND)
    return canned


# ---------------------------------------------------------------- writing (a team's leads)

def create(actor: User, kind: str, key, *, title, body, now: datetime | None = None) -> CannedReply:
    """Add a sjabloon to the team. Side effects: commits.

    :raises NotFound: no such team. :raises Forbidden: not in the team, or not one of its leads.
    :raises InvalidInput: title or body missing, too long, with control characters, an unknown placeholder, or a
        title the team already uses.
    """
    now = now or utcnow()
    team = _team_of(actor, kind, key)
    _require_lead(actor, team)
    title, body = _checked(team, title, body)
    canned = CannedReply(team=team, title=title, body=body, created_by_id=actor.id, created_at=now,
                         updated_by_id=actor.id, updated_at=now)
    db.session.add(canned)
    commit()
    return canned


def edit(actor: User, kind: str, key, canned_id, *, title, body, now: datetime | None = None) -> CannedReply:
    """Change a sjabloon's title and text. Side effects: commits. Raises as `create`, and NotFound for a
    sjabloon that is not this team's."""
    team = _team_of(actor, kind, key)
    canned = _managed(actor, team, canned_id)
    _require_lead(actor, team)
    title, body = _checked(team, title, body, canned_id=canned.id)
    canned.title, canned.body = title, body
    canned.updated_by_id, canned.updated_at = actor.id, now or utcnow()
    commit()
    return canned


def delete(actor: User, kind: str, key, canned_id) -> CannedReply:
    """Delete a sjabloon (a reply already sent with it keeps its text). Side effects: commits."""
    team = _team_of(actor, kind, key)
    canned = _managed(actor, team, canned_id)
    _require_lead(actor, team)
    db.session.delete(canned)
    commit()
    return canned


# ---------------------------------------------------------------- placeholders

def unknown_placeholders(body: str) -> list[str]:
    """The `{…}` in a text that name no placeholder, as typed (with their braces), in order, each once."""
    found = []
    for match in _BRACED.finditer(body):
        if match.group(1) not in PLACEHOLDERS and match.group(0) not in found:
            found.append(match.group(0))
    return found


def render(canned: CannedReply, request: SupportRequest, supporter: User) -> str:
    """The sjabloon's text for this request, inserted by `supporter`: each known placeholder replaced by its
    value in one pass (a value is never read again, so a club named "{referentie}" stays that name); anything else
    stays exactly as stored."""
    values = {"club": request.club.name, "referentie": request.reference, "ondersteuner": supporter.name,
              "loket_contact": contact_details(canned.team)}
    return _BRACED.sub(lambda m: values.get(m.group(1), m.group(0)), canned.body)


def contact_details(team: Team) -> str:
    """The contact lines of the team's loket, bond or initiative: its name, then what it publishes (a loket:
    e-mail, telephone, address, opening hours, website; an initiative: e-mail and website; a bond: its name)."""
    organisation = team.organisation
    if organisation is None:
        return team.name
    lines = [organisation.name]
    for label, attribute in (("E-mail", "email"), ("Telefoon", "phone"), ("Adres", "address"),
                             ("Bereikbaar", "opening_hours"), ("Website", "url")):
        value = getattr(organisation, attribute, None)
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


# ---------------------------------------------------------------- helpers

def _team_of(viewer: User, kind: str, key) -> Team:
    organisation = team_organisation(kind, key)
    if membership_of(viewer, organisation) is None:
        raise Forbidden(NOT_IN_TEAM)
    return organisation.team


def may_manage(user: User, team: Team) -> bool:
    """Whether the user adds, edits and deletes this team's sjablonen: one of its leads (no query)."""
    return leads_team(user, team)


def _require_lead(actor: User, team: Team) -> None:
    if not may_manage(actor, team):
        raise Forbidden(NOT_A_LEAD)


def _managed(actor: User, team: Team, canned_id) -> CannedReply:
    canned = db.session.get(CannedReply, number) if (number := as_id(canned_id)) else None
    if canned is None or canned.team_id != team.id:
        raise NotFound(NOT_FOUND)
    return canned


def _checked(team: Team, title, body, *, canned_id: int | None = None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    title = required_text(errors, "title", title if isinstance(title, str) else "",
                          missing="Geef het sjabloon een titel.", limit=TITLE_MAX, what="De titel")
    if "title" not in errors and has_control_characters(title):
        errors["title"] = CONTROL_MESSAGE
    body = required_text(errors, "body", body if isinstance(body, str) else "",
                         missing="Schrijf de tekst van het sjabloon.", limit=current_app.config["REQUEST_BODY_MAX"],
                         what="De tekst")
    if "body" not in errors and has_control_characters(body, allowed=LINE_CHARACTERS):
        errors["body"] = CONTROL_MESSAGE
    if "body" not in errors and (unknown := unknown_placeholders(body)):
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        errors["body"] = (f"{'Onbekende invulvelden' if len(unknown) > 1 else 'Onbekend invulveld'}: "
                          f"{', '.join(unknown)}. Je kunt deze gebruiken: {known}.")
    if "title" not in errors and db.session.scalar(
            select(CannedReply.id).where(CannedReply.team_id == team.id, CannedReply.title == title,
                                         CannedReply.id != (canned_id or 0))) is not None:
        errors["title"] = TITLE_TAKEN
    if errors:
        raise InvalidInput(errors)
    return title, body
