"""Every factory builds a row the database accepts (constraints, NOT NULLs, unique keys), twice over."""
import pytest

from loket.extensions import db as _db
from tests import factories
from tests.support.db import count_rows

FACTORIES = (
    factories.MembershipFactory, factories.ClubContactFactory, factories.SupportRequestFactory,
    factories.ReferralFactory, factories.CollaboratorFactory, factories.SupportOfferFactory,
    factories.OutboxMessageFactory, factories.CriteriaSetFactory, factories.CriterionFactory,
    factories.MeasurementFactory, factories.AuditFactory, factories.QualityRunFactory,
)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_builds_rows_the_database_accepts(network, factory):
    before = count_rows(factory._meta.model)
    first, second = factory(), factory()
    _db.session.commit()
    assert first.id != second.id
    assert count_rows(factory._meta.model) == before + 2


def test_a_stored_request_belongs_to_the_team_routing_would_pick(network):
    at_loket = factories.SupportRequestFactory(club=network.club_utrecht)
    fallback = factories.SupportRequestFactory(club=network.club_zeist)
    assert at_loket.owner_team is network.loket_utrecht.team and at_loket.category.slug == "overig"
    assert fallback.owner_team.kind == "fallback"


def test_an_audit_has_a_finding_per_criterion_with_k8_and_k9_passing(network):
    audit = factories.AuditFactory(results={"K9": "fail"})
    _db.session.flush()
    results = {f.criterion.code: f.result for f in audit.findings}
    assert len(results) == 10 and (results["K8"], results["K9"], results["K1"]) == ("pass", "fail", "not_assessed")
    assert len(factories.AuditFactory(assessed_only=True).findings) == 2
