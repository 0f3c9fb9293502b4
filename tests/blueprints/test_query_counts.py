"""Pages fetch what they show with a constant number of queries (no N+1)."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from loket import models
from loket.extensions import db as _db
from loket.models import Category, Membership
from loket.services.requests import actions, filing
from tests.factories import ClubFactory


@contextmanager
def count_queries(app):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _file_many(network, count, *, club=None, actor=None):
    """File `count` requests; without a fixed club each comes from a new club, so rows differ."""
    category = _db.session.scalar(select(Category).where(Category.slug == "overig"))
    actor = actor or network.club_contact
    for i in range(count):
        if club is None:
            this_club = ClubFactory(gemeente=network.utrecht)
            actor.memberships.append(Membership(role="club", club=this_club))
            _db.session.commit()
        request = filing.create_request(
            actor=actor, club_id=(club or this_club).id,
            category_id=category.id, sport_id=None, title=f"Vraag {i}", description="Tekst",
        )
        if i % 2:
            actions.claim(request, actor=network.ondersteuner if i % 4 == 1 else network.collega)
            actions.add_message(request, actor=network.ondersteuner, body="Antwoord", internal=False,
                                         as_supporter=True)


@pytest.mark.parametrize("path, who, club, actor", [
    ("/wachtrij/", "ondersteuner", None, None),
    ("/club/aanvragen", "club_contact", None, None),
    ("/coordinatie/opvang", "coordinator", "club_zeist", "zeist_contact"),
])
def test_list_pages_use_constant_number_of_queries(app, login_as, network, path, who, club, actor):
    club = getattr(network, club) if club else None
    actor = getattr(network, actor) if actor else None
    client = login_as(who)
    _file_many(network, 3, club=club, actor=actor)
    with count_queries(app) as few:
        assert client.get(path).status_code == 200
    _file_many(network, 12, club=club, actor=actor)
    with count_queries(app) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_request_detail_uses_constant_number_of_queries(app, login_as, network):
    _file_many(network, 1)
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
