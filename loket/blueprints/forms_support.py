"""Helpers shared by blueprint forms: showing domain errors next to the right field."""
from flask import abort
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

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


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (render with the `checkbox_group` macro).

    Values stay strings: the service checks them and answers in Dutch.
    """

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
