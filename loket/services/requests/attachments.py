"""Attachments on a request, a reply or an internal note: the checks, who may add and see which, storing a file
together with its row, and removing files when a request's data is erased.

- A file is checked before anything is written: not empty, at most MAX_ATTACHMENT_BYTES (413), of an allowed type
  by its content (`file_types`, 415), its name made safe; the request's files together stay within
  MAX_REQUEST_ATTACHMENT_BYTES (413).
- Who may add: a contact of the request's club public files (its replies); a supporter of a team working on the
  request (teamwork.SupporterAccess) public files where the team may reply and internal files where it may write
  notes. Who may see: the club the public ones; the teams working on the request all of them. Anyone else gets
  NotFound, the same answer as for a file that does not exist.
- The bytes go to `storage` first, under a random key, and count only when the row's transaction commits
  (`storage.store_pending`): a refused or failed write leaves no file behind.
- A message with a file is one transaction: the reply or note and its file are stored together or not at all.
"""
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, null, select, union_all
from sqlalchemy.orm import joinedload

from loket.extensions import db
from loket.models import Attachment, Event, SupportRequest, User
from loket.models.base import utcnow
from loket.services import file_types, storage, transaction
from loket.services.errors import DomainError, Forbidden, InvalidInput, NotFound
from loket.services.ids import as_id
from loket.services.requests import actions, queues, teamwork

log = logging.getLogger(__name__)

FIELD = "attachment"
ATTACHMENT_NOT_FOUND = "Deze bijlage bestaat niet of je hebt er geen toegang toe."
EMPTY_MESSAGE = "Dit bestand is leeg."
REMOVED_NAME = "[verwijderd]"


class FileTooLarge(DomainError):
    """Over the size limit of one file or of a request's files together: 413."""

    status_code = 413


class RefusedFile(DomainError):
    """Not a type Loket accepts (judged by the content): 415."""

    status_code = 415


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def megabytes(size: int) -> str:
    """A size as people read it: 10 MB, 2,5 MB, 800 kB."""
    value = size / (1024 * 1024)
    if value < 1:
        return f"{-(-size // 1024)} kB"
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB".replace(".", ",")


def read_upload(upload, *, field: str = FIELD) -> tuple[str, bytes] | None:
    """(name, bytes) of an uploaded file (a werkzeug FileStorage or anything with `filename` and `stream`), read
    to at most one byte past the per-file limit; None when no file was chosen. :raises FileTooLarge:"""
    if upload is None or not hasattr(upload, "stream"):
        return None
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    data = upload.stream.read(limit + 1)
    name = upload.filename or ""
    if not data and not name:
        return None  # the file field was left empty
    if len(data) > limit:
        raise FileTooLarge(too_large_message(), field=field)
    return name, data


def too_large_message() -> str:
    return f"Dit bestand is te groot: een bijlage mag hooguit {megabytes(current_app.config['MAX_ATTACHMENT_BYTES'])} zijn."


def check_file(name: str | None, data: bytes, *, field: str = FIELD) -> CheckedFile:
    """The file as Loket keeps it: size and type checked, name made safe.
    :raises InvalidInput: empty. :raises FileTooLarge: over the limit. :raises RefusedFile: a refused type."""
    if not data:
        raise InvalidInput({field: EMPTY_MESSAGE})
    if len(data) > current_app.config["MAX_ATTACHMENT_BYTES"]:
        raise FileTooLarge(too_large_message(), field=field)
    try:
        kind = file_types.content_type_of(data, name or "")
    except file_types.RefusedType as error:
        raise RefusedFile(str(error), field=field) from None
    return CheckedFile(file_types.safe_name(name, kind), kind.content_type, data)


def checked_upload(upload, *, field: str = FIELD) -> CheckedFile | None:
    """An uploaded file read and checked (None when none was chosen)."""
    read = read_upload(upload, field=field)
    return None if read is None else check_file(*read, field=field)


def stored_total(request_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Attachment.size), 0)).where(
        Attachment.request_id == request_id, Attachment.removed_at.is_(None))) or 0


