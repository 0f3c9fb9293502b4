"""Public directory endpoints (no token): gemeenten and their loket's public details."""
from spectree import Response

from loket.access import PUBLIC, allow
from loket.blueprints.api import bp
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.public_schemas import PublicGemeente, PublicGemeenteList, PublicGemeenteQuery
from loket.services.network import directory

NETWERK = ["netwerk"]


@bp.get("/public/gemeenten")
@allow(PUBLIC)
@spec.validate(resp=Response(HTTP_200=PublicGemeenteList), tags=NETWERK)
def list_public_gemeenten(query: PublicGemeenteQuery):
    """Zoek een gemeente en haar loket (openbaar, zonder token).

    Met `q` de beste treffers (hooguit 20), zonder `q` alle gemeenten op naam.
    """
    hits = directory.find_gemeenten(query.q) if query.q else directory.list_gemeenten()
    return {"items": [_gemeente_item(hit) for hit in hits]}


@bp.get("/public/gemeenten/<code>")
@allow(PUBLIC)
@spec.validate(resp=Response(HTTP_200=PublicGemeente), tags=NETWERK)
def get_public_gemeente(code):
    """Een gemeente met de openbare gegevens van haar loket (openbaar, zonder token).

    Alleen wat het loket publiceert: contactgegevens, openingstijden, website en het actieve aanbod. Heeft de
    gemeente (nog) geen operationeel loket, dan is `loket` null. `sports` (welke bond bij welke sport hoort)
    staat op het hoogste niveau: die lijst is landelijk en geldt ook zonder loket. Een onbekende code geeft 404.
    """
    page = directory.gemeente_page(code)
    loket = page.loket
    return {
        "code": page.code, "name": page.name, "province": page.province,
        "loket": None if loket is None else {
            "slug": loket.slug, "name": loket.name, "email": loket.email, "phone": loket.phone,
            "address": loket.address, "opening_hours": loket.opening_hours, "url": loket.url,
            "offers": [{"title": o.title, "description": o.description, "categories": list(o.categories)}
                       for o in page.offers],
        },
        "sports": [{"sport": pair.sport, "bond": {"key": pair.bond_key, "abbreviation": pair.bond_abbreviation,
                                                  "name": pair.bond_name, "aangesloten": pair.aangesloten}}
                   for pair in page.sports],
    }


def _gemeente_item(hit) -> dict:
    return {"code": hit.code, "name": hit.name, "province": hit.province,
            "loket": {"slug": hit.loket.slug, "name": hit.loket.name} if hit.loket else None}
