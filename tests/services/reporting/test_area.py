"""reporting.area: which gemeenten a gemeente officer or an adviseur sees, the realisation pipeline of a region,
each gemeente's loket with its verdicts, and one gemeente's page — aggregates only, constant queries."""
import pytest

from loket.models.base import utcnow
from loket.models.region import RegionGemeente
from loket.services.errors import NotFound
from loket.services.network import lifecycle
from loket.services.network.stages import stage_of
from loket.services.reporting import area, demand
from tests.factories import (
    GemeenteFactory,
    LoketFactory,
    MembershipFactory,
    make_region_set,
    make_user,
    region_named,
)
from tests.support.db import count_queries
from tests.support.quality import (
    NOVEMBER,
    OCTOBER,
    measure_month,
    pass_audit,
    stored_request,
)


def _names(gemeenten):
    return [g.name for g in gemeenten]


def test_a_gemeente_officer_sees_their_own_gemeente_only(network):
    assert _names(area.gemeenten_of(network.gemeente_utrecht)) == ["Utrecht"]


def test_an_adviseur_sees_every_gemeente_of_their_region(network):
    assert _names(area.gemeenten_of(network.adviseur)) == ["Bunnik", "Utrecht", "Zeist"]


@pytest.mark.parametrize("who", ["coordinator", "beheerder", "ondersteuner", "club_contact", "bondsspecialist"])
def test_other_roles_have_no_area(network, who):
    assert area.gemeenten_of(getattr(network, who)) == []
    assert area.area_overview(getattr(network, who)).gemeenten == []


def test_several_gemeenten_and_regions_add_up_once_each(network, db):
    officer = make_user("gemeente", network.utrecht, name="Twee Gemeenten")
    MembershipFactory(user=officer, role="gemeente", gemeente=network.zeist)
    other_set = make_region_set("Sportregio's", {"Midden": [network.utrecht, network.amersfoort]}, slug="sr")
    MembershipFactory(user=network.adviseur, role="adviseur", region=region_named(other_set, "Midden"))
    db.session.commit()
    assert _names(area.gemeenten_of(officer)) == ["Utrecht", "Zeist"]
    assert _names(area.gemeenten_of(network.adviseur)) == ["Amersfoort", "Bunnik", "Utrecht", "Zeist"]
    overview = area.area_overview(network.adviseur)
    assert [(r.set_name, r.name, r.total) for r in overview.regions] == [
        ("Sportregio's", "Midden", 2), ("VSG-regio's", "Regio Utrecht", 3)]
    assert sum(overview.pipeline.values()) == 4  # Utrecht, in both regions, counts once for the whole area


def test_the_pipeline_of_the_region_and_how_it_moves(network):
    """Utrecht: operational and aangehaakt; Bunnik: loket in oprichting; Zeist: nothing yet."""
    overview = area.area_overview(network.adviseur)
    (region,) = overview.regions
    assert region.name == "Regio Utrecht" and region.set_name == "VSG-regio's"
    assert region.pipeline == {"geen": 1, "verkennen": 0, "in_oprichting": 1, "operationeel": 0, "aangehaakt": 1}
    assert {g.name: g.pipeline_stage for g in overview.gemeenten} == {
        "Bunnik": "in_oprichting", "Utrecht": "aangehaakt", "Zeist": "geen"}
    lifecycle.set_exploring(network.zeist, True, actor=network.coordinator)
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, changes={"status": "operationeel"})
    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, changes={"aangehaakt": False})
    (region,) = area.area_overview(network.adviseur).regions
    assert region.pipeline == {"geen": 0, "verkennen": 1, "in_oprichting": 0, "operationeel": 1, "aangehaakt": 1}


def test_the_stage_is_the_one_of_network_stages(network):
    overview = area.area_overview(network.adviseur)
    assert {g.code: g.stage for g in overview.gemeenten} == {
        g.code: stage_of(g) for g in (network.utrecht, network.bunnik, network.zeist)}


def test_a_gemeente_officer_gets_no_regions_but_the_pipeline_of_their_gemeenten(network):
    overview = area.area_overview(network.gemeente_utrecht)
    assert overview.regions == []
    assert overview.pipeline["aangehaakt"] == 1 and sum(overview.pipeline.values()) == 1