def add(request: SupportRequest, file: CheckedFile, *, actor: User | None, internal: bool,
        event: Event | None = None, now: datetime | None = None, field: str = FIELD) -> Attachment:
    """Store `file` on `request` (beside `event`, a reply or note, when given); the caller checked who may.
    :raises FileTooLarge: the request's files would pass the total limit. Side effects: stores the bytes;
    commits (the bytes are deleted again if that commit does not happen)."""
    now = now or utcnow()
    limit = current_app.config["MAX_REQUEST_ATTACHMENT_BYTES"]
    total = stored_total(request.id)
    if total + file.size > limit:
        raise FileTooLarge(f"Bij deze aanvraag kan in totaal hooguit {megabytes(limit)} aan bijlagen; er is al "
                           f"{megabytes(total)}. Kies een kleiner bestand.", field=field)
    key = storage.store_pending(db.session(), file.data, file.content_type)
    attachment = Attachment(request=request, event=event, internal=internal, name=file.name,
                            content_type=file.content_type, size=file.size, storage_key=key,
                            uploaded_by=actor, created_at=now)
    db.session.add(attachment)
    request.updated_at = now
    transaction.commit()
    return attachment


@contextmanager
def one_transaction():
    """Several service steps as one transaction: inside a held web request that is the request's own; otherwise
    held here and committed once at the end (an error abandons all of it)."""
    if transaction.is_holding():
        yield
        return
    with transaction.holding():
        yield
        transaction.release()


# ---------------------------------------------------------------- who adds

def attach_as_supporter(access: teamwork.SupporterAccess, file: CheckedFile, *, actor: User,
                        internal: bool) -> Attachment:
    """A supporter attaches a file to the request itself (the API). :raises Forbidden:"""
    _may_supporter_add(access, internal)
    return add(access.request, file, actor=actor, internal=internal)


def attach_as_club(request: SupportRequest, file: CheckedFile, *, actor: User, internal: bool = False) -> Attachment:
    """A contact of the request's club attaches a (public) file. :raises Forbidden: internal, or closed."""
    if internal:
        raise Forbidden("Alleen ondersteuners kunnen interne bijlagen toevoegen.")
    if not actions.accepts_messages(request):
        raise Forbidden("Deze aanvraag is gesloten; dien een nieuwe aanvraag in.")
    return add(request, file, actor=actor, internal=False)


def _may_supporter_add(access: teamwork.SupporterAccess, internal: bool) -> None:
    if internal and not access.can_note:
        raise Forbidden("Je kunt bij deze aanvraag geen interne bijlagen toevoegen.")
    if not internal and not access.can_reply:
        raise Forbidden("Een bijlage voor de club kan pas als jouw team de aanvraag behandelt of meewerkt.")


def supporter_message(access: teamwork.SupporterAccess, *, actor: User, body: str, internal: bool,
                      upload=None) -> Event:
    """A reply or internal note with an optional file, in one transaction. The file is checked first."""
    file = checked_upload(upload)
    if file is not None:
        _may_supporter_add(access, internal)
    with one_transaction():
        event = teamwork.post_message(access, actor=actor, body=body, internal=internal)
        if file is not None:
            add(access.request, file, actor=actor, internal=internal, event=event)
    return event


def club_message(request: SupportRequest, *, actor: User, body: str, upload=None) -> Event:
    """A club's reply with an optional file, in one transaction. The file is checked first."""
    file = checked_upload(upload)
    with one_transaction():
        event = actions.add_message(request, actor=actor, body=body, internal=False, as_supporter=False)
        if file is not None:
            add(request, file, actor=actor, internal=False, event=event)
    return event


# ---------------------------------------------------------------- who sees

def visible(request: SupportRequest, *, include_internal: bool) -> list[Attachment]:
    """The request's files the reader may see, oldest first (one query)."""
    query = select(Attachment).where(Attachment.request_id == request.id, Attachment.removed_at.is_(None))
    if not include_internal:
        query = query.where(Attachment.internal.is_(False))
    return list(db.session.scalars(query.order_by(Attachment.id)))


def by_event(attachments: list[Attachment]) -> dict[int | None, list[Attachment]]:
    """The files per event id (None: those of the request itself)."""
    grouped: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        grouped.setdefault(attachment.event_id, []).append(attachment)
    return grouped


