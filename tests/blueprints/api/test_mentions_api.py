"""Mentions over the API: an internal note posted with POST /api/v1/requests/<id>/messages follows the same rule as
the page (the one service), a refusal is a 422 on `body` naming who."""
from loket.models import Mention
from tests.support.api import assert_problem
from tests.support.db import count_rows
from tests.support.requests import file_request


def test_a_note_over_the_api_names_a_colleague_or_is_refused_naming_who(api, network):
    request = file_request(network)
    client = api("ondersteuner")
    refused = client.post(f"/requests/{request.id}/messages",
                          json={"body": "@Eva Eemland, kijk mee", "internal": True})
    assert_problem(refused, 422, field="body", contains="Eva Eemland kan deze aanvraag niet lezen")
    assert count_rows(Mention) == 0
    posted = client.post(f"/requests/{request.id}/messages", json={"body": "@Cees Collega, kijk mee", "internal": True})
    assert posted.status_code == 201
    assert [m.user_id for m in Mention.query] == [network.collega.id]
