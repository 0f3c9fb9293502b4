"""Views of the team area: a loket's or bond's members, invitations and coördinatoren."""
from flask import abort

from loket.access import SUPPORTERS, allow
from loket.blueprints.team import bp


@bp.route("/<any(loket, bond):kind>/<key>")
@allow("beheer", *SUPPORTERS)
def members(kind, key):
    """The team of loket `key` (its slug) or bond `key`: members with last login, open invitations."""
    abort(404)  # built in issue #11 point 4
