"""The API's shapes as pydantic models: request bodies and query strings (validated before a view runs)
and responses (validated after it). spectree puts their JSON Schemas (2020-12) into the OpenAPI document,
so what is documented is what is checked.

Bodies are strict JSON: a number is not text, `true` is not a number, unknown fields are refused, text
with a control character other than a line break or tab is refused (services/text; PostgreSQL cannot store NUL).
Query strings are text by nature, so their numbers are converted, but only plain digits count as a number.
"""
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from loket.blueprints.api.lookups import VIEWS
from loket.models import (
    CATEGORY_SCOPES,
    CHANNELS,
    CLUB_KINDS,
    CRITERION_KINDS,
    EVENT_KINDS,
    LOKET_STATUSES,
    REFERRAL_STATES,
    ROLES,
    RUN_STATES,
    STATUSES,
)
from loket.services.requests.queues import QUEUE_SORTS
from loket.services.text import LINE_CHARACTERS, has_control_characters

TEAM_TYPES = ("loket", "bond", "initiatief")
# Ids are 32-bit integers in the database; a larger number names nothing (and PostgreSQL would refuse it).
MAX_ID = 2**31 - 1
MAX_PAGE = 1_000_000
NUL_MESSAGE = "Mag geen stuurtekens bevatten, zoals een NUL-teken (\\u0000) of een escape-teken (\\u001b)."
INT_OR_TEXT_MESSAGE = "Moet een geheel getal zijn. Of: Moet tekst zijn."
# Tags of the one union below; they appear in pydantic's error locations and are not field names.
UNION_TAGS = frozenset({"integer", "text"})


def _refuse_nul(value):
    """Text follows the one rule (services/text): no control character but a line break or a tab."""
    if isinstance(value, str) and has_control_characters(value, allowed=LINE_CHARACTERS):
        raise PydanticCustomError("nul_character", NUL_MESSAGE)
    return value


def _digits_only(value):
    """A query-string number is plain ASCII digits ("1.0", "+5", "1_0" are not)."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise PydanticCustomError("int_parsing", "Moet een geheel getal zijn.")
    return value


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def text(description: str | None = None, **constraints):
    """A string without NUL characters (checked before any length rule)."""
    return Annotated[str, BeforeValidator(_refuse_nul), Field(description=description, **constraints)]


def optional(description: str | None = None):
    """A field that may be left out, but is never null when given (so the document shows no default)."""
    return Field(None, description=description, json_schema_extra=_no_default)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
QueryNumber = Annotated[int, BeforeValidator(_digits_only)]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Unknown parameters are ignored; an empty one counts as not given."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, values):
        return {name: value for name, value in values.items() if value != ""} if isinstance(values, dict) else values


class Shape(BaseModel):
    """A response body: closed, every field required unless marked optional."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- request bodies

def _id_kind(value) -> str | None:
    if isinstance(value, str):
        return "text"
    return "integer" if isinstance(value, int) and not isinstance(value, bool) else None


TeamId = Annotated[
    Annotated[Id, Tag("integer")] | Annotated[text(min_length=1, max_length=80), Tag("text")],
    Discriminator(_id_kind, custom_error_type="int_or_text", custom_error_message=INT_OR_TEXT_MESSAGE),
    Field(description="Het numerieke id van het loket, de bond of het landelijk initiatief, of de slug van het "
                      "loket / de key van de bond of het initiatief."),
]


class TeamTarget(Body):
    """Een loket, bond of landelijk initiatief (`initiatief`)."""

    type: Literal[TEAM_TYPES]
    id: TeamId


class TokenBody(Body):
    email: text(max_length=254)
    password: text(max_length=1024)
    otp: text(max_length=20) = optional(
        "De code uit je authenticator-app (of een herstelcode); nodig als tweestapsverificatie aan staat.")


class LoketBody(Body):
    name: text(max_length=160)
    slug: text("Kleine letters, cijfers en streepjes; uniek.", max_length=80)
    gemeenten: list[text("CBS-code, bijvoorbeeld GM0344.", max_length=6)] = Field(min_length=1, max_length=400)
    status: Literal[LOKET_STATUSES] = "in_oprichting"


