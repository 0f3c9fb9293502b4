"""Coördinatiepunt views. They never show request titles, descriptions or contact details."""
from flask import render_template, request

from loket.access import allow
from loket.blueprints.coordinatie import bp
from loket.services.requests import queues


@bp.route("/opvang")
@allow("coordinatiepunt")
def fallback_queue():
    pagination = queues.fallback_queue(page=request.args.get("pagina", 1, type=int))
    return render_template("coordinatie/fallback.html", pagination=pagination)