def test_each_loket_with_its_verdict_per_criterion_and_its_latest_audit(network):
    measure_month(network.loket_utrecht, OCTOBER, 2)
    measure_month(network.loket_utrecht, NOVEMBER, 20)  # every metric criterion passes in the latest month
    pass_audit(network, network.loket_utrecht)
    overview = area.area_overview(network.adviseur)
    utrecht = overview.gemeente("GM0344")
    assert utrecht.loket.name == "Sportloket Utrecht" and utrecht.loket.aangehaakt
    assert utrecht.loket.quality.audit_verdict == "positief"
    assert utrecht.loket.voldoet
    assert set(utrecht.loket.quality.criteria) == {c.code for c in overview.criteria}
    assert all(utrecht.loket.quality.criteria.values())
    bunnik = overview.gemeente("GM0312")
    assert bunnik.loket.status == "in_oprichting" and not bunnik.loket.voldoet
    assert bunnik.loket.quality.audit_verdict is None
    assert overview.gemeente("GM0355").loket is None


def test_the_overview_runs_a_fixed_number_of_queries(app, network, db):
    with count_queries(app) as few:
        area.area_overview(network.adviseur)
    for i in range(6):
        gemeente = GemeenteFactory(name=f"Extra {i}")
        LoketFactory(gemeenten=[gemeente])
        db.session.add(RegionGemeente(region_set_id=network.vsg.id, gemeente_id=gemeente.id,
                                      region_id=network.regio_utrecht.id))
    db.session.commit()
    with count_queries(app) as many:
        overview = area.area_overview(network.adviseur)
    assert len(overview.gemeenten) == 9
    assert len(many) == len(few), "\n".join(many)


def test_one_gemeente_page_has_its_stage_history_measurements_and_audit_verdicts(network):
    measure_month(network.loket_utrecht, OCTOBER, 3)
    audit = pass_audit(network, network.loket_utrecht, verdict="negatief")
    lifecycle.set_exploring(network.zeist, True, actor=network.coordinator)
    page = area.gemeente_page(network.adviseur, "gm0344")
    assert page.gemeente.name == "Utrecht" and page.loket.row.slug == "utrecht"
    assert [(a.audit_date, a.verdict) for a in page.audits] == [(audit.audit_date, "negatief")]
    assert all(h.points for h in page.loket.histories)
    zeist = area.gemeente_page(network.adviseur, "GM0355")
    assert zeist.loket is None and zeist.audits == []
    assert [(c.field, c.old_value, c.new_value) for c in zeist.changes] == [("stage", "geen", "verkennen")]


def test_a_gemeente_outside_the_area_is_not_found(network):
    with pytest.raises(NotFound):
        area.gemeente_page(network.adviseur, "GM0307")  # Amersfoort: Regio Eemland
    with pytest.raises(NotFound):
        area.gemeente_page(network.gemeente_utrecht, "GM0355")
    with pytest.raises(NotFound):
        area.gemeente_page(network.coordinator, "GM0344")
    with pytest.raises(NotFound):
        area.gemeente_page(network.adviseur, "GM9999\x00")


def test_a_move_between_loketten_shows_once_in_the_gemeente_history(network):
    lifecycle.update_loket(network.loket_utrecht, actor=network.beheerder, take_over=True,
                           changes={"gemeenten": ["GM0344", "GM0312"]})
    page = area.gemeente_page(network.adviseur, "GM0312")
    assert [(c.field, c.new_value) for c in page.changes].count(("gemeente", "Sportloket Utrecht")) == 1


def test_demand_restricted_to_the_area(network):
    stored_request(network.club_utrecht, "overig", utcnow())
    stored_request(network.club_zeist, "overig", utcnow())
    stored_request(network.club_amersfoort, "overig", utcnow())
    ids = area.ids_of(network.adviseur)
    per_gemeente = demand.demand_by_gemeente(ids)
    assert [(s.label, s.total) for s in per_gemeente.series] == [("Bunnik", 0), ("Utrecht", 1), ("Zeist", 1)]
    assert demand.demand_by_category(gemeente_ids=ids).total == 2
    assert demand.demand_by_category(gemeente_ids=area.ids_of(network.gemeente_utrecht)).total == 1
    assert demand.demand_by_category().total == 3
    by_province = demand.demand_by_province(gemeente_ids=ids)
    assert [(s.label, s.total) for s in by_province.series] == [("Utrecht", 2)]
    assert demand.demand_by_category(gemeente_ids=[]).total == 0
