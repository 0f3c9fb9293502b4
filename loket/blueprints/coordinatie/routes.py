"""Coördinatiepunt views. They never show request titles, descriptions or contact details."""
from flask import render_template

from loket.access import allow
from loket.blueprints.coordinatie import bp
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.services.requests import queues


@bp.route("/opvang")
@allow("coordinatiepunt")
def fallback_queue():
    pagination = queues.fallback_queue(page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "coordinatie.fallback_queue")) is not None:
        return moved
    return render_template("coordinatie/fallback.html", pagination=pagination)