class LoketPatchBody(Body):
    """Alleen de velden die je meestuurt veranderen."""

    # Every field may be left out; the document still says so explicitly.
    model_config = ConfigDict(strict=True, extra="forbid",
                              json_schema_extra=lambda schema: schema.setdefault("required", []))

    name: text(max_length=160) = optional()
    status: Literal[LOKET_STATUSES] = optional(
        "Terug van operationeel naar in_oprichting kan alleen met een `reason`.")
    aangehaakt: bool = optional("true zet de datum van aanhaken op vandaag, tenzij `aangehaakt_at` is meegegeven.")
    aangehaakt_at: text("De dag van aanhaken (JJJJ-MM-DD), niet in de toekomst.",
                        pattern=r"^\d{4}-\d{2}-\d{2}$") = optional()
    gemeenten: list[text("CBS-code, bijvoorbeeld GM0344.", max_length=6)] = Field(
        None, max_length=400, json_schema_extra=_no_default,
        description="De volledige lijst van gemeenten die het loket bedient. Een gemeente van een ander loket "
                    "alleen met `take_over`: true; open aanvragen verhuizen mee.")
    # Contact fields: null or "" clears one.
    email: text("Het openbare e-mailadres.", max_length=254) | None = None
    phone: text("Het openbare telefoonnummer.", max_length=40) | None = None
    address: text("Het bezoekadres.", max_length=300) | None = None
    opening_hours: text("De openingstijden.", max_length=300) | None = None
    url: text("De eigen website, beginnend met https://.", max_length=300) | None = None
    reason: text("Waarom (in de geschiedenis bij elke wijziging).", max_length=1000) | None = optional()
    take_over: bool = optional("true: neem gemeenten over die nu door een ander loket worden bediend.")


class ClubBody(Body):
    name: text(max_length=200)
    kind: Literal[CLUB_KINDS]
    gemeente: text("CBS-code van de gemeente van de club.", max_length=6)
    sports: list[text(max_length=80)] = Field(default_factory=list, max_length=50)


class MembershipBody(Body):
    role: Literal[ROLES]
    club: Id = optional("Bij rol club: het id van de club.")
    loket: text(max_length=80) = optional("Bij rol clubondersteuner: de slug van het loket.")
    bond: text(max_length=40) = optional("Bij rol bondsspecialist: de key van de bond.")
    initiative: text(max_length=40) = optional("Bij rol initiatiefmedewerker: de key van het landelijk initiatief.")
    gemeente: text(max_length=6) = optional("Bij rol gemeente: de CBS-code van de gemeente (GM0344).")
    region: Id = optional("Bij rol adviseur: het id van de regio (zie region in de rollen van een gebruiker).")
    team_lead: bool = False


class UserBody(Body):
    email: text(max_length=254)
    name: text(max_length=120)
    password: text("Minstens 12 tekens; niet een van de gangbare wachtwoorden en niet je naam of e-mailadres.",
                   max_length=1024)
    memberships: list[MembershipBody] = Field(min_length=1, max_length=20)


class BondPatchBody(Body):
    aangesloten: bool


class NewContactBody(Body):
    """Een nieuwe contactpersoon van de club: naam, en een e-mailadres en/of telefoonnummer. Met een e-mailadres
    zonder account krijgt de persoon een account voor de club en een mail om een wachtwoord te kiezen."""

    name: text("Verplicht.")
    email: text() | None = None
    phone: text() | None = None


class RequestBody(Body):
    club: Id = Field(validation_alias=AliasChoices("club", "club_id"),
                     description="Het id van de club (ook als `club_id`): een van je eigen clubs, of "
                                 "(clubondersteuners) een club in het werkgebied van je loket.")
    category: text("De slug van een actieve categorie (GET /api/v1/categories).", max_length=80)
    sport: text(max_length=80) | None = Field(
        None, description="De naam van de sport; verplicht bij een sportspecifieke categorie.")
    title: text("Hooguit 200 tekens.")
    description: text()
    channel: Literal[CHANNELS] = optional(
        "Hoe de vraag binnenkwam. Een club dient zelf in via portaal (standaard). Een clubondersteuner die namens "
        "een club indient: telefoon, bezoek of e-mail (verplicht).")
    contact_id: Id = optional("Clubondersteuners: het id van een bestaande contactpersoon van de club.")
    contact: NewContactBody = optional("Clubondersteuners: een nieuwe contactpersoon (in plaats van `contact_id`).")


