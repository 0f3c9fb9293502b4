"""The shapes of the agreements API (api/agreements.py): who handles which category for a bond's clubs."""
from typing import Literal

from pydantic import Field

from loket.blueprints.api.schemas import Body, Shape, text
from loket.models import AGREEMENT_HANDLERS


class AgreementItem(Body):
    category: text("De slug van de categorie, bijvoorbeeld sociaal-veilige-sport.", max_length=80)
    handled_by: Literal[AGREEMENT_HANDLERS] = Field(
        description="bond: de bond behandelt de vraag; loket: het loket; samen: het loket, met de bond erbij.")


class AgreementsBody(Body):
    """Het voorstel van de bond; categorieën die ontbreken houden hun standaard (sportspecifiek: bond)."""

    agreements: list[AgreementItem] = Field(max_length=200)


class Agreement(Shape):
    category: str
    handled_by: Literal[AGREEMENT_HANDLERS]


class BondAgreements(Shape):
    state: Literal["none", "proposed", "confirmed"] = Field(
        description="none: nog geen afspraken; proposed: een voorstel wacht op het coördinatiepunt; confirmed.")
    agreements: list[Agreement] = Field(description="Wat nu routeert, voor elke actieve categorie.")
    proposed: list[Agreement] | None = Field(description="Het voorstel dat op bevestiging wacht, of null.")
