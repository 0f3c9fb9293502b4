"""A user's own account settings: which email notifications they receive."""
from loket.models import User
from loket.services.messaging.notifications import ESSENTIAL, OPTIONAL
from loket.services.transaction import commit

SUPPORTER_ROLES = ("clubondersteuner", "bondsspecialist")
# Every notification (loket.services.messaging.notifications), in Dutch, with the roles that receive it.
NOTIFICATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "request_received": ("De bevestiging dat je aanvraag is ontvangen, met het kenmerk", ("club",)),
    "public_reply": ("Een reactie van het loket of de bond op je aanvraag", ("club",)),
    "satisfaction_question": ("De vraag hoe tevreden je bent, als je aanvraag is opgelost", ("club",)),
    "referral_proposed": ("Een aanvraag die aan je team wordt doorverwezen", SUPPORTER_ROLES),
    "referral_decided": ("Het besluit over een doorverwijzing die jij of je team voorstelde", SUPPORTER_ROLES),
    "referral_overdue": ("Een doorverwijzing van jou of je team waarover na 3 werkdagen nog niet is besloten",
                         SUPPORTER_ROLES),
    "sla_overdue": ("Een aanvraag van je team (of aan jou toegewezen) die over de termijn is", SUPPORTER_ROLES),
    "new_in_queue": ("Een nieuwe aanvraag in de wachtrij van je team", SUPPORTER_ROLES),
    "club_replied": ("Een reactie van een club op een aanvraag van je team (of aan jou toegewezen)",
                     SUPPORTER_ROLES),
    "sla_at_risk": ("Een aanvraag die binnen 24 uur over de termijn dreigt te gaan", SUPPORTER_ROLES),
    "new_in_fallback": ("Een nieuwe aanvraag in de opvangwachtrij (een gemeente zonder operationeel loket)",
                        ("coordinatiepunt",)),
}


def notices_for(user: User) -> dict[str, list[str]]:
    """The Dutch descriptions of the notifications the user's roles receive: essential and optional."""
    mine = [(name, label) for name, (label, roles) in NOTIFICATIONS.items() if user.has_role(*roles)]
    return {"essential": [label for name, label in mine if name in ESSENTIAL],
            "optional": [label for name, label in mine if name in OPTIONAL]}


def set_optional_notifications(user: User, wanted: bool) -> None:
    """Turn the optional (non-essential) notifications on or off. Side effects: commits."""
    user.notify_optional = bool(wanted)
    commit()