class MessageBody(Body):
    body: text()
    internal: bool = Field(
        False, description="true: interne notitie (alleen ondersteuners); false: reactie aan de club.")


class StatusBody(Body):
    status: Literal[STATUSES]
    version: Id = optional("De versie die je las; wijkt die af, dan volgt 409 in plaats van overschrijven.")


class ReferralBody(Body):
    to: TeamTarget
    reason: text("Waarom je doorverwijst.")


class DeclineBody(Body):
    reason: text("Waarom je de doorverwijzing afwijst.")


class CollaboratorBody(Body):
    team: TeamTarget
    reason: text() | None = None


class CollaboratorEndBody(Body):
    team: TeamTarget


# ---------------------------------------------------------------- query strings

class PageQuery(Query):
    page: QueryNumber = Field(1, ge=1, le=MAX_PAGE, description="Paginanummer, vanaf 1.")
    per_page: QueryNumber = Field(50, ge=1, le=100, description="Aantal per pagina (hooguit 100).")


QUEUE_SORT_KEYS = tuple(QUEUE_SORTS)


class RequestListQuery(PageQuery):
    view: Literal[VIEWS] = optional(
        "club: de aanvragen van je clubs (standaard voor clubcontacten). team: jullie wachtrij (standaard voor "
        "ondersteuners); inkomend: aan jullie doorverwezen; uitgaand: door jullie doorverwezen; samenwerking: "
        "waar jullie zijn ingeschakeld.")
    team: Literal[VIEWS] = optional("Synoniem van `view`.")
    status: Literal[(*STATUSES, "open")] = optional(
        "Een status, of ‘open’ voor alles wat nog loopt. Zonder: alle statussen.")
    category: text(max_length=80) = optional("De slug van een categorie.")
    q: text() = optional(
        "Zoekwoorden (hooguit 100 tekens), te combineren met de andere filters: in het kenmerk, de titel, de "
        "omschrijving, de berichten die je mag lezen (ondersteuners ook de interne notities) en de naam van de "
        "club. Woorden worden op hun stam gezocht (‘vrijwilligers’ vindt ‘vrijwilliger’); alle woorden moeten "
        "voorkomen. De beste treffers eerst.")
    sort: Literal[QUEUE_SORT_KEYS] = optional(
        "Volgorde van een wachtrij: deadline (standaard), oudste, activiteit (laatste activiteit eerst) of club. "
        "Met `q`: de beste treffers eerst, dan deze volgorde. De lijst van een club: nieuwste eerst.")


# ---------------------------------------------------------------- responses

MOMENT = "ISO 8601 in UTC, bijvoorbeeld 2026-03-02T09:00:00Z."
Moment = Annotated[str, Field(description=MOMENT, json_schema_extra={"format": "date-time"})]
Day = Annotated[str, Field(description="Datum (JJJJ-MM-DD).", json_schema_extra={"format": "date"})]
SUPPORTERS_ONLY = "Alleen voor ondersteuners."


class TeamRef(Shape):
    type: Literal["loket", "bond", "initiatief", "fallback"]
    id: int | None = Field(description="Het id van het loket, de bond of het landelijk initiatief; null voor de opvang "
                                       "van het coördinatiepunt.")
    name: str
    team_id: int


class Named(Shape):
    id: int
    name: str


class Category(Shape):
    slug: str
    name: str
    scope: Literal[CATEGORY_SCOPES]


class CategoryList(Shape):
    items: list[Category]


class Referral(Shape):
    id: int
    request_id: int
    state: Literal[REFERRAL_STATES]
    from_: TeamRef = Field(alias="from")
    to: TeamRef
    reason: str
    created_at: Moment
    due_at: Moment
    decided_at: Moment | None
    decline_reason: str | None


