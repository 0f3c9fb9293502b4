"""Bonden (and brancheorganisaties) in the network: connecting them, and the list beheer sees."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from loket.extensions import db
from loket.models import Bond
from loket.models.base import today_in_amsterdam
from loket.services.errors import NotFound
from loket.services.network.teams import ensure_team
from loket.services.transaction import commit

BOND_NOT_FOUND_MESSAGE = "Deze bond bestaat niet."


def set_bond_aangesloten(key: str, aangesloten: bool, *, today: date | None = None) -> Bond:
    """Connect a bond to the network (sport-specific requests route to it from now on) or disconnect it.

    Connecting sets aangesloten_at to today (unless already connected) and makes sure the bond has a team;
    disconnecting clears the date. Side effects: commits.
    """
    bond = db.session.scalar(select(Bond).where(Bond.key == key))
    if bond is None:
        raise NotFound(BOND_NOT_FOUND_MESSAGE)
    if aangesloten and not bond.aangesloten:
        bond.aangesloten = True
        bond.aangesloten_at = today or today_in_amsterdam()
        ensure_team("bond", bond)
    elif not aangesloten:
        bond.aangesloten, bond.aangesloten_at = False, None
    commit()
    return bond


def list_bonden(*, page: int = 1, per_page: int = 50):
    """Bonden by name, with their sports and team (four queries per page)."""
    query = (select(Bond).options(selectinload(Bond.sports), selectinload(Bond.team))
             .order_by(Bond.name, Bond.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
