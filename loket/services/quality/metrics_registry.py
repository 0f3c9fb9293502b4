"""The names of the metrics a criterion can use, with a Dutch explanation of the value.

The computation of each lives in loket/services/quality/metrics.py (one set-based query per metric
for all loketten); keeping the names here lets criteria be validated without importing the SQL.
"""
METRICS = {
    "contact_reviewed_days": "dagen sinds contactgegevens en openingstijden zijn nagekeken",
    "first_response_within_sla": "aandeel aanvragen met een eerste reactie binnen de servicenorm",
    "median_resolution_workdays": "mediane doorlooptijd in werkdagen (zonder wachten op de club)",
    "referrals_decided_in_time": "aandeel doorverwijzingen aan het loket dat binnen 3 werkdagen is besloten",
    "mean_satisfaction": "gemiddelde tevredenheid (1–5)",
    "active_supporters": "aantal actieve clubondersteuners",
    "club_reach": "aandeel clubs in het werkgebied met een aanvraag",
    "basiseisen_known": "aandeel clubs in het werkgebied waarvan de basiseisen bekend zijn",
}
