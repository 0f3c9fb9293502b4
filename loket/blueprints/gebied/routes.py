"""Mijn gebied views: the area overview, one gemeente of the area, and demand in the area (read-only).

A gemeente outside the user's area answers 404, the same as one that does not exist.
"""
from flask import render_template
from flask_login import current_user

from loket.access import allow
from loket.blueprints.forms_support import or_404
from loket.blueprints.gebied import bp
from loket.blueprints.overzicht import charts
from loket.models import GEMEENTE_STAGE_LABELS
from loket.services.network import history
from loket.services.quality.registry import UNIT_LABELS
from loket.services.reporting import area
from loket.services.reporting import demand as demand_service

WHO = area.AREA_ROLES


@bp.context_processor
def helpers():
    return {"format_value": charts.format_value, "format_norm": charts.format_norm,
            "month_label": charts.month_label, "unit_labels": UNIT_LABELS, "stage_labels": GEMEENTE_STAGE_LABELS,
            "pipeline": area.PIPELINE, "pipeline_labels": area.PIPELINE_LABELS,
            "history_fields": history.FIELD_LABELS, "history_values": history.VALUE_LABELS}


@bp.route("/")
@allow(*WHO)
def index():
    return render_template("gebied/index.html", overview=area.area_overview(current_user._get_current_object()))


@bp.route("/gemeente/<code>")
@allow(*WHO)
def gemeente(code):
    page = or_404(area.gemeente_page, current_user._get_current_object(), code)
    return render_template("gebied/gemeente.html", page=page, row=page.gemeente,
                           charts=charts.history_charts(page.loket) if page.loket is not None else {})


@bp.route("/vraag")
@allow(*WHO)
def demand():
    """Requests filed per month in the user's gemeenten: per gemeente and per category (counts only)."""
    ids = area.ids_of(current_user._get_current_object())
    per_gemeente = demand_service.demand_by_gemeente(ids)
    per_category = demand_service.demand_by_category(gemeente_ids=ids)
    total_chart = charts.demand_chart(per_gemeente.months, per_gemeente.totals, chart_id="grafiek-totaal",
                                      title="Aanvragen per maand in mijn gebied")
    return render_template("gebied/demand.html", per_gemeente=per_gemeente, per_category=per_category,
                           total_chart=total_chart)
