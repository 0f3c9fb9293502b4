"""All models, re-exported so Alembic autogenerate and callers see every table."""
from loket.models.club import (
    BASISEIS_STATUSES, BASISEISEN, CLUB_IMPORT_STATES, CLUB_KINDS, CLUB_STATUSES, REGISTRATION_KINDS,
    REGISTRATION_STATES, Club, ClubContact, ClubImport, ClubRegistration, club_sports,
)
from loket.models.organisation import (
    AGREEMENT_HANDLERS, AGREEMENT_STATES, BOND_KIND_LABELS, BOND_KINDS, LOKET_STATUSES, TEAM_KINDS, Bond,
    BondAgreement, Gemeente, Initiative, Loket, Sport, Team, bond_sports,
)
from loket.models.region import Region, RegionGemeente, RegionSet
from loket.models.request import (
    CATEGORY_LAST_POSITION, CATEGORY_SCOPES, CHANNEL_LABELS, CHANNELS, EVENT_KINDS, OPEN_STATUSES, PRIORITIES,
    STATUS_LABELS, STATUSES,
    Category, Event, ReferenceSequence, RequestContact, SupportRequest, status_in,
)
from loket.models.user import (
    ACCOUNT_TOKEN_PURPOSES, ROLE_LABELS, ROLE_ORGANISATION, ROLES, SUPPORTER_ROLES, AccountToken, LoginSession,
    Membership, RecoveryCode, TeamInvitation, User,
)
from loket.models.network_history import (
    CHANGE_SUBJECTS, GEMEENTE_STAGE_LABELS, GEMEENTE_STAGES, NetworkChange,
)
from loket.models.collaboration import REFERRAL_STATE_LABELS, REFERRAL_STATES, Collaborator, Referral
from loket.models.offer import SupportOffer, offer_categories
from loket.models.api_token import ApiToken
from loket.models.quality import (
    AUDIT_KINDS, AUDIT_STATES, COMPARISONS, CRITERION_KINDS, FINDING_RESULTS, RUN_STATES, VERDICTS, Audit,
    AuditFinding, CriteriaCorrection, CriteriaSet, Criterion, Measurement, QualityRun,
    VerdictChange,
)
from loket.models.outbox import OUTBOX_KINDS, OUTBOX_STATUSES, OutboxMessage, PeriodicTask
from loket.models.audit import AUDIT_ACTION_LABELS, AUDIT_ACTIONS, AUDIT_SUBJECTS, AuditEntry  # noqa: F401
from loket.models.idempotency import IDEMPOTENCY_STATES, FormToken, IdempotencyKey  # noqa: F401
from loket.models.saved_view import SavedView  # noqa: F401
from loket.models.attachment import Attachment  # noqa: F401
from loket.models.canned_reply import CannedReply  # noqa: F401
from loket.models.mention import Mention  # noqa: F401
from loket.models.demand import RequestDemandCount  # noqa: F401  (kept current by triggers, created with the tables)
from loket.models.team_counts import RequestTeamCount  # noqa: F401  (the same)
from loket.models import search_index  # noqa: F401,E402  (the full-text index, created with the tables)

__all__ = [
    "AGREEMENT_HANDLERS", "AGREEMENT_STATES", "BOND_KINDS", "BOND_KIND_LABELS", "BondAgreement",
    "Initiative", "Region", "RegionGemeente", "RegionSet", "ROLE_ORGANISATION", "SUPPORTER_ROLES",
    "CHANGE_SUBJECTS", "CHANNELS", "CHANNEL_LABELS", "CLUB_IMPORT_STATES", "ClubImport", "GEMEENTE_STAGES",
    "GEMEENTE_STAGE_LABELS", "NetworkChange", "TeamInvitation",
    "ACCOUNT_TOKEN_PURPOSES", "AccountToken", "CLUB_STATUSES", "ClubRegistration", "REGISTRATION_KINDS",
    "REGISTRATION_STATES",
    "ApiToken", "Collaborator", "REFERRAL_STATES", "REFERRAL_STATE_LABELS", "Referral", "SupportOffer",
    "AUDIT_KINDS", "AUDIT_STATES", "COMPARISONS", "CRITERION_KINDS", "FINDING_RESULTS", "RUN_STATES", "VERDICTS",
    "Audit", "AuditFinding", "CriteriaCorrection", "CriteriaSet", "Criterion", "Measurement", "QualityRun",
    "VerdictChange",
    "offer_categories", "OUTBOX_KINDS", "OUTBOX_STATUSES", "OutboxMessage", "PeriodicTask",
    "BASISEIS_STATUSES", "BASISEISEN", "CATEGORY_LAST_POSITION", "CATEGORY_SCOPES", "CLUB_KINDS", "EVENT_KINDS",
    "LOKET_STATUSES", "OPEN_STATUSES", "PRIORITIES", "ROLES", "ROLE_LABELS", "STATUSES",
    "STATUS_LABELS", "TEAM_KINDS", "Bond", "Category", "Club", "ClubContact", "Event", "Gemeente",
    "Loket", "LoginSession", "Membership", "RecoveryCode", "ReferenceSequence", "Sport", "SupportRequest", "Team",
    "RequestContact",
    "User",
    "bond_sports", "club_sports", "status_in",
]
