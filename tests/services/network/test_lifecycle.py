"""A loket's life cycle (services.network.lifecycle): stages, history, going back, gemeenten moving with their
open requests, and the stage counts now and over time."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db
from loket.models import Gemeente, Loket, NetworkChange
from loket.models.base import today_in_amsterdam
from loket.services.errors import InvalidInput
from loket.services.network import history, lifecycle, loketten
from loket.services.requests import teamwork
from tests.factories import GemeenteFactory, make_user
from tests.support.db import count_queries, count_rows, reloaded
from tests.support.mails import outbox_rows
from tests.support.requests import file_request


@pytest.fixture()
def bunnik(network):
    """Loket Bunnik, in oprichting and not aangehaakt yet; its club has a contact who can file."""
    network.loket_bunnik.aangehaakt = False
    network.bunnik_contact = make_user("club", network.club_bunnik, name="Bo Bunnik")
    db.session.commit()
    return network.loket_bunnik


def _stage_rows(gemeente):
    return list(db.session.scalars(select(NetworkChange).where(
        NetworkChange.field == "stage", NetworkChange.gemeente_id == gemeente.id).order_by(NetworkChange.id)))


# ---------------------------------------------------------------- stages

def test_the_stage_comes_from_the_loket_or_from_exploring(network):
    assert lifecycle.stage_of(network.utrecht) == "operationeel"
    assert lifecycle.stage_of(network.bunnik) == "in_oprichting"
    assert lifecycle.stage_of(network.zeist) == "geen"
    lifecycle.set_exploring(network.zeist, True, actor=network.coordinator, since=date(2026, 1, 5))
    assert lifecycle.stage_of(reloaded(network.zeist)) == "verkennen"
    assert network.zeist.exploring_since == date(2026, 1, 5)
    [row] = _stage_rows(network.zeist)
    assert (row.old_value, row.new_value, row.actor_id) == ("geen", "verkennen", network.coordinator.id)

    lifecycle.set_exploring(network.zeist, False, actor=network.beheerder)
    assert lifecycle.stage_of(reloaded(network.zeist)) == "geen"
    assert [(r.old_value, r.new_value) for r in _stage_rows(network.zeist)] == [("geen", "verkennen"),
                                                                                 ("verkennen", "geen")]


def test_a_gemeente_with_a_loket_cannot_be_set_to_exploring(network):
    with pytest.raises(InvalidInput) as raised:
        lifecycle.set_exploring(network.utrecht, True, actor=network.beheerder)
    assert "Sportloket Utrecht" in raised.value.errors["exploring"]
    assert reloaded(network.utrecht).exploring_since is None and _stage_rows(network.utrecht) == []


def test_exploring_cannot_start_in_the_future(network):
    with pytest.raises(InvalidInput) as raised:
        lifecycle.set_exploring(network.zeist, True, actor=network.beheerder,
                                since=today_in_amsterdam() + timedelta(days=2))
    assert "toekomst" in raised.value.errors["since"]


# ---------------------------------------------------------------- history of a change

def test_every_changed_field_is_kept_with_who_when_from_and_to(network, bunnik):
    moment = datetime(2026, 3, 2, 9, 30)
    lifecycle.update_loket(network.loket_bunnik, actor=network.coordinator, now=moment, reason="Start in maart",
                           changes={"name": "Sportloket Bunnik-Odijk", "status": "operationeel",
                                    "aangehaakt": True, "aangehaakt_at": date(2026, 3, 1),
                                    "phone": "030 656 00 00", "url": "https://bunnik.example"})
    loket = reloaded(network.loket_bunnik)
    assert (loket.name, loket.status, loket.aangehaakt, loket.aangehaakt_at) == (
        "Sportloket Bunnik-Odijk", "operationeel", True, date(2026, 3, 1))
    rows = {(c.subject, c.field): c for c in history.of_loket(loket.id)}
    assert (rows["loket", "status"].old_value, rows["loket", "status"].new_value) == ("in_oprichting", "operationeel")
    assert (rows["loket", "name"].old_value, rows["loket", "name"].new_value) == ("Sportloket Bunnik",
                                                                                  "Sportloket Bunnik-Odijk")
    assert rows["loket", "aangehaakt"].new_value == "ja" and rows["loket", "aangehaakt_at"].new_value == "2026-03-01"
    assert rows["loket", "phone"].new_value == "030 656 00 00"
    assert {c.actor_id for c in rows.values()} == {network.coordinator.id}
    assert {c.changed_at for c in rows.values()} == {moment}
    assert {c.reason for c in rows.values()} == {"Start in maart"}
    stage = rows["gemeente", "stage"]
    assert (stage.gemeente_id, stage.old_value, stage.new_value) == (network.bunnik.id, "in_oprichting",
                                                                     "operationeel")
    assert ("loket", "email") not in rows  # unchanged fields leave no row


def test_aangehaakt_without_a_date_is_today_and_unhooking_clears_it(network, bunnik):
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, changes={"aangehaakt": True})
    assert reloaded(network.loket_bunnik).aangehaakt_at == today_in_amsterdam()
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, changes={"aangehaakt": False})
    loket = reloaded(network.loket_bunnik)
    assert (loket.aangehaakt, loket.aangehaakt_at) == (False, None)


def test_going_back_to_in_oprichting_needs_a_reason(network):
    with pytest.raises(InvalidInput) as raised:
        lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, changes={"status": "in_oprichting"},
                               reason="   ")
    assert "reden" in raised.value.errors["reason"]
    assert reloaded(network.loket_utrecht).status == "operationeel"
    assert count_rows(NetworkChange) == 0

    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, changes={"status": "in_oprichting"},
                           reason="Het team is tijdelijk onderbezet")
    assert reloaded(network.loket_utrecht).status == "in_oprichting"
    [row] = [c for c in history.of_loket(network.loket_utrecht.id) if c.field == "status"]
    assert row.reason == "Het team is tijdelijk onderbezet"


@pytest.mark.parametrize("changes, field, message", [
    ({"status": "gesloten"}, "status", "Kies de status"),
    ({"gemeenten": ["GM9999"]}, "gemeenten", "Onbekende gemeentecode(s): GM9999"),
    ({"gemeenten": ["GM\x0034"]}, "gemeenten", "GM met vier cijfers"),
    ({"gemeenten": []}, "gemeenten", "minstens één gemeente"),
    ({"gemeenten": ["GM0344"]}, "gemeenten", "Gemeente Utrecht (GM0344) wordt al bediend door Sportloket Utrecht"),
    ({"name": "Naam\x00"}, "name", "stuurtekens"),
    ({"name": ""}, "name", "Geef het loket een naam"),
    ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
    ({"url": "bunnik.nl"}, "url", "https://"),
    ({"aangehaakt_at": date(2026, 1, 1)}, "aangehaakt_at", "aangehaakt loket"),
    ({"aangehaakt": True, "aangehaakt_at": today_in_amsterdam() + timedelta(days=1)}, "aangehaakt_at", "toekomst"),
    ({"kleur": "rood"}, "kleur", "bestaat niet"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(network, bunnik, changes, field, message):
    with pytest.raises(InvalidInput) as raised:
        lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder,
                               changes={"status": "operationeel", **changes})
    assert message in raised.value.errors[field]
    db.session.rollback()
    assert reloaded(network.loket_bunnik).status == "in_oprichting"
    assert [g.code for g in reloaded(network.loket_bunnik).gemeenten] == ["GM0312"]
    assert count_rows(NetworkChange) == 0


# ---------------------------------------------------------------- gemeenten and their requests

def test_taking_over_a_gemeente_moves_its_open_requests_with_a_moved_event(network):
    open_request = file_request(network, who="other_club_contact", club="club_amersfoort")
    assert open_request.owner_team_id == network.loket_eemland.team.id
    with pytest.raises(InvalidInput) as raised:
        lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder,
                               changes={"gemeenten": ["GM0344", "GM0307"]})
    assert "Gemeente Amersfoort (GM0307) wordt al bediend door Sportloket Eemland" in raised.value.errors["gemeenten"]
    db.session.rollback()

    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, take_over=True,
                           changes={"gemeenten": ["GM0344", "GM0307"]})

    assert [g.code for g in reloaded(network.loket_utrecht).gemeenten] == ["GM0307", "GM0344"]
    assert [g.code for g in reloaded(network.loket_eemland).gemeenten] == ["GM0327"]
    request = reloaded(open_request)
    assert request.owner_team_id == network.loket_utrecht.team.id
    moved = request.events[-1]
    assert moved.kind == "moved" and "Sportloket Eemland" in moved.body and not moved.is_public
    assert outbox_rows("request_moved", to=network.other_club_contact.email)
    # Both lokets keep the move in their history; Amersfoort's stage stays operationeel (no stage row).
    for loket in (network.loket_utrecht, network.loket_eemland):
        [row] = [c for c in history.of_loket(loket.id) if c.field == "gemeente"]
        assert (row.gemeente_id, row.old_value, row.new_value) == (network.amersfoort.id, "Sportloket Eemland",
                                                                   "Sportloket Utrecht")
    assert _stage_rows(network.amersfoort) == []


def test_a_take_over_leaves_the_other_lokets_requests_of_other_gemeenten_alone(network):
    leusden_club = network.club_amersfoort
    leusden_club.gemeente = network.leusden
    db.session.commit()
    request = file_request(network, who="other_club_contact", club="club_amersfoort")
    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, take_over=True,
                           changes={"gemeenten": ["GM0344", "GM0307"]})
    assert reloaded(request).owner_team_id == network.loket_eemland.team.id


def test_fallback_requests_move_when_the_loket_becomes_operational(network, bunnik):
    waiting = file_request(network, who="bunnik_contact", club="club_bunnik")
    assert waiting.owner_team.kind == "fallback"  # Bunnik's loket is in oprichting
    lifecycle.update_loket(network.loket_bunnik, actor=network.coordinator, changes={"status": "operationeel"})
    request = reloaded(waiting)
    assert request.owner_team_id == network.loket_bunnik.team.id
    assert request.events[-1].kind == "moved" and "opvangwachtrij" in request.events[-1].body


def test_fallback_requests_move_when_an_operational_loket_gains_the_gemeente(network):
    waiting = file_request(network, who="zeist_contact", club="club_zeist")
    assert waiting.owner_team.kind == "fallback"
    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder,
                           changes={"gemeenten": ["GM0344", "GM0355"]})
    assert reloaded(waiting).owner_team_id == network.loket_utrecht.team.id
    [stage] = _stage_rows(network.zeist)
    assert (stage.old_value, stage.new_value, stage.loket_id) == ("geen", "operationeel", network.loket_utrecht.id)
    # A new filing from Zeist now routes to Utrecht as well.
    assert file_request(network, who="zeist_contact", club="club_zeist").owner_team_id == network.loket_utrecht.team.id


def test_a_gemeente_added_to_a_loket_in_oprichting_keeps_waiting_in_the_fallback_queue(network):
    waiting = file_request(network, who="zeist_contact", club="club_zeist")
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, changes={"gemeenten": ["GM0312", "GM0355"]})
    assert reloaded(waiting).owner_team.kind == "fallback"
    assert [(r.old_value, r.new_value) for r in _stage_rows(network.zeist)] == [("geen", "in_oprichting")]


def test_a_removed_gemeente_keeps_its_open_requests_and_returns_to_its_own_stage(network):
    request = file_request(network, who="other_club_contact", club="club_amersfoort")
    lifecycle.update_loket(network.loket_eemland, actor=network.beheerder, changes={"gemeenten": ["GM0327"]})
    assert reloaded(network.amersfoort).loket_id is None
    assert reloaded(request).owner_team_id == network.loket_eemland.team.id
    [stage] = _stage_rows(network.amersfoort)
    assert (stage.old_value, stage.new_value) == ("operationeel", "geen")
    [row] = [c for c in history.of_loket(network.loket_eemland.id) if c.field == "gemeente"]
    assert (row.old_value, row.new_value) == ("Sportloket Eemland", None)


def test_an_open_referral_by_the_former_loket_is_withdrawn_on_a_take_over(network):
    request = file_request(network, who="other_club_contact", club="club_amersfoort")
    access = teamwork.supporter_access(network.ondersteuner_eemland, request.id)
    teamwork.propose_referral(access, actor=network.ondersteuner_eemland, to_team_id=network.knvb.team.id,
                              reason="Past beter")
    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, take_over=True,
                           changes={"gemeenten": ["GM0344", "GM0307"]})
    request = reloaded(request)
    assert request.owner_team_id == network.loket_utrecht.team.id and request.status == "nieuw"
    assert [e.kind for e in request.events][-3:] == ["referral_withdrawn", "status_changed", "moved"]


# ---------------------------------------------------------------- creating a loket

def test_creating_a_loket_records_created_and_the_stages_and_takes_the_fallback_requests(network):
    waiting = file_request(network, who="zeist_contact", club="club_zeist")
    lifecycle.set_exploring(network.zeist, True, actor=network.coordinator)
    loket = loketten.create_loket("Sportloket Zeist", "zeist", ["GM0355"], "operationeel", actor=network.beheerder)
    fields = [(c.subject, c.field, c.new_value) for c in history.of_loket(loket.id)]
    assert ("loket", "created", "Sportloket Zeist") in fields
    assert ("gemeente", "gemeente", "Sportloket Zeist") in fields
    assert [(r.old_value, r.new_value) for r in _stage_rows(network.zeist)] == [("geen", "verkennen"),
                                                                                 ("verkennen", "operationeel")]
    assert reloaded(network.zeist).exploring_since is None
    assert reloaded(waiting).owner_team_id == loket.team.id


def test_the_slug_of_a_page_is_not_a_loket_slug(network):
    with pytest.raises(InvalidInput) as raised:
        loketten.create_loket("Nieuw loket", "nieuw", ["GM0355"])
    assert "gereserveerd" in raised.value.errors["slug"]


def test_a_slug_of_only_digits_is_refused(network):
    """The API's /collaborators/loket/<id or slug> reads "7" as loket 7: such a slug would name another loket."""
    with pytest.raises(InvalidInput) as raised:
        loketten.create_loket("Loket zeven", "7", ["GM0355"])
    assert "alleen uit cijfers" in raised.value.errors["slug"]


