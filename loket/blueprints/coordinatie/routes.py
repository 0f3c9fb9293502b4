"""Coördinatiepunt views. They never show request titles, descriptions or contact details."""
from flask import render_template, request

from loket.access import allow
from loket.blueprints.coordinatie import bp
from loket.extensions import db
from loket.models import Gemeente
from loket.services import requests as requests_service


@bp.route("/opvang")
@allow("coordinatiepunt")
def fallback_queue():
    pagination = requests_service.fallback_queue(page=request.args.get("pagina", 1, type=int))
    gemeente_ids = {row.gemeente_id for row in pagination.items}
    gemeenten = {g.id: g for g in db.session.scalars(db.select(Gemeente).where(Gemeente.id.in_(gemeente_ids)))}
    return render_template("coordinatie/fallback.html", pagination=pagination, gemeenten=gemeenten)
