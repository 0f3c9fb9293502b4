"""The sports on the club profile: sorted by name as a Dutch reader expects, and filterable with a text
input that only appears with JavaScript (every checkbox shows without it)."""
import re

from loket.extensions import db as _db
from tests.factories import SportFactory


def test_sport_checkboxes_are_sorted_case_and_accent_insensitively(login_as, network):
    for name in ("BMX", "G-voetbal", "atletiek", "Éénwieler", "zwemmen", "Badminton"):
        SportFactory(name=name)
    _db.session.commit()
    page = login_as("club_contact").get(f"/clubs/{network.club_utrecht.id}/profiel").get_data(as_text=True)
    fieldset = page[page.index('id="sports"'):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    names = [name.strip() for name in re.findall(r'<label class="checkbox">\s*<input[^>]*>\s*([^<]+)</label>', fieldset)]
    wanted = ["atletiek", "Badminton", "BMX", "Éénwieler", "G-voetbal", "tennis", "voetbal", "zwemmen"]
    assert [n for n in names if n in wanted] == wanted


def test_sport_filter_is_labelled_and_progressive(login_as, network):
    page = login_as("club_contact").get(f"/clubs/{network.club_utrecht.id}/profiel").get_data(as_text=True)
    match = re.search(r'<input[^>]*id="sports-filter"[^>]*>', page)
    assert match, "a filter input for the sports"
    assert 'type="search"' in match.group(0)
    assert '<label for="sports-filter"' in page
    # Hidden until the script runs, so without JavaScript nothing is filtered and no dead input shows.
    assert re.search(r'<div[^>]*class="[^"]*checkbox-filter[^"]*"[^>]*hidden', page)
    assert re.search(r'<script[^>]+src="[^"]*/js/checkbox-filter\.js"', page)


def test_sport_filter_script_is_served(client):
    response = client.get("/static/js/checkbox-filter.js")
    assert response.status_code == 200
    assert "hidden" in response.get_data(as_text=True)