def supporter_timeline(request: SupportRequest) -> tuple[list[Event], dict[int | None, list[Attachment]]]:
    """What a team working on the request reads of it: the timeline (every event, internal notes too, oldest first,
    with its actor but not the actor's memberships) and every file that is not removed, per event id as `by_event`
    groups them (None: those of the request itself), oldest first. One query: the event ids and one empty slot for
    the request's own files, each slot with its event and that event's files (an outer join, so an event without a
    file and a request without events both come back)."""
    slots = union_all(select(Event.id.label("event_id")).where(Event.request_id == request.id),
                      select(null().label("event_id"))).subquery()
    rows = db.session.execute(
        select(Event, Attachment).select_from(slots)
        .outerjoin(Event, Event.id == slots.c.event_id)
        .outerjoin(Attachment, (Attachment.request_id == request.id) & Attachment.removed_at.is_(None)
                   & Attachment.event_id.is_not_distinct_from(slots.c.event_id))
        .options(joinedload(Event.actor).lazyload(User.memberships))
        .order_by(slots.c.event_id, Attachment.id))
    events: dict[int, Event] = {}
    files: dict[int | None, list[Attachment]] = {}
    for event, attachment in rows:
        if event is not None:
            events.setdefault(event.id, event)
        if attachment is not None:
            files.setdefault(attachment.event_id, []).append(attachment)
    return list(events.values()), files


def for_reader(request: SupportRequest, attachment_id, *, include_internal: bool) -> Attachment:
    """One file of the request the reader may see. :raises NotFound: unknown, removed, another request's, or
    internal for a club."""
    attachment_id = as_id(attachment_id)
    attachment = db.session.get(Attachment, attachment_id) if attachment_id else None
    if (attachment is None or attachment.request_id != request.id or attachment.removed_at is not None
            or (attachment.internal and not include_internal)):
        raise NotFound(ATTACHMENT_NOT_FOUND)
    return attachment


def contents(attachment: Attachment) -> bytes:
    """The stored bytes. :raises NotFound: the storage does not have them (logged: that is our fault)."""
    try:
        return storage.storage().get(attachment.storage_key)
    except storage.StorageError:
        log.exception("Attachment %s is in the database but its file could not be read", attachment.id)
        raise NotFound("Deze bijlage is op dit moment niet beschikbaar. Probeer het later opnieuw.") from None


def for_club_contact(user: User, request_id, attachment_id) -> tuple[Attachment, bytes]:
    request = queues.get_request_for_club_contact(user, request_id)
    attachment = for_reader(request, attachment_id, include_internal=False)
    return attachment, contents(attachment)


def for_supporter(user: User, request_id, attachment_id) -> tuple[Attachment, bytes]:
    access = teamwork.supporter_access(user, request_id)
    attachment = for_reader(access.request, attachment_id, include_internal=True)
    return attachment, contents(attachment)


# ---------------------------------------------------------------- AVG: removing files

def remove_files(*, request_ids=(), uploaded_by_id: int | None = None, now: datetime | None = None) -> int:
    """Mark the files of these requests (and, with `uploaded_by_id`, those that person uploaded anywhere) as
    removed, and delete their bytes once the caller's transaction commits; returns how many. Does not commit."""
    now = now or utcnow()
    request_ids = list(request_ids)
    if not request_ids and uploaded_by_id is None:
        return 0
    condition = Attachment.request_id.in_(request_ids) if request_ids else None
    if uploaded_by_id is not None:
        mine = Attachment.uploaded_by_id == uploaded_by_id
        condition = mine if condition is None else (condition | mine)
    rows = list(db.session.scalars(select(Attachment).where(condition, Attachment.removed_at.is_(None))))
    for row in rows:
        row.removed_at = now
        row.name = REMOVED_NAME
    storage.remove_after_commit(db.session(), [row.storage_key for row in rows])
    return len(rows)


def internal_flag(value) -> bool:
    """The API's `internal` form value: true/false (also 1/0, yes/no, on/off). :raises InvalidInput:"""
    if value is None or value == "":
        return False
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on", "ja"):
        return True
    if text in ("false", "0", "no", "off", "nee"):
        return False
    raise InvalidInput({"internal": "Moet true of false zijn."})
