"""Everything Loket holds about one person, found by their e-mail address: the one query set that both the
export and the erasure read, so the two can never disagree about what belongs to someone."""
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from loket.extensions import db
from loket.models import ClubContact, ClubRegistration, Event, OutboxMessage, SupportRequest, User
from loket.services.errors import InvalidInput
from loket.services.network.users import find_by_email, normalise_email
from loket.services.text import EMAIL_MAX

UNKNOWN_PERSON = "Over dit e-mailadres bewaart Loket niets: geen account, geen contactpersoon, geen mail."


@dataclass
class PersonData:
    email: str
    user: User | None
    contacts: list[ClubContact] = field(default_factory=list)
    requests: list[SupportRequest] = field(default_factory=list)  # the requests they filed
    messages: list[Event] = field(default_factory=list)  # replies and notes they wrote
    mails: list[OutboxMessage] = field(default_factory=list)  # mails to their address
    registrations: list[ClubRegistration] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.user or self.contacts or self.mails)

    def counts(self) -> dict[str, int]:
        return {"account": int(self.user is not None), "contacts": len(self.contacts),
                "requests": len(self.requests), "messages": len(self.messages), "mails": len(self.mails),
                "registrations": len(self.registrations)}


def typed_email(email: str | None) -> str:
    """The address as typed, normalised; a Dutch message when it cannot be one."""
    email = normalise_email(email or "")
    if not email or len(email) > EMAIL_MAX or "@" not in email or not email.isprintable():
        raise InvalidInput({"email": "Vul het e-mailadres van de persoon in."})
    return email


def find_person(email: str | None) -> PersonData:
    """What is held about the person with this address (seven queries, whatever the amount)."""
    email = typed_email(email)
    user = find_by_email(email)
    theirs = func.lower(ClubContact.email) == email
    if user is not None:
        theirs = or_(theirs, ClubContact.user_id == user.id)
    contacts = list(db.session.scalars(
        select(ClubContact).where(ClubContact.removed_at.is_(None), theirs).order_by(ClubContact.id)))
    mails = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "email", OutboxMessage.anonymised_at.is_(None),
                                    func.lower(OutboxMessage.payload["to"].as_string()) == email)
        .order_by(OutboxMessage.id)))
    data = PersonData(email=email, user=user, contacts=contacts, mails=mails)
    if user is not None:
        data.requests = list(db.session.scalars(
            select(SupportRequest).where(SupportRequest.requester_id == user.id).order_by(SupportRequest.id)))
        data.messages = list(db.session.scalars(
            select(Event).where(Event.actor_id == user.id, Event.body.is_not(None)).order_by(Event.id)))
        data.registrations = list(db.session.scalars(
            select(ClubRegistration).where(ClubRegistration.user_id == user.id).order_by(ClubRegistration.id)))
    return data
