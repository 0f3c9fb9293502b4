"""A login for a contact person the loket adds while filing a request on the club's behalf, so the person can
follow the request and reply like any club contact.

The account gets the club's role and a random password nobody is told; the person is mailed a link to choose
their own (a first-password link that works TEAM_INVITATION_DAYS and opens only from that mailbox). Because the only way in runs through
the mailbox, the address counts as confirmed: choosing a password through the link is the confirmation.
An address that already has an account is never given the club's role on someone else's word: that person asks
to join the club as anyone does (aanmelden → bij een club). Everything happens in the caller's transaction.
"""
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from loket.extensions import db
from loket.models import ClubContact, Membership, User
from loket.services.errors import Conflict
from loket.services.messaging.mail import site_path
from loket.services.network import account, history
from loket.services.network.passwords import hash_password
from loket.services.network.users import find_by_email, normalise_email

# What became of a new contact person's login (the supporter is told which).
CREATED = "created"  # a new account, mailed a link to choose a password
LINKED = "linked"  # the address already belongs to a contact of this club with a login
IN_USE = "in_use"  # the address has an account that is no contact of this club: nothing granted
NO_EMAIL = "no_email"  # no address, so no login and no mail

OUTCOME_MESSAGES = {
    CREATED: "{name} krijgt een e-mail om een wachtwoord te kiezen en kan de aanvraag daarna volgen.",
    LINKED: "{name} heeft al een account bij de club en kan de aanvraag volgen.",
    IN_USE: "Voor {email} bestaat al een account dat niet bij de club hoort; dat krijgt geen toegang tot de club. "
            "{name} kan via ‘Aanmelden bij een club’ toegang vragen.",
    NO_EMAIL: "{name} heeft geen e-mailadres en krijgt dus geen bevestiging; de andere contactpersonen van de "
              "club met een account wel.",
}
ADDRESS_JUST_TAKEN = ("Er is net een account gemaakt met {email}. Probeer het opnieuw: kies de contactpersoon dan "
                      "uit de lijst of vul een ander adres in.")


def give_login(contact: ClubContact, *, actor: User, now: datetime) -> str:
    """Link or create the login of a contact person just added to `contact.club`; returns the outcome
    (CREATED, LINKED, IN_USE or NO_EMAIL). Adds to the caller's transaction; never commits."""
    if not contact.email:
        return NO_EMAIL
    club = contact.club
    holder = find_by_email(contact.email)
    if holder is not None:
        if holder.active and club.id in holder.club_ids:
            contact.user_id = holder.id
            return LINKED
        return IN_USE
    user = User(email=normalise_email(contact.email), name=contact.name,
                password_hash=hash_password(secrets.token_urlsafe(32)), email_confirmed_at=now, created_at=now)
    membership = Membership(role="club", club=club, created_at=now)
    user.memberships.append(membership)
    db.session.add(user)
    try:
        db.session.flush()  # the user's id, for the contact, the history row and the mail's key
    except IntegrityError:  # someone made an account with this address a moment ago
        db.session.rollback()
        raise Conflict(ADDRESS_JUST_TAKEN.format(email=contact.email)) from None
    contact.user_id = user.id
    history.record("membership", "membership", None, membership.label, actor=actor, user_id=user.id, now=now,
                   reason="Contactpersoon toegevoegd bij een aanvraag namens de club")
    account.mail_password_choice(user, "club_contact_login", key=f"club-contact-login:u{user.id}", now=now,
                                 club_name=club.name, supporter_name=actor.name,
                                 forgot_path=site_path("auth.forgot_password"))
    return CREATED
