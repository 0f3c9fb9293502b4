"""Shapes of the account operations of the API (a forgotten password), beside the general ones in schemas.py."""
from pydantic import Field

from loket.blueprints.api.schemas import Body, Shape, text
from loket.services.text import EMAIL_MAX


class PasswordResetBody(Body):
    email: text("Het e-mailadres waarmee je inlogt.", max_length=EMAIL_MAX)


class PasswordResetConfirmBody(Body):
    # Bounded generously: a token of the wrong length is a wrong token (400), not a malformed field.
    token: text("Het token uit de link in de mail (het deel na /wachtwoord-herstellen/).", max_length=1024)
    password: text("Het nieuwe wachtwoord.", max_length=1024)


class PasswordResetAccepted(Shape):
    detail: str = Field(description="Hetzelfde antwoord, of er een account bij het adres hoort of niet.")
