"""Who is told what about a bond's agreements (services/network/agreements): a lead's proposal reaches the
coördinatiepunt, its confirmation or rejection reaches the bond's leads. Called inside the agreement's
transaction; each mail is an outbox row keyed by bond, recipient and moment, so it is never written twice.

These notices are essential (a decision waits, or was taken): they go whatever `User.notify_optional` says.
"""
from datetime import datetime

from sqlalchemy import select

from loket.extensions import db
from loket.models import Bond, Membership, User
from loket.services.messaging import outbox
from loket.services.messaging.mail import site_path

TEMPLATES = ("agreement_proposed", "agreement_confirmed", "agreement_rejected")


def agreements_proposed(bond: Bond, *, proposer: User, now: datetime) -> None:
    """The bond's lead proposed agreements: every coördinatiepunt user is asked to confirm them."""
    _mail("agreement_proposed", coordinatiepunt_users(), bond, now, proposer_name=proposer.name)


def agreements_confirmed(bond: Bond, *, now: datetime) -> None:
    """The coördinatiepunt confirmed the bond's proposal: its leads hear that it routes from now on."""
    _mail("agreement_confirmed", bond_leads(bond.id), bond, now)


def agreements_rejected(bond: Bond, *, reason: str, now: datetime) -> None:
    """The coördinatiepunt rejected the bond's proposal: its leads read why."""
    _mail("agreement_rejected", bond_leads(bond.id), bond, now, reason=reason)


def coordinatiepunt_users() -> list[User]:
    """The active people of the landelijk coördinatiepunt, by name. One query."""
    return _active(Membership.role == "coordinatiepunt")


def bond_leads(bond_id: int) -> list[User]:
    """The active team leads (coördinatoren) of a bond's team, by name. One query."""
    return _active((Membership.role == "bondsspecialist") & (Membership.bond_id == bond_id)
                   & Membership.is_team_lead.is_(True))


def _active(condition) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(condition, User.active).distinct().order_by(User.name, User.id)))


def _mail(template: str, users: list[User], bond: Bond, now: datetime, **context) -> None:
    assert template in TEMPLATES, template
    for user in users:
        if not user.email:
            continue
        outbox.add_email(template, to=user.email, key=f"{template}:b{bond.id}:{now:%Y%m%d%H%M%S%f}:u{user.id}",
                         context={**context, "user_id": user.id, "bond_name": bond.name,
                                  "link_path": site_path("afspraken.bond", key=bond.key)})
