"""Every API operation against every role, and every body-taking operation against bad bodies."""
import re

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from loket import create_app
from loket.access import ANY_USER, PUBLIC
from loket.blueprints.api.openapi import spec
from loket.extensions import db as _db
from loket.models import ApiToken, Collaborator, Event, Referral, SupportRequest
from tests.support.api import assert_problem

# One network user per role (the test network has exactly these).
USER_OF_ROLE = {"club": "club_contact", "clubondersteuner": "ondersteuner", "bondsspecialist": "bondsspecialist",
                "initiatiefmedewerker": "initiatiefmedewerker", "coordinatiepunt": "coordinator", "beheer": "beheerder",
                "gemeente": "gemeente_utrecht", "adviseur": "adviseur"}
OPERATIONS = spec.operations(create_app(TestingConfig))
PATH_VALUES = {"request_id": "1", "referral_id": "1", "key": "knvb", "kind": "loket", "identifier": "eemland", "slug": "eemland",
               "registration_id": "1", "attachment_id": "1"}


def _path(declared):
    return re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m[1]], declared.path).removeprefix("/api/v1")


def _state():
    return tuple(_db.session.scalar(select(func.count()).select_from(model))
                 for model in (SupportRequest, Event, Referral, Collaborator))


def _cases():
    for declared in OPERATIONS:
        for role, who in USER_OF_ROLE.items():
            if PUBLIC not in declared.who and ANY_USER not in declared.who and role not in declared.who:
                yield pytest.param(declared, who, id=f"{declared.method} {declared.rule} as {who}")


@pytest.mark.parametrize("declared, who", list(_cases()))
def test_roles_outside_an_operations_declaration_get_403_and_change_nothing(api, network, declared, who):
    before = _state()
    body = {} if declared.body is not None else None
    assert_problem(api(who).call(declared.method, _path(declared), json=body), 403)
    assert _state() == before


@pytest.mark.parametrize("declared", [d for d in OPERATIONS if PUBLIC not in d.who],
                         ids=lambda d: f"{d.method} {d.rule}")
def test_every_protected_operation_needs_a_token(api, network, declared):
    before = _state()
    body = {} if declared.body is not None else None
    assert_problem(api().call(declared.method, _path(declared), json=body), 401)
    assert_problem(api(token="lk_made-up").call(declared.method, _path(declared), json=body), 401)
    assert _state() == before


def _allowed_user(declared):
    if PUBLIC in declared.who:
        return None
    if ANY_USER in declared.who:
        return "club_contact"
    return USER_OF_ROLE[sorted(declared.who)[0]]


@pytest.mark.parametrize("declared", [d for d in OPERATIONS if d.body is not None],
                         ids=lambda d: f"{d.method} {d.rule}")
def test_every_body_is_json_checked_strictly(api, network, declared):
    client = api(_allowed_user(declared))
    before = (_state(), _db.session.scalar(select(func.count()).select_from(ApiToken)))
    path = _path(declared)
    assert_problem(client.call(declared.method, path, data="a=1",
                               headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_problem(client.call(declared.method, path, data="{not json",
                               headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.call(declared.method, path, json=[1, 2]), 400)
    problem = assert_problem(client.call(declared.method, path, json={"onbekend_veld": True}), 422,
                             field="onbekend_veld")
    assert set(declared.body.model_json_schema()["required"]) <= set(problem["errors"])
    assert (_state(), _db.session.scalar(select(func.count()).select_from(ApiToken))) == before
