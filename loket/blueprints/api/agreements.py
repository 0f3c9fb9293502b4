"""Agreements between a bond and the loketten over the API: what routes now and what is proposed (the bond's
members, the coördinatiepunt, beheer), the bond's lead proposing, the coördinatiepunt confirming."""
from flask_login import current_user
from spectree import Response

from loket.access import allow
from loket.blueprints.api import bp
from loket.blueprints.api.agreement_schemas import AgreementsBody, BondAgreements
from loket.blueprints.api.openapi import spec
from loket.services.errors import Forbidden
from loket.services.network import agreements
from loket.services.network.bonden import get_bond

NETWERK = ["netwerk"]
NOT_YOURS = "Alleen de bond zelf, het landelijk coördinatiepunt en beheer zien de afspraken van deze bond."


def _shape(state: agreements.BondAgreements) -> dict:
    return {"state": state.state,
            "agreements": [{"category": a.category.slug, "handled_by": a.handled_by} for a in state.current],
            "proposed": [{"category": slug, "handled_by": handled_by} for slug, handled_by in state.proposed.items()]
            if state.proposed is not None else None}


@bp.get("/bonds/<key>/agreements")
@allow("bondsspecialist", "coordinatiepunt", "beheer")
@spec.validate(resp=Response(HTTP_200=BondAgreements), tags=NETWERK)
def get_bond_agreements(key):
    """Wat nu routeert per categorie, en een voorstel dat op bevestiging wacht (de bond, het coördinatiepunt, beheer)."""
    bond = get_bond(key)
    if not current_user.has_role("coordinatiepunt", "beheer") and bond.id not in current_user.bond_ids:
        raise Forbidden(NOT_YOURS)
    return _shape(agreements.agreements_of(bond))


@bp.put("/bonds/<key>/agreements")
@allow("bondsspecialist")
@spec.validate(resp=Response("HTTP_403", HTTP_200=BondAgreements), tags=NETWERK)
def propose_bond_agreements(key, json: AgreementsBody):
    """De coördinator van de bond stelt afspraken voor; ze gelden pas na bevestiging door het coördinatiepunt.

    Een generieke categorie kan niet naar een bond die nog niet is aangesloten (422).
    """
    entries = [(item.category, item.handled_by) for item in json.agreements]
    return _shape(agreements.propose(key, entries, actor=current_user))


@bp.post("/bonds/<key>/agreements/confirm")
@allow("coordinatiepunt")
@spec.validate(resp=Response("HTTP_409", "HTTP_422", HTTP_200=BondAgreements), tags=NETWERK)
def confirm_bond_agreements(key):
    """Het coördinatiepunt bevestigt het voorstel: vanaf nu routeert het (409 zonder voorstel; 422 als het voorstel
    niet meer kan gelden, bijvoorbeeld omdat de bond intussen niet meer is aangesloten)."""
    return _shape(agreements.confirm(key, actor=current_user))
