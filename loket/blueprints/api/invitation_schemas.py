"""The shapes of the team invitation API (api/invitations.py): a lead inviting a colleague into a loket's, bond's
or initiative's team, and the invitee accepting with the mailed token. Built from the same pieces as schemas.py
(strict bodies, text without NUL, closed responses)."""
from typing import Annotated, Literal

from pydantic import Field

from loket.blueprints.api.schemas import Body, Moment, Shape, optional, text
from loket.services.network.passwords import PASSWORD_MAX
from loket.services.network.users import NAME_MAX
from loket.services.text import EMAIL_MAX


class InvitationBody(Body):
    email: text("Het e-mailadres van wie je uitnodigt; daar gaat de link heen.", max_length=EMAIL_MAX)
    name: text(max_length=NAME_MAX) = optional("De naam, als voorstel; de genodigde kan die aanpassen.")
    team_lead: bool = Field(False, description="Uitnodigen als coördinator: alleen beheer.")


class AcceptBody(Body):
    token: text("Het token uit de link in de uitnodiging (het laatste deel van het adres).", max_length=200)
    name: text("Je naam (voor een nieuw account).", max_length=NAME_MAX)
    password: text("Een nieuw wachtwoord (minstens 12 tekens), of het wachtwoord van je bestaande account met "
                   "dit e-mailadres.", max_length=PASSWORD_MAX)


class InvitationTeam(Shape):
    type: Literal["loket", "bond", "initiatief"]
    key: str = Field(description="De slug van het loket of de key van de bond of het landelijk initiatief.")
    name: str


class Invitation(Shape):
    id: int
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]
    name: str | None
    team: InvitationTeam
    team_lead: bool
    created_at: Moment
    expires_at: Moment = Field(description="Tot wanneer de link werkt.")
