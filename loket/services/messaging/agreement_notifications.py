"""Who is told what about a bond's agreements (services/network/agreements): a lead's proposal reaches the
coördinatiepunt, its confirmation or rejection reaches the bond's leads. Called inside the agreement's
transaction; each mail is an outbox row keyed by bond, recipient and moment, so it is never written twice.

These notices are essential (a decision waits, or was taken): they go whatever `User.notify_optional` says.
"""
from datetime import datetime

from loket.models import Bond, User
from loket.services.messaging import outbox
from loket.services.messaging.mail import site_path
from loket.services.network.teams import coordinatiepunt_users, team_leads

TEMPLATES = ("agreement_proposed", "agreement_confirmed", "agreement_rejected")


def agreements_proposed(bond: Bond, *, proposer: User, now: datetime) -> None:
    """The bond's lead proposed agreements: every coördinatiepunt user is asked to confirm them."""
    _mail("agreement_proposed", coordinatiepunt_users(), bond, now, proposer_name=proposer.name)


def agreements_confirmed(bond: Bond, *, now: datetime) -> None:
    """The coördinatiepunt confirmed the bond's proposal: its leads hear that it routes from now on."""
    _mail("agreement_confirmed", team_leads(bond), bond, now)


def agreements_rejected(bond: Bond, *, reason: str, now: datetime) -> None:
    """The coördinatiepunt rejected the bond's proposal: its leads read why."""
    _mail("agreement_rejected", team_leads(bond), bond, now, reason=reason)


def _mail(template: str, users: list[User], bond: Bond, now: datetime, **context) -> None:
    assert template in TEMPLATES, template
    for user in users:
        if not user.email:
            continue
        outbox.add_email(template, to=user.email, key=f"{template}:b{bond.id}:{now:%Y%m%d%H%M%S%f}:u{user.id}",
                         context={**context, "user_id": user.id, "bond_name": bond.name,
                                  "link_path": site_path("afspraken.bond", key=bond.key)})
