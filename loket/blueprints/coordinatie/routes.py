"""Coördinatiepunt views. They never show request titles, descriptions or contact details, nor who registered a
club."""
from flask import render_template
from flask_login import current_user

from loket.access import allow
from loket.blueprints.coordinatie import bp
from loket.blueprints.paging import redirect_to_existing_page, requested_page
from loket.services.network import registrations as registrations_service
from loket.services.requests import queues


@bp.route("/opvang")
@allow("coordinatiepunt")
def fallback_queue():
    pagination = queues.fallback_queue(page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "coordinatie.fallback_queue")) is not None:
        return moved
    return render_template("coordinatie/fallback.html", pagination=pagination)


@bp.route("/aanmeldingen")
@allow("coordinatiepunt")
def registrations():
    """Aanmeldingen from gemeenten without an operational loket: club name, gemeente and kind only."""
    pagination = registrations_service.pending_for(current_user, page=requested_page())
    if (moved := redirect_to_existing_page(pagination, "coordinatie.registrations")) is not None:
        return moved
    return render_template("coordinatie/registrations.html", pagination=pagination)