class RequestSummary(Shape):
    """Een aanvraag. Clubcontacten krijgen de velden voor ondersteuners niet."""

    id: int
    reference: str = Field(description="Publiek kenmerk, bijvoorbeeld LK-2026-000123.")
    title: str
    status: Literal[STATUSES]
    category: Category
    sport: str | None
    club: Named
    owner: TeamRef
    channel: Literal[CHANNELS] = Field(description="Hoe de vraag binnenkwam; portaal is de eigen indiening van de club.")
    filed_by: str | None = Field(
        description="De clubondersteuner die namens de club indiende (naam); null als de club zelf indiende.")
    created_at: Moment
    updated_at: Moment
    resolved_at: Moment | None
    closed_at: Moment | None
    version: int = optional(SUPPORTERS_ONLY)
    priority: Literal["laag", "normaal", "hoog"] = optional(SUPPORTERS_ONLY)
    assignee: Named | None = optional(SUPPORTERS_ONLY)
    first_response_at: Moment | None = optional(SUPPORTERS_ONLY)
    due_at: Moment | None = optional(SUPPORTERS_ONLY)
    first_response_due_at: Moment | None = optional(SUPPORTERS_ONLY)
    resolution_due_at: Moment | None = optional(SUPPORTERS_ONLY)
    open_referral: Referral | None = optional(SUPPORTERS_ONLY)


class Actor(Shape):
    id: int = optional()
    name: str


class Event(Shape):
    id: int
    kind: Literal[EVENT_KINDS]
    created_at: Moment
    public: bool
    body: str | None
    actor: Actor | None = Field(description="Clubcontacten zien alleen de naam, en alleen bij indienen en reacties.")
    data: dict[str, Any] = Field(description="Details per soort gebeurtenis (clubs: alleen publieke details).")


class Collaborator(Shape):
    team: TeamRef
    since: Moment
    reason: str | None


class Permissions(Shape):
    """Alleen voor ondersteuners: wat jouw team met deze aanvraag mag."""

    manage: bool
    reply: bool
    note: bool


class RequestDetail(RequestSummary):
    description: str
    timeline: list[Event] = Field(description="Clubs: alleen publieke stappen. Ondersteuners: alles.")
    collaborators: list[Collaborator] = optional(SUPPORTERS_ONLY)
    permissions: Permissions = optional(SUPPORTERS_ONLY)


class GemeenteRef(Shape):
    code: str
    name: str


class Loket(Shape):
    id: int
    slug: str
    name: str
    status: Literal[LOKET_STATUSES]
    aangehaakt: bool
    team_id: int | None = Field(description="Het team van het loket: doel voor doorverwijzen en inschakelen.")
    gemeenten: list[GemeenteRef]
    email: str | None
    phone: str | None
    address: str | None
    opening_hours: str | None
    url: str | None
    aangehaakt_at: str | None = Field(description="De dag van aanhaken bij het coördinatiepunt (JJJJ-MM-DD).")
    contact_reviewed_at: str | None = Field(description="Wanneer de coördinator de gegevens het laatst nakeek.")


class Bond(Shape):
    id: int
    key: str = Field(description="Unieke sleutel, ook in de URL.")
    abbreviation: str
    name: str
    kind: Literal["bond", "brancheorganisatie"] = Field(
        description="bond: een sportbond (verenigingen); brancheorganisatie: voor ondernemingen.")
    aangesloten: bool
    aangesloten_at: Day | None
    team_id: int | None = Field(description="Het team van de bond: doel voor doorverwijzen en inschakelen.")
    sports: list[str]


class Club(Shape):
    id: int
    name: str
    kind: Literal[CLUB_KINDS]
    gemeente: GemeenteRef
    loket_id: int | None = Field(description="Het loket van de gemeente van de club, als die er een heeft.")
    sports: list[str]
    kvk_number: str | None
    created_at: Moment


