"""Two transactions that met answer 409 with a Dutch message, on every page and API operation, never 500.

`transaction.commit()` already turns a stale version at the commit into a Conflict; this catches what comes
earlier or elsewhere: a stale version in an autoflush (a query between the change and the commit), two
creates of one unique thing (IntegrityError on a unique index), a row removed meanwhile (foreign key),
and PostgreSQL's deadlock and serialization failures. A value the database refused itself (a NUL in text on
PostgreSQL, a number beyond its column) answers 400 — the net below the services' own checks, logged so the
missing check is found. Anything else from the database stays a 500: it is a bug or an outage, not a race.
Registered app-wide from the API blueprint (pages and API in one place).
"""
import logging

from flask import render_template, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from loket.blueprints.api import bp
from loket.blueprints.api.problems import is_api_request, problem_for_domain_error
from loket.extensions import db
from loket.services import transaction

log = logging.getLogger(__name__)


@bp.app_errorhandler(StaleDataError)
@bp.app_errorhandler(DBAPIError)
def answer_a_race_with_409(error):
    refused = transaction.refused_input_for(error)
    if refused is not None:
        db.session.rollback()
        log.warning("The database refused a value that no check caught (%s): %s", request.endpoint,
                    type(error.orig).__name__)
        if is_api_request():
            return problem_for_domain_error(refused)
        return render_template("errors/error.html", code=400, error=error, message=refused.errors["form"]), 400
    conflict = transaction.conflict_for(error)
    if conflict is None:
        raise error
    db.session.rollback()
    if is_api_request():
        return problem_for_domain_error(conflict)
    return render_template("errors/error.html", code=409, error=error, message=conflict.message), 409
