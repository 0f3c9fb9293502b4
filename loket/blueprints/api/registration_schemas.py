"""The shapes of the registration API (api/registrations.py): registering a club with one's own account,
confirming the address, and the loket's list and decisions. Built from the same pieces as schemas.py (strict
bodies, text without NUL, closed responses), so spectree documents and checks them the same way."""
from typing import Literal

from pydantic import Field

from loket.blueprints.api.schemas import Body, GemeenteRef, Moment, Page, PageQuery, Shape, optional, text
from loket.models import CLUB_KINDS, CLUB_STATUSES, REGISTRATION_KINDS, REGISTRATION_STATES
from loket.services.network.clubs import NAME_MAX
from loket.services.network.registrations import REASON_MAX
from loket.services.network.users import NAME_MAX as PERSON_NAME_MAX
from loket.services.text import EMAIL_MAX

# ---------------------------------------------------------------- request bodies


class RegistrationClubBody(Body):
    """De club die je aanmeldt."""

    name: text(max_length=NAME_MAX)
    kind: Literal[CLUB_KINDS]
    gemeente: text("De CBS-code van de gemeente, bijvoorbeeld GM0344.", max_length=6)
    sports: list[text(max_length=80)] = Field(
        min_length=1, max_length=50, description="De namen van de sporten die de club aanbiedt (minstens één).")
    kvk: text(max_length=12) = optional(
        "Het KvK-nummer: precies 8 cijfers. Weglaten als de club niet in het Handelsregister staat.")


class RegistrationContactBody(Body):
    """Jij: je account, dat je met de link in de mail bevestigt."""

    name: text(max_length=PERSON_NAME_MAX)
    email: text(max_length=EMAIL_MAX)
    password: text("Minstens 12 tekens; niet een van de gangbare wachtwoorden en niet je naam of e-mailadres.", max_length=1024)
    function: text(max_length=80) = optional("Je functie bij de club, bijvoorbeeld secretaris.")


class RegistrationBody(Body):
    club: RegistrationClubBody
    contact: RegistrationContactBody


class ConfirmBody(Body):
    token: text("Het token uit de link in de bevestigingsmail (het laatste deel van het adres).", max_length=200)


class RejectBody(Body):
    reason: text("Waarom; de aanmelder krijgt dit per mail.", min_length=1, max_length=REASON_MAX)


def _enum_not_const(schema: dict) -> None:
    """A one-value Literal is written as `const`; the document's input schemas use `enum` (as the others)."""
    if "const" in schema:
        schema["enum"] = [schema.pop("const")]


class RegistrationQuery(PageQuery):
    state: Literal["pending"] = Field(
        "pending", description="Alleen ‘pending’: de aanmeldingen die op jouw besluit wachten.",
        json_schema_extra=_enum_not_const)


# ---------------------------------------------------------------- responses

class RegistrationAccepted(Shape):
    """Altijd hetzelfde antwoord, ook als het adres al een account heeft (die houder krijgt dan een mail)."""

    email: str = Field(description="Het adres waar de mail heen ging.")
    detail: str


class RegistrationClub(Shape):
    id: int
    name: str
    kind: Literal[CLUB_KINDS]
    status: Literal[CLUB_STATUSES]


class RegistrationState(Shape):
    id: int
    kind: Literal[REGISTRATION_KINDS]
    state: Literal[REGISTRATION_STATES]
    club: RegistrationClub


class Confirmed(Shape):
    email_confirmed: bool
    registration: RegistrationState | None = Field(description="De aanmelding die nu bij het loket ligt.")


class DuplicateClub(Shape):
    id: int
    name: str
    gemeente: str
    reason: str = Field(description="Waarom: ‘zelfde KvK-nummer’ of ‘lijkt op de naam’.")


class PendingClub(Shape):
    id: int
    name: str
    kind: Literal[CLUB_KINDS]
    kvk_number: str | None = Field(description="Niet voor het coördinatiepunt.")
    sports: list[str] = Field(description="Leeg voor het coördinatiepunt.")


class PendingContact(Shape):
    name: str
    email: str
    function: str | None


class PendingRegistration(Shape):
    """Een aanmelding die op jouw besluit wacht. Het coördinatiepunt (gemeente zonder operationeel loket) ziet
    alleen de naam en soort van de club en de gemeente: `contact` is dan null."""

    id: int
    kind: Literal[REGISTRATION_KINDS]
    club: PendingClub
    gemeente: GemeenteRef
    contact: PendingContact | None
    confirmed_at: Moment | None
    possible_duplicates: list[DuplicateClub] = Field(
        description="Actieve clubs met hetzelfde KvK-nummer of een sterk gelijkende naam in dezelfde gemeente.")


class PendingRegistrationPage(Page):
    items: list[PendingRegistration]
