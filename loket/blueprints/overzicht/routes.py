"""National overview views (coördinatiepunt and beheer): targets, loketten, drill-down, demand, exports.

Every table on these pages has a CSV and an XLSX download built from the same exports.*_table function.
Gemeenten are grouped by province, or with `?indeling=<slug>` by the regions of a region set (loketten, the
realisation stages and the demand per province; an unknown slug is a 404).
"""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from loket.access import allow
from loket.blueprints.forms_support import or_404
from loket.blueprints.overzicht import bp, charts
from loket.models import GEMEENTE_STAGE_LABELS, GEMEENTE_STAGES
from loket.models.base import today_in_amsterdam
from loket.services.network import regions
from loket.services.quality import exports, runs
from loket.services.quality import overview as overview_service
from loket.services.quality.registry import UNIT_LABELS
from loket.services.reporting import demand as demand_service

WHO = ("coordinatiepunt", "beheer")
RUN_STATE_LABELS = {"queued": "in de wachtrij", "running": "bezig", "done": "klaar", "failed": "mislukt"}
# per → (page title, what "all" of them are called)
DEMAND_VIEWS = {"categorie": ("Vraag per categorie", "categorieën"),
                "provincie": ("Vraag per provincie", "provincies")}


@bp.context_processor
def helpers():
    return {"format_value": charts.format_value, "format_norm": charts.format_norm,
            "month_label": charts.month_label, "run_state_labels": RUN_STATE_LABELS,
            "status_filters": overview_service.STATUS_FILTERS, "trend_labels": overview_service.TREND_LABELS,
            "unit_labels": UNIT_LABELS}


def _filters(overview):
    return overview_service.clean_filters(overview, request.args.get("provincie"), request.args.get("status"))


def _grouping():
    """The request's `?indeling=`: by province (none, or "provincie"), or a region set's regions; 404 otherwise."""
    return or_404(regions.grouping, request.args.get("indeling"))


def _loketten(grouping):
    """The overview in the grouping, and its filters: (overview, province, status, region)."""
    overview = overview_service.national_overview(region_set=grouping.region_set)
    province, status = _filters(overview)
    region = overview_service.clean_region(overview, request.args.get("regio"))
    return overview, (None if grouping.region_set else province), status, region


def _download(table, fmt):
    body, mimetype = exports.render(table, fmt)
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(table, fmt, today_in_amsterdam())}"')
    return response


@bp.route("/")
@allow(*WHO)
def index():
    grouping = _grouping()
    overview, province, status, region = _loketten(grouping)
    run = runs.latest_run()
    return render_template("overzicht/index.html", overview=overview, targets=overview.targets,
                           rows=overview.filtered(province=province, status=status, region=region),
                           province=province, status=status, region=region, run=run,
                           run_error=runs.error_shown_to(run, current_user),
                           grouping=grouping, indelingen=regions.set_choices())


@bp.route("/realisatie")
@allow(*WHO)
def realisation():
    """Gemeenten per realisation stage: per province now, and per month over the last year."""
    grouping = _grouping()
    return render_template("overzicht/realisation.html",
                           realisation=overview_service.realisation(region_set=grouping.region_set),
                           stage_labels=GEMEENTE_STAGE_LABELS, stages=GEMEENTE_STAGES, grouping=grouping,
                           indelingen=regions.set_choices())


@bp.route("/doelen.<any(csv, xlsx):fmt>")
@allow(*WHO)
def export_targets(fmt):
    return _download(exports.targets_table(overview_service.national_overview().targets), fmt)


@bp.route("/loketten.<any(csv, xlsx):fmt>")
@allow(*WHO)
def export_loketten(fmt):
    overview, province, status, region = _loketten(_grouping())
    return _download(exports.loketten_table(overview, province=province, status=status, region=region), fmt)


@bp.route("/herberekenen", methods=["POST"])
@allow(*WHO)
def recompute():
    run = runs.request_recompute(actor=current_user)
    flash(f"Herberekening aangevraagd: {RUN_STATE_LABELS.get(run.state, run.state)}.", "success")
    return redirect(url_for("overzicht.index"))


@bp.route("/loketten/<slug>")
@allow(*WHO)
def loket(slug):
    detail = or_404(overview_service.loket_detail, slug)
    return render_template("overzicht/loket.html", detail=detail, row=detail.row,
                           charts=charts.history_charts(detail))


@bp.route("/loketten/<slug>/metingen.<any(csv, xlsx):fmt>")
@allow(*WHO)
def export_history(slug, fmt):
    detail = or_404(overview_service.loket_detail, slug)
    codes = {h.criterion.code for h in detail.histories}
    code = request.args.get("criterium")
    return _download(exports.history_table(detail, code if code in codes else None), fmt)


def _demand(per, grouping):
    if per == "categorie":
        return demand_service.demand_by_category()
    if grouping.region_set is not None:
        return demand_service.demand_by_region(grouping.region_set)
    return demand_service.demand_by_province()


@bp.route("/vraag/<any(categorie, provincie):per>")
@allow(*WHO)
def demand(per):
    """Demand per category, or per province — or, with `?indeling=`, per region of a region set."""
    grouping = _grouping() if per == "provincie" else regions.PROVINCES
    data = _demand(per, grouping)
    title, plural = DEMAND_VIEWS[per]
    if grouping.region_set is not None:
        title, plural = f"Vraag per regio ({grouping.region_set.name})", "regio’s"
    total_chart = charts.demand_chart(data.months, data.totals, chart_id="grafiek-totaal",
                                      title=f"Aanvragen per maand, alle {plural}")
    largest = max((count for s in data.series for count in s.counts), default=0)
    series_charts = [(s, charts.demand_chart(data.months, s.counts, chart_id=f"grafiek-{i}", small=True,
                                             scale_to=largest, title=f"Aanvragen per maand: {s.label}"))
                     for i, s in enumerate(data.series, start=1)]
    return render_template("overzicht/demand.html", per=per, title=title, demand=data,
                           total_chart=total_chart, series_charts=series_charts, grouping=grouping,
                           indelingen=regions.set_choices() if per == "provincie" else [],
                           group_word="regio" if grouping.region_set else per)


@bp.route("/vraag/<any(categorie, provincie):per>.<any(csv, xlsx):fmt>")
@allow(*WHO)
def export_demand(per, fmt):
    grouping = _grouping() if per == "provincie" else regions.PROVINCES
    by = "regio" if grouping.region_set else per
    return _download(exports.demand_table(_demand(per, grouping), by=by, indeling=grouping.slug), fmt)
