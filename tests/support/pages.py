"""Reading rendered pages."""
import re


def error_of(page: str, field: str) -> str | None:
    """The error text rendered next to a form field (the field macro's `<id>-error`)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1).strip() if match else None
