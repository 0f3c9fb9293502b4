"""The loketten the coördinatiepunt can hand a fallback request or a national aanmelding to: every operational
loket, nearest first. The data holds no geography (which gemeenten border each other), so "near" means a loket
serving a gemeente in the same province; the others follow, each group by name."""
from dataclasses import dataclass

from sqlalchemy import exists, false, select

from loket.extensions import db
from loket.models import Gemeente, Loket, Team


@dataclass(frozen=True)
class LoketChoice:
    loket_id: int
    team_id: int
    name: str
    same_province: bool


def operational_loketten(province: str | None) -> list[LoketChoice]:
    """Operational loketten with their team, those in `province` first, then the rest; by name. One query."""
    near = (exists().where(Gemeente.loket_id == Loket.id, Gemeente.province == province)
            if province else false())
    rows = db.session.execute(
        select(Loket.id, Team.id.label("team_id"), Loket.name, near.label("near"))
        .join(Team, (Team.loket_id == Loket.id) & (Team.kind == "loket"))
        .where(Loket.status == "operationeel"))
    choices = [LoketChoice(loket_id=row.id, team_id=row.team_id, name=row.name, same_province=bool(row.near))
               for row in rows]
    return sorted(choices, key=lambda c: (not c.same_province, c.name.casefold(), c.loket_id))
