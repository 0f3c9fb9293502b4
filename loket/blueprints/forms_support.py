"""Helpers shared by blueprint forms: showing domain errors next to the right field."""
from flask import abort

from loket.services.errors import DomainError, InvalidInput, NotFound


def attach_errors(form, error: DomainError) -> None:
    """Put a domain error's Dutch messages next to the form fields they belong to."""
    errors = error.errors if isinstance(error, InvalidInput) else {error.field or "_form": error.message}
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            form.form_errors.append(message)


def or_404(loader, *args, **kwargs):
    """Call a service loader; NotFound becomes a plain 404 (no hint whether the thing exists)."""
    try:
        return loader(*args, **kwargs)
    except NotFound:
        abort(404)