class Membership(Shape):
    role: Literal[ROLES]
    team_lead: bool
    club: int | None
    loket: str | None
    bond: str | None
    initiative: str | None = Field(description="De key van het landelijk initiatief (initiatiefmedewerker).")
    gemeente: str | None = Field(description="De CBS-code van de gemeente (rol gemeente), bv. GM0344.")
    region: int | None = Field(description="Het id van de regio (rol adviseur).")
    region_set: str | None = Field(description="De slug van de regio-indeling waar die regio bij hoort (adviseur).")
    organisation: str | None = Field(description="De naam van de club, het loket, de bond, het initiatief, de "
                                                  "gemeente of de regio.")


class User(Shape):
    id: int
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]
    name: str
    active: bool
    created_at: Moment
    last_login_at: Moment | None
    memberships: list[Membership]


class Token(Shape):
    token: str = Field(description="Het geheime token; wordt maar één keer getoond.")
    token_type: Literal["Bearer"]
    expires_at: Moment | None


class Initiative(Shape):
    """Een landelijk initiatief of programma met een eigen team (geen club dient er zelf bij in)."""

    id: int
    key: str = Field(description="Unieke sleutel, ook in de URL (`to: {type: initiatief, id: key}`).")
    name: str
    description: str | None
    email: str | None
    url: str | None
    team_id: int | None = Field(description="Het team van het initiatief: doel voor doorverwijzen en inschakelen.")


class Page(Shape):
    page: int
    per_page: int
    total: int
    pages: int


class LoketPage(Page):
    items: list[Loket]


class BondPage(Page):
    items: list[Bond]


class InitiativePage(Page):
    items: list[Initiative]


class ClubPage(Page):
    items: list[Club]


class UserPage(Page):
    items: list[User]


class RequestPage(Page):
    items: list[RequestSummary]


class QualityRun(Shape):
    """Een herberekening van de metingen: queued, running, done of failed, met voortgang per criterium."""

    id: int
    state: Literal[RUN_STATES]
    period: Annotated[str, Field(description="De meetmaand, als haar eerste dag (JJJJ-MM-DD).",
                                 json_schema_extra={"format": "date"})]
    criteria_done: int
    criteria_total: int
    created_at: Moment
    started_at: Moment | None
    finished_at: Moment | None


class OverviewLoket(Shape):
    slug: str
    name: str
    status: Literal[LOKET_STATUSES]
    aangehaakt: bool
    provinces: list[str]
    gemeenten: int
    voldoet: bool
    criteria: dict[str, bool | None] = Field(
        description="Per code van de huidige criteriaset: true (gehaald), false (niet gehaald), "
                    "null (nog niet gemeten, niet meetbaar of niet beoordeeld).")
    trend: Literal["beter", "gelijk", "slechter"] | None = Field(
        description="Gehaalde meetbare criteria in de laatste gemeten maand tegenover de maand ervoor.")


class Targets(Shape):
    """De doelen voor 2026."""

    gemeenten_covered: int
    loketten_voldoen: int
    bonden_aangesloten: int


class Criterion(Shape):
    code: str
    title: str
    kind: Literal[CRITERION_KINDS]


class Overview(Shape):
    as_of: Annotated[str, Field(description="De datum van de stand (JJJJ-MM-DD).",
                                json_schema_extra={"format": "date"})]
    criteria_set: str | None = Field(description="De versie van de criteriaset in gebruik, bijvoorbeeld 2026.1.")
    gemeenten_total: int
    gemeenten_covered: int = Field(description="Gemeenten die een operationeel loket hebben.")
    loketten_total: int
    loketten_operationeel: int
    loketten_aangehaakt: int
    loketten_voldoen: int
    bonden_total: int
    bonden_aangesloten: int
    targets: Targets
    criteria: list[Criterion]
    loketten: list[OverviewLoket]
    latest_run: QualityRun | None = Field(description="De laatst aangevraagde herberekening, of null.")


class Problem(Shape):
    """RFC 9457 problem details; `detail` is Dutch and meant for people."""

    type: Annotated[str, Field(json_schema_extra={"format": "uri-reference"})]
    title: str
    status: int
    detail: str
    errors: dict[str, str] = optional("Bij 422: per veld (pad zoals `to.id`) een Nederlandse melding.")


class OpenApiDocument(RootModel[dict[str, Any]]):
    """Een OpenAPI 3.1-document (dit document)."""
