"""The national overview and the quality recompute, for the coördinatiepunt and beheer (aggregates only)."""
from flask_login import current_user

from loket.blueprints.api import serializers
from loket.blueprints.api.registry import operation
from loket.services.quality import overview, runs

COORDINATION = ("coordinatiepunt", "beheer")


@operation("GET", "/overview", who=COORDINATION, tag="kwaliteit", response="Overview",
           summary="Het landelijk overzicht: de doelen voor 2026 en elk loket met zijn oordeel per criterium.",
           description="Alleen aantallen en oordelen, nooit de inhoud van aanvragen. `voldoet` en de criteria "
                       "komen uit dezelfde beoordeling als de website (laatste meting en laatste audit).")
def get_overview():
    return serializers.overview(overview.national_overview(), runs.latest_run())


@operation("POST", "/quality/recompute", who=COORDINATION, tag="kwaliteit", status=202, response="QualityRun",
           summary="Vraag een herberekening van alle metingen aan.",
           description="Zet een herberekening van de meetbare criteria voor alle loketten klaar en geeft de run "
                       "terug. Volg de voortgang met `latest_run` in GET /api/v1/overview.")
def recompute_quality():
    return serializers.quality_run(runs.request_recompute(actor=current_user)), 202
