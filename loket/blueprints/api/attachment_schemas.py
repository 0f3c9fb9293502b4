"""Shapes of the attachment operations of the API, beside the general ones in schemas.py."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from spectree.model_adapter.pydantic_adapter import BaseFile

from loket.blueprints.api.schemas import Shape


class AttachmentUpload(BaseModel):
    """multipart/form-data: the file in the part `file`, and `internal`."""

    model_config = ConfigDict(extra="forbid")

    file: BaseFile = Field(description="Het bestand (hooguit 10 MB, tenzij anders ingesteld). Het soort wordt aan de "
                                       "inhoud herkend: PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, "
                                       "OpenDocument-tekst, tekst of CSV.")
    internal: Literal["true", "false"] | None = Field(
        None, description="`true`: alleen voor de teams die aan de aanvraag werken, nooit voor de club "
                          "(alleen ondersteuners). Standaard `false`.")


class Attachment(Shape):
    id: int
    name: str = Field(description="De naam van het bestand, ontdaan van mappen en stuurtekens.")
    size: int = Field(description="Grootte in bytes.")
    content_type: str = Field(description="Het soort, herkend aan de inhoud.")
    internal: bool = Field(description="Alleen zichtbaar voor de teams die aan de aanvraag werken.")


class AttachmentList(Shape):
    items: list[Attachment]
