"""Which service levels apply to a team: a loket's own overrides, else the national defaults."""
from loket.models import Team
from loket.services.workflow import FIRST_RESPONSE_WORKDAYS, RESOLUTION_WORKDAYS, ServiceLevels


def service_levels_of(team: Team) -> ServiceLevels:
    if team.kind == "loket" and team.loket is not None:
        return ServiceLevels(
            first_response_days=team.loket.sla_first_response_days or FIRST_RESPONSE_WORKDAYS,
            resolution_days=team.loket.sla_resolution_days or RESOLUTION_WORKDAYS,
        )
    return ServiceLevels()
