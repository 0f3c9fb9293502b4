"""The request page's long choice lists (referral and invitation targets, requests to merge with): every option in
WTForms' markup, escaped, with the chosen one marked, also where two selects list the same teams."""
import re

from tests.support.requests import file_request


def _select(page, select_id):
    found = re.search(rf'<select [^>]*id="{select_id}"[^>]*>(.*?)</select>', page, flags=re.S)
    assert found, select_id
    return found.group(0), found.group(1)


def test_the_referral_and_invitation_lists_name_every_target_and_keep_what_was_chosen(login_as, network):
    request = file_request(network, title="Vrijwilligers gezocht")
    other = file_request(network, title="Vrijwilligers <gezocht> & meer")
    client = login_as("ondersteuner")
    page = client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    referral, referral_options = _select(page, "referral-team")
    invite, invite_options = _select(page, "invite-team")
    assert referral.startswith('<select id="referral-team" name="team">')
    assert invite.startswith('<select aria-describedby="invite-team-hint" id="invite-team" name="team">')
    assert referral_options == invite_options
    knvb, eemland = network.knvb.team.id, network.loket_eemland.team.id
    assert (f'<optgroup label="Loketten"><option value="{eemland}">Sportloket Eemland</option></optgroup>'
            f'<optgroup label="Bonden en brancheorganisaties"><option value="{knvb}">KNVB</option></optgroup>'
            in referral_options)
    _, merge_options = _select(page, "merge-into")
    assert f'<option value="{other.id}">{other.reference} · Vrijwilligers &lt;gezocht&gt; &amp; meer</option>' \
        in merge_options

    assert "selected" not in referral_options

    # sent back with a mistake: the list keeps the chosen team (the invitation form, whose field has the same name,
    # reads the posted team too)
    answer = client.post(f"/wachtrij/{request.id}/doorverwijzen", data={"team": str(knvb), "reason": ""})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    _, referral_options = _select(page, "referral-team")
    assert f'<option selected value="{knvb}">KNVB</option>' in referral_options
    assert referral_options.count("selected") == 1