# ---------------------------------------------------------------- counts

def test_stage_counts_per_province_now(network):
    GemeenteFactory(code="GM0363", name="Amsterdam", province="Noord-Holland")
    db.session.commit()
    lifecycle.set_exploring(network.zeist, True, actor=network.beheerder)
    per_province, total = lifecycle.stage_counts_by_province()
    utrecht = next(p for p in per_province if p.name == network.utrecht.province)
    assert utrecht.counts == {"geen": 0, "verkennen": 1, "in_oprichting": 1, "operationeel": 3}
    assert next(p for p in per_province if p.name == "Noord-Holland").counts["geen"] == 1
    assert total.counts == {"geen": 1, "verkennen": 1, "in_oprichting": 1, "operationeel": 3} and total.total == 6


def test_stage_counts_over_time_replay_the_history(network):
    now = datetime(2026, 6, 15, 12, 0)
    lifecycle.set_exploring(network.zeist, True, actor=network.beheerder, now=datetime(2026, 2, 10, 10, 0))
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, now=datetime(2026, 4, 30, 23, 30),
                           changes={"status": "operationeel"})  # 1 May in the Netherlands
    months = lifecycle.stage_counts_over_time(now=now)
    assert len(months) == 12 and months[-1].month == date(2026, 6, 1) and months[0].month == date(2025, 7, 1)
    by_month = {m.month: m.counts for m in months}
    # Before its first change each gemeente had that change's old stage; the others never changed.
    assert by_month[date(2026, 1, 1)] == {"geen": 1, "verkennen": 0, "in_oprichting": 1, "operationeel": 3}
    assert by_month[date(2026, 2, 1)] == {"geen": 0, "verkennen": 1, "in_oprichting": 1, "operationeel": 3}
    assert by_month[date(2026, 4, 1)]["in_oprichting"] == 1  # 30 April 23:30 UTC is already May
    assert by_month[date(2026, 5, 1)] == {"geen": 0, "verkennen": 1, "in_oprichting": 0, "operationeel": 4}
    assert by_month[date(2026, 6, 1)] == by_month[date(2026, 5, 1)]


