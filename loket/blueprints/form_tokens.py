"""A form that creates something is stored once, however often it is submitted (issue #13 point 7).

Give the form `OneTimeFormMixin` (a hidden `form_token`, new at every render; the template renders
`{{ form.form_token() }}` beside the CSRF token) and put `@submitted_once` under the view's `@allow`. The view
then runs inside `transaction.holding()`: its service's commit only flushes, and after the view the token is
consumed in the same transaction as the write (services/form_tokens.py) and committed with it. A second
submit of the token lands where the first did, with "Dit was al verstuurd.", without storing again. A
submit without a (well-formed) token is held and answered the same way, only not deduplicated. A write
that is not stored takes its success message back.
"""
from functools import wraps

from flask import flash, make_response, redirect, request, session
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from loket.extensions import db
from loket.services import form_tokens, transaction
from loket.services.errors import Conflict

FIELD = "form_token"
FLASHES = "_flashes"  # where Flask keeps flashed messages in the session


class OneTimeFormMixin:
    form_token = HiddenField(default=form_tokens.new_token)


def submitted_once(view):
    @wraps(view)
    def once(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        token = request.form.get(FIELD)
        token = token if form_tokens.is_token(token) else None  # without one: held, but not deduplicated
        user_id = current_user.id if current_user.is_authenticated else None
        if token and (first := form_tokens.location_of(token, user_id=user_id)) is not None:
            return _already_sent(first)
        flashes = list(session.get(FLASHES, []))
        transaction.hold()
        try:
            response = make_response(view(*args, **kwargs))
        except Exception as error:
            transaction.abandon()
            session[FLASHES] = flashes
            if token and _is_race(error) and (first := form_tokens.location_of(token, user_id=user_id)):
                return _already_sent(first)
            raise
        if response.status_code >= 400 or not transaction.commit_owed():
            transaction.abandon()  # nothing stored (an error answer, or a form shown again)
            if (token and response.status_code == 409
                    and (first := form_tokens.location_of(token, user_id=user_id)) is not None):
                return _already_sent(first)  # it lost to its own twin, which changed the same rows first
            return response
        try:
            if token:
                form_tokens.consume(token, user_id=user_id,
                                    location=response.location or request.full_path.rstrip("?"))
            transaction.release(dispatch_later=True)
        except IntegrityError:  # the same token, consumed a moment ago by a parallel submit
            db.session.rollback()
            session[FLASHES] = flashes  # not the success message of the write that was not stored
            if not token or (first := form_tokens.location_of(token, user_id=user_id)) is None:
                raise
            return _already_sent(first)
        except BaseException:
            transaction.abandon()
            session[FLASHES] = flashes
            raise
        return response

    return once


def _is_race(error: Exception) -> bool:
    return isinstance(error, Conflict) or transaction.conflict_for(error) is not None


def _already_sent(location: str):
    flash(form_tokens.ALREADY_SENT_MESSAGE, "info")
    return redirect(location)
