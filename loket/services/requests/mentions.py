"""Mentions: naming a colleague with @ in an internal note tells them (a mail, and an entry on their start page).

The syntax (SYNTAX_HINT, shown beside the note field): `@` followed by a colleague's full name (spaces and all,
upper or lower case: "@cees collega") or by the part of their e-mail address before the @ ("@cees.collega").
Where several names fit, the longest wins ("@Jan Jansen" before "@Jan"). An @ inside a word or an address
(info@club.nl) is no mention, nor an @ before a space.

Who may be named: the people of the teams working on the request — those who may read it (`teamwork`'s
`reader_team_ids`, the same rule that opens the request page: the owning team, a team it is referred to, an
invited team). A note naming anyone else, or a name nobody has, is refused as a whole, naming who; nothing is
stored. Naming yourself is allowed and tells nobody.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update

from loket.extensions import db
from loket.models import Event, Membership, Mention, SupportRequest, User
from loket.models.base import utcnow
from loket.services.errors import InvalidInput
from loket.services.messaging import notifications
from loket.services.network.teams import MEMBER_ROLE
from loket.services.network.users import NAME_MAX
from loket.services.transaction import commit

SYNTAX_HINT = ("Noem een collega met @ en de volledige naam (@Cees Collega) of het deel van het e-mailadres vóór de "
               "@ (@cees.collega); die krijgt een bericht. Je kunt alleen iemand noemen van een team dat aan deze "
               "aanvraag werkt.")
# An @ that starts a mention: not inside a word or an address, and followed by a letter or digit.
_START = re.compile(r"(?<![\w@.+-])@(?=\w)")
_WORD = re.compile(r"[\w.+-]+")
HOME_LIMIT = 10  # the start page lists this many unseen mentions, newest first
CANNOT_READ = "{names} {verb} deze aanvraag niet lezen: noem alleen collega's van een team dat eraan werkt."
UNKNOWN = "Niemand die aan deze aanvraag werkt heet {names}."


def _keys(user: User) -> tuple[str, ...]:
    """What may follow the @ for this person, lower case: their full name, the local part of their address."""
    name = " ".join((user.name or "").split()).lower()
    local = (user.email or "").partition("@")[0].lower()
    return tuple(key for key in (name, local) if key)


def _match(text: str, start: int, people: list[User]) -> list[User]:
    """The people whose longest fitting key follows position `start` (several when they share it)."""
    window = text[start:start + NAME_MAX + 1].lower()
    best, found = 0, []
    for person in people:
        for key in _keys(person):
            end = len(key)
            if window.startswith(key) and (end == len(window) or not (window[end].isalnum() or window[end] == "_")):
                if end > best:
                    best, found = end, [person]
                elif end == best and person not in found:
                    found.append(person)
    return found


def has_mentions(body) -> bool:
    """Whether a text holds anything that reads as a mention (no query)."""
    return isinstance(body, str) and _START.search(body) is not None


def mentioned_in(body, readers: list[User], *, field: str = "body") -> list[User]:
    """The people a note names, all of them among `readers` (those who may read the request), in order, each once.

    :raises InvalidInput: a mention of someone who may not read the request, or of nobody known, naming them.
    """
    if not has_mentions(body):
        return []
    found: list[User] = []
    unmatched: list[tuple[int, str]] = []
    for at in _START.finditer(body):
        people = _match(body, at.end(), readers)
        if people:
            found.extend(p for p in people if p not in found)
        else:
            unmatched.append((at.end(), _WORD.match(body, at.end()).group(0)))
    if unmatched:
        raise InvalidInput({field: _refusal(body, unmatched)})
    return found


def _refusal(body: str, unmatched: list[tuple[int, str]]) -> str:
    """The Dutch message for mentions that name no reader: supporters who cannot read it by name, the rest as
    typed. One query for the supporters whose name or address begins with a typed first word."""
    words = sorted({word.lower() for _, word in unmatched})
    candidates = list(db.session.scalars(
        select(User).join(Membership).where(
            Membership.role.in_(MEMBER_ROLE.values()), User.active,
            or_(*(or_(func.lower(User.name).like(_escaped(word) + "%", escape="\\"),
                      func.lower(User.email).like(_escaped(word) + "%", escape="\\")) for word in words)))
        .distinct().order_by(User.name, User.id)))
    outsiders: list[str] = []
    unknown: list[str] = []
    for start, word in unmatched:
        people = _match(body, start, candidates)
        for name in ([p.name for p in people] or [f"‘@{word}’"]):
            target = outsiders if people else unknown
            if name not in target:
                target.append(name)
    parts = []
    if outsiders:
        parts.append(CANNOT_READ.format(names=_listed(outsiders), verb="kan" if len(outsiders) == 1 else "kunnen"))
    if unknown:
        parts.append(UNKNOWN.format(names=_listed(unknown)))
    return " ".join(parts)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


# ---------------------------------------------------------------- writing (in the note's transaction)

def record(event: Event, people: list[User], *, actor: User, now: datetime | None = None) -> list[Mention]:
    """A Mention row and a mail for each person named in the note `event` (not the writer). Called by
    `actions.add_message` inside its transaction, so the note, its mentions and their mails are stored together."""
    now = now or utcnow()
    others = [p for p in people if p.id != actor.id]
    rows = [Mention(event_id=event.id, user_id=person.id, created_at=now) for person in others]
    db.session.add_all(rows)
    if others:
        notifications.mentioned(event, others)
    return rows


def mark_seen(user: User, request_id: int, *, now: datetime | None = None) -> int:
    """Mark the user's mentions in this request seen (they opened it): one UPDATE, committed when it changed
    something. Returns how many were new."""
    return _mark(user, Mention.event_id.in_(select(Event.id).where(Event.request_id == request_id)), now)


def mark_all_seen(user: User, *, now: datetime | None = None) -> int:
    """"Alles gezien" on the start page: every unseen mention of the user."""
    return _mark(user, None, now)


def _mark(user: User, condition, now: datetime | None) -> int:
    statement = update(Mention).where(Mention.user_id == user.id, Mention.seen_at.is_(None))
    if condition is not None:
        statement = statement.where(condition)
    result = db.session.execute(statement.values(seen_at=now or utcnow()).execution_options(
        synchronize_session=False))
    if result.rowcount:
        commit()
    return result.rowcount or 0


# ---------------------------------------------------------------- the start page

@dataclass(frozen=True)
class MentionItem:
    """An unseen mention as the start page lists it: no contents (not even the title), since the person may no
    longer read the request (a referral accepted elsewhere); the link then answers 404 as any other."""

    request_id: int
    reference: str
    by: str | None  # who wrote the note
    at: datetime


def unseen(user: User, *, limit: int = HOME_LIMIT) -> tuple[list[MentionItem], int]:
    """The user's unseen mentions, newest first (at most `limit`), and how many there are. One query (two when
    there are more than `limit`), on the (user, seen_at) index."""
    rows = db.session.execute(
        select(Mention.id, SupportRequest.id, SupportRequest.reference, User.name, Event.created_at)
        .join(Event, Event.id == Mention.event_id).join(SupportRequest, SupportRequest.id == Event.request_id)
        .outerjoin(User, User.id == Event.actor_id)
        .where(Mention.user_id == user.id, Mention.seen_at.is_(None))
        .order_by(Mention.event_id.desc()).limit(limit)).all()
    total = len(rows) if len(rows) < limit else db.session.scalar(
        select(func.count(Mention.id)).where(Mention.user_id == user.id, Mention.seen_at.is_(None)))
    return [MentionItem(request_id=r[1], reference=r[2], by=r[3], at=r[4]) for r in rows], total
