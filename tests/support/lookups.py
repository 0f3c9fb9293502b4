"""Seeded reference data by its natural key: categories by slug, criteria by code, teams by organisation."""
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import AuditFinding, Category, CriteriaSet, Criterion
from loket.services.network.teams import ensure_team, kind_of

CURRENT_VERSION = "2026.1"
METRIC_CODES = ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K10")
ASSESSMENT_CODES = ("K8", "K9")


def category(slug: str) -> Category:
    return _db.session.scalar(select(Category).where(Category.slug == slug))


def category_id(slug: str) -> int:
    return _db.session.scalar(select(Category.id).where(Category.slug == slug))


def criteria_set(version: str = CURRENT_VERSION) -> CriteriaSet:
    return _db.session.scalar(select(CriteriaSet).where(CriteriaSet.version == version))


def criterion(code: str, version: str = CURRENT_VERSION) -> Criterion:
    return _db.session.scalar(select(Criterion).join(CriteriaSet).where(
        Criterion.code == code, CriteriaSet.version == version))


def finding(audit, code: str) -> AuditFinding:
    """The audit's finding on the criterion with this code."""
    return next(f for f in audit.findings if f.criterion.code == code)


def team_of(organisation):
    """The team of a Loket, Bond or Initiative."""
    return ensure_team(kind_of(organisation), organisation)
