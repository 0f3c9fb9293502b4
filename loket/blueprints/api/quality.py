"""The national overview and the quality recompute, for the coördinatiepunt and beheer (aggregates only)."""
from flask_login import current_user
from spectree import Response

from loket.access import allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.schemas import Overview, QualityRun
from loket.services.quality import overview, runs

COORDINATION = ("coordinatiepunt", "beheer")


@bp.get("/overview")
@allow(*COORDINATION)
@spec.validate(resp=Response(HTTP_200=Overview), tags=["kwaliteit"])
def get_overview():
    """Het landelijk overzicht: de doelen voor 2026 en elk loket met zijn oordeel per criterium.

    Alleen aantallen en oordelen, nooit de inhoud van aanvragen. `voldoet` en de criteria komen uit
    dezelfde beoordeling als de website (laatste meting en laatste audit).
    """
    return serializers.overview(overview.national_overview(), runs.latest_run())


@bp.post("/quality/recompute")
@allow(*COORDINATION)
@spec.validate(resp=Response(HTTP_202=QualityRun), tags=["kwaliteit"])
def recompute_quality():
    """Vraag een herberekening van alle metingen aan.

    Zet een herberekening van de meetbare criteria voor alle loketten klaar en geeft de run terug. Volg
    de voortgang met `latest_run` in GET /api/v1/overview.
    """
    return serializers.quality_run(runs.request_recompute(actor=current_user)), 202
