"""Pages fetch what they show with a constant number of queries (no N+1)."""
import pytest

from loket import models
from loket.extensions import db as _db
from loket.services.requests import actions
from tests.support.db import count_queries
from tests.support.requests import file_many


@pytest.mark.parametrize("path, who, club, actor", [
    ("/wachtrij/", "ondersteuner", None, None),
    ("/club/aanvragen", "club_contact", None, None),
    ("/coordinatie/opvang", "coordinator", "club_zeist", "zeist_contact"),
])
def test_list_pages_use_constant_number_of_queries(app, login_as, network, path, who, club, actor):
    club = getattr(network, club) if club else None
    actor = getattr(network, actor) if actor else None
    client = login_as(who)
    file_many(network, 3, club=club, actor=actor)
    with count_queries(app) as few:
        assert client.get(path).status_code == 200
    file_many(network, 12, club=club, actor=actor)
    with count_queries(app) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_request_detail_uses_constant_number_of_queries(app, login_as, network):
    file_many(network, 1)
    client = login_as("ondersteuner")
    request_id = 1
    with count_queries(app) as few:
        assert client.get(f"/wachtrij/{request_id}").status_code == 200
    request = _db.session.get(models.SupportRequest, request_id)
    for i in range(8):
        actions.add_message(request, actor=network.collega if i % 2 else network.ondersteuner,
                                     body=f"Notitie {i}", internal=True, as_supporter=True)
    with count_queries(app) as many:
        assert client.get(f"/wachtrij/{request_id}").status_code == 200
    assert len(many) == len(few), "\n".join(many)
