"""Shapes of the public directory API (no token): gemeenten, their loket's public details, and which bond
handles which sport. Kept apart from schemas.py; built on its base classes, so the same strictness holds.

Model names are the component names in the OpenAPI document, hence the `Public` prefix throughout.
"""
from pydantic import Field

from loket.blueprints.api.schemas import Query, Shape, optional, text
from loket.services.network.directory import SEARCH_MAX


class PublicGemeenteQuery(Query):
    q: text(max_length=SEARCH_MAX) = optional(
        "Een gemeentenaam (of een deel ervan) of een CBS-code; hoofdletters, accenten en leestekens tellen niet "
        "mee (‘sudwest’ vindt Súdwest-Fryslân). Beste treffers eerst, hooguit 20. Zonder: alle gemeenten.")


class PublicLoketRef(Shape):
    slug: str = Field(description="Ook in de openbare pagina /loketten/{slug}.")
    name: str


class PublicGemeenteItem(Shape):
    code: str = Field(description="CBS-code, bijvoorbeeld GM0344; ook in de openbare pagina /gemeenten/{code}.")
    name: str
    province: str
    loket: PublicLoketRef | None = Field(
        description="Het loket van de gemeente, als dat operationeel is; anders null.")


class PublicGemeenteList(Shape):
    items: list[PublicGemeenteItem]


class PublicOffer(Shape):
    title: str
    description: str
    categories: list[str] = Field(description="De soorten vragen waarbij dit aanbod past.")


class PublicBond(Shape):
    key: str = Field(description="Unieke sleutel van de bond (afkortingen komen dubbel voor).")
    abbreviation: str
    name: str
    aangesloten: bool = Field(
        description="Alleen een aangesloten bond neemt sportspecifieke vragen aan; anders doet het loket dat.")


class PublicSportBond(Shape):
    sport: str
    bond: PublicBond


class PublicLoketDetails(Shape):
    slug: str
    name: str
    email: str | None
    phone: str | None
    address: str | None
    opening_hours: str | None
    url: str | None = Field(description="De eigen website van het loket (alleen http of https).")
    offers: list[PublicOffer] = Field(description="Het actieve ondersteuningsaanbod van het loket.")


class PublicGemeente(Shape):
    """Een gemeente met de openbare gegevens van haar loket."""

    code: str
    name: str
    province: str
    loket: PublicLoketDetails | None = Field(
        description="null als de gemeente (nog) geen operationeel loket heeft: een vraag komt dan bij het landelijk "
                    "coördinatiepunt, dat hem doorgeeft zodra het loket er is.")
    sports: list[PublicSportBond] = Field(
        description="Welke bond bij welke sport hoort, voor sportspecifieke vragen. Landelijk dezelfde lijst, dus "
                    "ook als `loket` null is; een sport met meer bonden staat er per bond.")
