"""Account views: which notifications you receive, and saving that choice."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from loket.access import ANY_USER, allow
from loket.blueprints.account import bp
from loket.blueprints.account.forms import NotificationsForm
from loket.services.network import account as account_service


def _render(form=None, code=200):
    form = form or NotificationsForm(notify_optional=current_user.notify_optional)
    return render_template("account/show.html", form=form,
                           notices=account_service.notices_for(current_user)), code


@bp.route("/")
@allow(ANY_USER)
def show():
    return _render()


@bp.route("/meldingen", methods=["POST"])
@allow(ANY_USER)
def save_notifications():
    form = NotificationsForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    account_service.set_optional_notifications(current_user, form.notify_optional.data)
    flash("Je meldingsvoorkeur is opgeslagen: " + ("je krijgt ook niet-essentiële meldingen."
          if form.notify_optional.data else "je krijgt alleen nog essentiële meldingen."), "success")
    return redirect(url_for("account.show"))
