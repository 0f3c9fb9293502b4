"""The first national criteria set, version 2026.1 (DESIGN §6), created once; later versions are published."""
from datetime import date

from sqlalchemy import select

from loket.extensions import db
from loket.models import CriteriaSet
from loket.services.quality.criteria import CriterionSpec, build_set

SEED_VERSION = "2026.1"

SEED_VALID_FROM = date(2026, 1, 1)

SEED_CRITERIA = (
    CriterionSpec("K1", "Bereikbaar: contactgegevens en openingstijden actueel", "metric", "contact_reviewed_days",
                  183, "<=", description="Contactgegevens en openingstijden zijn in de afgelopen 183 dagen nagekeken."),
    CriterionSpec("K2", "Snelle eerste reactie", "metric", "first_response_within_sla", 0.9, ">=", 365,
                  description="Minstens 90 % van de aanvragen kreeg binnen de servicenorm een eerste reactie."),
    CriterionSpec("K3", "Doorlooptijd", "metric", "median_resolution_workdays", 15, "<=", 365,
                  description="De mediane doorlooptijd tot oplossing is hooguit 15 werkdagen (wachten op de club telt niet)."),
    CriterionSpec("K4", "Warme doorverwijzing", "metric", "referrals_decided_in_time", 0.9, ">=", 365,
                  description="Minstens 90 % van de doorverwijzingen aan het loket is binnen 3 werkdagen besloten, "
                              "en er staat er geen open over tijd."),
    CriterionSpec("K5", "Tevredenheid", "metric", "mean_satisfaction", 4.0, ">=", 365, 10,
                  description="Gemiddelde tevredenheid minstens 4,0 van 5, over minstens 10 antwoorden."),
    CriterionSpec("K6", "Continuïteit", "metric", "active_supporters", 2, ">=",
                  description="Minstens twee actieve clubondersteuners."),
    CriterionSpec("K7", "Bereik", "metric", "club_reach", 0.10, ">=", 365,
                  description="Minstens 10 % van de clubs in het werkgebied diende in 12 maanden een aanvraag in."),
    CriterionSpec("K8", "Afspraken met bonden", "assessment",
                  description="De auditor bevestigt afspraken over generieke en sportspecifieke ondersteuning."),
    CriterionSpec("K9", "Kennis van het ondersteuningsaanbod", "assessment",
                  description="Het aanbod is vastgelegd in de catalogus en actueel."),
    CriterionSpec("K10", "Basiseisen in beeld", "metric", "basiseisen_known", 0.75, ">=",
                  description="Van minstens 75 % van de clubs in het werkgebied is de status van de basiseisen bekend."),
)


def seed_criteria() -> bool:
    """Create set 2026.1 when it does not exist yet (never changes a published set). Does not commit."""
    if db.session.scalar(select(CriteriaSet.id).where(CriteriaSet.version == SEED_VERSION)):
        return False
    db.session.add(build_set(SEED_VERSION, SEED_VALID_FROM, SEED_CRITERIA, author=None))
    return True