def test_stage_counts_use_a_constant_number_of_queries(app, network):
    with count_queries(app) as few:
        lifecycle.stage_counts_over_time()
        lifecycle.stage_counts_by_province()
    for i in range(5):
        gemeente = GemeenteFactory(code=f"GM09{i:02d}", name=f"Gemeente {i}")
        db.session.commit()
        lifecycle.set_exploring(gemeente, True, actor=network.beheerder)
    loketten.create_loket("Nieuw", "nieuw-loket", ["GM0900", "GM0901"], actor=network.beheerder)
    with count_queries(app) as many:
        lifecycle.stage_counts_over_time()
        lifecycle.stage_counts_by_province()
    assert len(many) == len(few) == 3
    assert db.session.scalar(select(Loket.id).where(Loket.slug == "nieuw-loket"))
    assert db.session.get(Gemeente, gemeente.id).exploring_since is not None


def test_the_demo_network_has_a_stage_history_and_gemeenten_that_explore(app, db):
    from loket.services.seed.demo_data import seed_demo
    from loket.services.seed.reference_data import seed_reference

    seed_reference(app.config["REFERENCE_DATA_DIR"])
    seed_demo()
    exploring = {g.name for g in db.session.scalars(select(Gemeente).where(Gemeente.exploring_since.is_not(None)))}
    assert exploring == {"Zeist", "De Bilt"}
    months = lifecycle.stage_counts_over_time()
    assert months[-1].counts == lifecycle.stage_counts_by_province()[1].counts
    assert months[-1].counts["in_oprichting"] == 3 and months[-1].counts["verkennen"] == 2
    assert months[0].counts != months[-1].counts  # the year shows movement: Gooi founded, Eemland operational
    gooi = db.session.scalar(select(Loket).where(Loket.slug == "gooi"))
    assert ("loket", "created") in {(c.subject, c.field) for c in history.of_loket(gooi.id)}
