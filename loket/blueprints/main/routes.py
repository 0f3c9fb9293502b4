"""Start page: public intro for visitors, the right starting point for each role."""
from flask import render_template
from flask_login import current_user

from loket.access import PUBLIC, allow
from loket.blueprints.main import bp


@bp.route("/")
@allow(PUBLIC)
def home():
    if not current_user.is_authenticated:
        return render_template("main/public_home.html")
    return render_template("main/home.html", memberships=current_user.memberships)
