"""Reading rendered pages."""
import html
import re


def error_of(page: str, field: str) -> str | None:
    """The error text rendered next to a form field (the field macro's `<id>-error`)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1).strip() if match else None


def form_values(page: str, action: str) -> dict[str, str]:
    """What a browser would send for the form posting to `action`, as rendered: every input's value
    (checked checkboxes only), the selected option of each select, each textarea; without the CSRF token
    (the test client adds a fresh one)."""
    form = page.split(f'<form method="post" action="{action}"')[1].split("</form>")[0]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = next(v for v in selected.groups() if v is not None) if selected else \
            re.search(r'value="([^"]*)"', body).group(1)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    data.pop("csrf_token", None)
    return {name: html.unescape(value) for name, value in data.items()}
