"""Every API write answers with what it commits, and a write sent with `Idempotency-Key` is done once.

- Each POST, PUT, PATCH and DELETE runs inside `transaction.holding()`: the service's `commit()` only
  flushes, the view builds its answer from the open transaction, and after the view this hook makes the one
  real commit (`transaction.release()`). A read after the commit can no longer turn a stored write into a
  500, and an error answer stores nothing.
- With `Idempotency-Key: <key>` (signed-in callers; keys are per user) the key is reserved before the view
  runs and the answer (status, body, Location) is committed with the write (services/idempotency.py). A
  repeat with the same method, path and body gets that answer again with `Idempotent-Replayed: true`.
  Operations open without a token ignore the header: they have no user to keep a key for.
"""
from flask import Response, current_app, g, request
from flask_login import current_user

from loket.access import PUBLIC, policy_of
from loket.blueprints.api import bp
from loket.blueprints.api.problems import problem, problem_for_domain_error
from loket.extensions import db
from loket.services import idempotency, transaction
from loket.services.errors import DomainError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_MAX = idempotency.KEY_MAX
HELD, KEY = "api_write_held", "api_idempotency_key"  # g: this request holds its commit / reserved (user, key)


def takes_key(method: str, who) -> bool:
    """Whether an operation accepts the header (the OpenAPI document says the same)."""
    return method in WRITE_METHODS and PUBLIC not in who


@bp.before_request
def hold_write():
    if request.method not in WRITE_METHODS or request.endpoint is None:
        return None
    key = request.headers.get(HEADER)
    who = policy_of(current_app.view_functions[request.endpoint]) or frozenset()
    if key is not None and takes_key(request.method, who) and current_user.is_authenticated:
        if (message := idempotency.key_problem(key)) is not None:
            return problem(400, message)
        user_id = current_user.id
        fingerprint = idempotency.request_hash(request.method, request.full_path.rstrip("?"),
                                               request.get_data(cache=True))
        replay = idempotency.reserve(user_id=user_id, key=key, fingerprint=fingerprint)
        if replay is not None:
            return Response(replay.body, status=replay.status_code,
                            headers={**replay.headers, REPLAYED_HEADER: "true"})
        g.setdefault(KEY, (user_id, key))
    transaction.hold()  # ended by release() or abandon() in release_write
    g.setdefault(HELD, True)
    return None


@bp.after_request
def release_write(response):
    if not g.pop(HELD, False):
        return response
    reserved = g.pop(KEY, None)
    if response.status_code >= 400:
        transaction.abandon()
        _forget(reserved)
        return response
    try:
        if reserved is not None:
            user_id, key = reserved
            idempotency.record(user_id=user_id, key=key, status_code=response.status_code,
                               body=response.get_data(as_text=True), headers=dict(response.headers))
        transaction.release(dispatch_later=True)
    except DomainError as error:  # a clash that only the final flush found
        answer = problem_for_domain_error(error)
        _forget(reserved)
        return answer
    except Exception:
        db.session.rollback()
        _forget(reserved)
        raise
    return response


@bp.teardown_app_request
def dispatch_released(_error=None):
    """Mail and jobs of a released write go out once its answer is complete (pages' held writes too)."""
    transaction.dispatch_released()


def _forget(reserved) -> None:
    if reserved is None:
        return
    try:
        idempotency.forget(user_id=reserved[0], key=reserved[1])
    except Exception:  # the database is away: the reservation frees itself after LOCK_TIMEOUT
        db.session.rollback()
        current_app.logger.warning("Could not free idempotency key after an error answer", exc_info=True)
