"""API lists fetch a page with a constant number of SQL queries, however many rows it holds."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Gemeente, Membership, SupportRequest
from loket.services.requests import teamwork
from tests.factories import (
    BondFactory,
    ClubFactory,
    GemeenteFactory,
    LoketFactory,
    UserFactory,
    make_user,
)
from tests.support.db import count_queries
from tests.support.requests import file_many


@pytest.mark.parametrize("who, path", [
    ("ondersteuner", "/requests"),
    ("ondersteuner", "/requests?status=open&category=overig"),
    ("club_contact", "/requests"),
])
def test_request_list_uses_a_constant_number_of_queries(app, api, network, who, path):
    client = api(who)
    file_many(network, 3)
    client.get(path)  # warm up: the token's last_used_at is written on first use only
    with count_queries(app) as few:
        response = client.get(path)
    assert response.get_json()["total"] == 3
    file_many(network, 12)
    with count_queries(app) as many:
        response = client.get(path)
    assert response.get_json()["total"] == 15
    assert len(many) == len(few), "\n".join(many)


def test_shared_view_uses_a_constant_number_of_queries(app, api, network):
    def share(count):
        file_many(network, count)
        for request in _db.session.scalars(select(SupportRequest).where(SupportRequest.assignee_id.is_(None))):
            access = teamwork.supporter_access(network.ondersteuner, request.id)
            if not access.collaborations:
                teamwork.invite_team(access, actor=network.ondersteuner, team_id=network.knvb.team.id)

    client = api("bondsspecialist")
    share(2)
    client.get("/requests?view=samenwerking")
    with count_queries(app) as few:
        client.get("/requests?view=samenwerking")
    share(8)
    with count_queries(app) as many:
        assert client.get("/requests?view=samenwerking").get_json()["total"] > 2
    assert len(many) == len(few), "\n".join(many)


def _grow_network(network, n):
    start = _db.session.scalar(select(func.count()).select_from(Gemeente))
    for i in range(start, start + n):
        # An explicit code: the factory's sequence outgrows the 6-character column in a long run.
        gemeente = GemeenteFactory(code=f"GX{i:04d}")
        LoketFactory(gemeenten=[gemeente])
        BondFactory(sports=[network.voetbal])
        club = ClubFactory(gemeente=gemeente, sports=[network.voetbal, network.tennis])
        make_user("club", club)
        user = UserFactory()
        user.memberships.append(Membership(role="bondsspecialist", bond=network.knvb))
        user.memberships.append(Membership(role="clubondersteuner", loket=network.loket_eemland))
    _db.session.commit()


@pytest.mark.parametrize("path", ["/lokets", "/bonds", "/clubs", "/users", "/categories"])
def test_network_lists_use_a_constant_number_of_queries(app, api, network, path):
    client = api("beheerder")
    _grow_network(network, 1)
    client.get(path)
    with count_queries(app) as few:
        assert client.get(path).status_code == 200
    _grow_network(network, 10)
    with count_queries(app) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), "\n".join(many)
