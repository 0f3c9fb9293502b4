"""Two transactions that met answer 409 with a Dutch message, on every page and API operation, never 500.

`transaction.commit()` already turns a stale version at the commit into a Conflict; this catches what comes
earlier or elsewhere: a stale version in an autoflush (a query between the change and the commit), two
creates of one unique thing (IntegrityError on a unique index), a row removed meanwhile (foreign key),
and PostgreSQL's deadlock and serialization failures. Anything else from the database stays a 500: it is
a bug or an outage, not a race. Registered app-wide from the API blueprint (pages and API in one place).
"""
from flask import render_template
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from loket.blueprints.api import bp
from loket.blueprints.api.problems import is_api_request, problem_for_domain_error
from loket.extensions import db
from loket.services import transaction


@bp.app_errorhandler(StaleDataError)
@bp.app_errorhandler(DBAPIError)
def answer_a_race_with_409(error):
    conflict = transaction.conflict_for(error)
    if conflict is None:
        raise error
    db.session.rollback()
    if is_api_request():
        return problem_for_domain_error(conflict)
    return render_template("errors/error.html", code=409, error=error, message=conflict.message), 409
