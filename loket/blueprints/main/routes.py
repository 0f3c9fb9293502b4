"""Start page: public intro for visitors; after login, per role what needs doing."""
from flask import render_template
from flask_login import current_user

from loket.access import PUBLIC, SUPPORTERS, allow
from loket.blueprints.main import bp
from loket.models.base import utcnow
from loket.services.network import registrations
from loket.services.reporting import home as home_service
from loket.services.requests import workflow


@bp.route("/")
@allow(PUBLIC)
def home():
    if not current_user.is_authenticated:
        return render_template("main/public_home.html")
    now = utcnow()
    user = current_user._get_current_object()
    sections = {
        "club": home_service.club_home(user) if user.has_role("club") else None,
        "supporter": home_service.supporter_home(user, now) if user.has_role(*SUPPORTERS) else None,
        "coordinatie": home_service.coordinatie_home(now) if user.has_role("coordinatiepunt") else None,
        "beheer": home_service.beheer_home() if user.has_role("beheer") else None,
        "area": home_service.area_home(user) if user.has_role("gemeente", "adviseur") else None,
    }
    return render_template("main/home.html", memberships=user.memberships, now=now, workflow=workflow,
                           waiting=registrations.status_of_own_clubs(user),
                           joining=registrations.own_join_requests(user) if not user.memberships else [],
                           **sections)
