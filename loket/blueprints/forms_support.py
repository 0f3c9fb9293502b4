"""Helpers shared by blueprint forms: showing domain errors next to the right field, and fields that several
forms ask for in the same words."""
from flask import abort
from wtforms import PasswordField, SelectMultipleField
from wtforms.validators import DataRequired, EqualTo
from wtforms.widgets import CheckboxInput, ListWidget

from loket.services.errors import DomainError, InvalidInput, NotFound
from loket.services.network.passwords import PASSWORD_RULE

NEW_PASSWORD_HINT = PASSWORD_RULE
PASSWORDS_DIFFER = "De twee wachtwoorden zijn niet hetzelfde. Typ het nieuwe wachtwoord twee keer precies gelijk."


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


# A new password, typed twice (resetting a forgotten one, changing it in the account). The forms name the
# fields differently (the account page has a `password` field of its own), so these build the fields and the
# form picks the names. The length and the other rules are checked by the service
# (passwords.password_problem), in one place.
def new_password_field() -> PasswordField:
    return PasswordField("Nieuw wachtwoord", description=NEW_PASSWORD_HINT,
                         validators=[DataRequired("Kies een nieuw wachtwoord.")],
                         render_kw={"autocomplete": "new-password"})


def new_password_repeat_field(new_password_name: str) -> PasswordField:
    """The same new password again; `new_password_name` is the form's name for the first one."""
    return PasswordField("Nieuw wachtwoord nog een keer",
                         validators=[DataRequired("Typ het nieuwe wachtwoord nog een keer."),
                                     EqualTo(new_password_name, PASSWORDS_DIFFER)],
                         render_kw={"autocomplete": "new-password"})


def search_from_query_string(values=None):
    """The search box of a request list (`?q=`, or `q` in other `values`): (what was typed, for the box; the
    Search or None; the Dutch error, when the words break the search-box rule — the page then answers 400 with
    it beside the box)."""
    from flask import request

    from loket.services.requests.request_search import Search
    from loket.services.search import SEARCH_MAX

    typed = (request.args if values is None else values).get("q") or ""
    try:
        return typed[:SEARCH_MAX], Search.of(typed), None
    except InvalidInput as error:
        return typed[:SEARCH_MAX], None, error.errors["q"]
