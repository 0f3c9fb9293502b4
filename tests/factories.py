"""factory_boy factories and a small realistic network for tests.

Factories store rows as they are (no routing, events or outbox): a request that must be filed through the real
service goes through tests.support.requests.file_request instead. Categories and criteria come from the seed
(the `network` fixture seeds them); factories look them up by slug and code.
"""
from datetime import date, timedelta
from types import SimpleNamespace

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select

from loket.extensions import db
from loket.models import (
    Audit,
    AuditFinding,
    Bond,
    Category,
    Club,
    ClubContact,
    Collaborator,
    CriteriaSet,
    Criterion,
    Gemeente,
    Initiative,
    Loket,
    Measurement,
    Membership,
    OutboxMessage,
    QualityRun,
    Referral,
    Region,
    RegionGemeente,
    RegionSet,
    Sport,
    SupportOffer,
    SupportRequest,
    User,
)
from loket.models.base import utcnow
from loket.services.network import two_factor
from loket.services.network.passwords import hash_password
from loket.services.network.teams import ensure_team
from loket.services.seed.categories import seed_categories
from loket.services.seed.criteria import seed_criteria

PASSWORD = "correct-horse-battery"
# The authenticator secret of every factory user whose role requires two-factor authentication (coördinatiepunt,
# beheer, team leads): the test helpers compute the code a person's app would show (totp_code).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _ensure_team(kind, organisation):
    """The team of a new Loket or Bond (flushed, so the organisation has its id)."""
    db.session.flush()
    ensure_team(kind, organisation)
    db.session.flush()


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731  (the app-context session)
        sqlalchemy_session_persistence = "flush"


class GemeenteFactory(BaseFactory):
    class Meta:
        model = Gemeente

    # Four digits whatever the sequence (the column is 6 wide); the fixed network codes stay below 1000.
    code = factory.Sequence(lambda n: f"GM{1000 + n % 9000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    province = "Utrecht"


class LoketFactory(BaseFactory):
    class Meta:
        model = Loket

    name = factory.Sequence(lambda n: f"Sportloket {n}")
    slug = factory.Sequence(lambda n: f"sportloket-{n}")
    status = "operationeel"
    aangehaakt = True
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example")

    with_team = factory.PostGeneration(lambda obj, create, extracted, **kwargs: _ensure_team("loket", obj))


class SportFactory(BaseFactory):
    class Meta:
        model = Sport

    name = factory.Sequence(lambda n: f"sport {n}")


class BondFactory(BaseFactory):
    class Meta:
        model = Bond

    key = factory.Sequence(lambda n: f"bond{n}")
    abbreviation = factory.LazyAttribute(lambda o: o.key.upper())
    name = factory.Sequence(lambda n: f"Testbond {n}")
    aangesloten = True

    with_team = factory.PostGeneration(lambda obj, create, extracted, **kwargs: _ensure_team("bond", obj))


class InitiativeFactory(BaseFactory):
    """A landelijk initiatief with its team."""

    class Meta:
        model = Initiative

    key = factory.Sequence(lambda n: f"initiatief-{n}")
    name = factory.Sequence(lambda n: f"Landelijk programma {n}")
    with_team = factory.PostGeneration(lambda obj, create, extracted, **kwargs: _ensure_team("initiatief", obj))


def make_region_set(name: str, regions: dict[str, list[Gemeente]], slug: str | None = None) -> RegionSet:
    """A region set with its regions and their gemeenten, as an import would store them (flushed)."""
    region_set = RegionSet(name=name, slug=slug or name.lower().replace(" ", "-").replace("'", ""))
    db.session.add(region_set)
    db.session.flush()
    for region_name, gemeenten in regions.items():
        region = Region(region_set=region_set, name=region_name)
        db.session.add(region)
        db.session.flush()
        db.session.add_all(RegionGemeente(region_set_id=region_set.id, gemeente_id=g.id, region_id=region.id)
                           for g in gemeenten)
    db.session.flush()
    return region_set


def region_named(region_set: RegionSet, name: str) -> Region:
    return next(r for r in region_set.regions if r.name == name)


class ClubFactory(BaseFactory):
    class Meta:
        model = Club

    name = factory.Sequence(lambda n: f"Sportclub {n}")
    kind = "vereniging"
    gemeente = factory.SubFactory(GemeenteFactory)


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    email_confirmed_at = factory.LazyFunction(utcnow)


class MembershipFactory(BaseFactory):
    """A role in an organisation: a club contact of a new club, or pass loket= or bond= with their role
    (the database checks that the organisation matches the role)."""

    class Meta:
        model = Membership

    class Params:
        is_club = factory.LazyAttribute(lambda o: o.role == "club")

    user = factory.SubFactory(UserFactory)
    role = "club"
    club = factory.Maybe("is_club", yes_declaration=factory.SubFactory(ClubFactory), no_declaration=None)
    is_team_lead = False

    required_two_factor = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: give_required_two_factor(obj.user) if obj.user else None)


class ClubContactFactory(BaseFactory):
    class Meta:
        model = ClubContact

    club = factory.SubFactory(ClubFactory)
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    email = factory.Sequence(lambda n: f"contact{n}@club.example")


def _category(slug: str) -> Category:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def _owner_team(club: Club):
    """The team routing would pick for a generic request: the club's loket, else the fallback queue."""
    loket = club.gemeente.loket if club.gemeente else None
    return loket.team if loket else ensure_team("fallback")


def _team_of(organisation):
    kind = "loket" if isinstance(organisation, Loket) else "initiatief" if isinstance(organisation, Initiative) \
        else "bond"
    return ensure_team(kind, organisation)


class SupportRequestFactory(BaseFactory):
    """A request row as it is stored: no routing, events or outbox rows (aggregates only need the row)."""

    class Meta:
        model = SupportRequest

    class Params:
        category_slug = "overig"

    reference = factory.Sequence(lambda n: f"LK-T-{n:09d}")  # unique; at most 20 characters
    club = factory.SubFactory(ClubFactory)
    category = factory.LazyAttribute(lambda o: _category(o.category_slug))
    title = "Vraag"
    description = "Tekst"
    owner_team = factory.LazyAttribute(lambda o: _owner_team(o.club))


class ReferralFactory(BaseFactory):
    """An open proposal to hand `request` over to `to_team` (defaults to the fallback queue)."""

    class Meta:
        model = Referral

    request = factory.SubFactory(SupportRequestFactory)
    from_team = factory.LazyAttribute(lambda o: o.request.owner_team)
    to_team = factory.LazyFunction(lambda: ensure_team("fallback"))
    reason = "Past beter bij jullie."
    state = "voorgesteld"
    status_before = factory.LazyAttribute(lambda o: o.request.status)
    due_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=2))


class CollaboratorFactory(BaseFactory):
    """Another team invited to co-handle `request` (active until ended_at is set)."""

    class Meta:
        model = Collaborator

    request = factory.SubFactory(SupportRequestFactory)
    team = factory.LazyFunction(lambda: ensure_team("fallback"))
    reason = "Meedenken gevraagd."


class SupportOfferFactory(BaseFactory):
    """An offer of `organisation`'s team (a Loket or Bond) in the categories named by `slugs`."""

    class Meta:
        model = SupportOffer

    class Params:
        organisation = factory.SubFactory(LoketFactory)
        slugs = ("vrijwilligers-kader",)

    team = factory.LazyAttribute(lambda o: _team_of(o.organisation))
    title = factory.Sequence(lambda n: f"Aanbod {n}")
    description = "Beschrijving"
    contact = None
    categories = factory.LazyAttribute(lambda o: [_category(slug) for slug in o.slugs])


class OutboxMessageFactory(BaseFactory):
    """An outbox row: an email to `to` by default; kind="job" makes a job row."""

    class Meta:
        model = OutboxMessage

    class Params:
        to = "anna@uboys.example"
        context = factory.Dict({})

    kind = "email"
    name = "request_received"
    queue = factory.LazyAttribute(lambda o: "mail" if o.kind == "email" else "default")
    payload = factory.LazyAttribute(
        lambda o: {"to": o.to, "context": o.context} if o.kind == "email" else {"args": [1]})
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    status = "pending"
    attempts = factory.LazyAttribute(lambda o: 1 if o.status in ("sent", "failed") else 0)
    created_at = factory.LazyFunction(utcnow)
    available_at = factory.LazyAttribute(lambda o: o.created_at)
    sent_at = factory.LazyAttribute(lambda o: o.created_at if o.status == "sent" else None)


def criteria_set_of(version: str = "2026.1") -> CriteriaSet:
    return db.session.scalar(select(CriteriaSet).where(CriteriaSet.version == version))


class CriteriaSetFactory(BaseFactory):
    class Meta:
        model = CriteriaSet

    version = factory.Sequence(lambda n: f"2000.{n}")
    valid_from = date(2000, 1, 1)


class CriterionFactory(BaseFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    title = factory.LazyAttribute(lambda o: f"Criterium {o.code}")
    kind = "metric"


class MeasurementFactory(BaseFactory):
    """One month's value of a criterion (by `code` in the seeded set `version`, or pass criterion=)."""

    class Meta:
        model = Measurement

    class Params:
        code = "K1"
        version = "2026.1"

    loket = factory.SubFactory(LoketFactory)
    criterion = factory.LazyAttribute(
        lambda o: next(c for c in criteria_set_of(o.version).criteria if c.code == o.code))
    period = date(2026, 10, 1)
    value = 1.0
    passed = True
    details = factory.Dict({})


class AuditFactory(BaseFactory):
    """A final positive audit against the seeded set `version`, with a finding per criterion: K8 and K9 pass,
    the rest not assessed, unless `results` (code → result) says otherwise. assessed_only=True gives findings
    for the assessment criteria only."""

    class Meta:
        model = Audit

    class Params:
        version = "2026.1"
        results = factory.Dict({})
        assessed_only = False

    loket = factory.SubFactory(LoketFactory)
    criteria_set = factory.LazyAttribute(lambda o: criteria_set_of(o.version))
    kind = "audit"
    state = "definitief"
    author = factory.SubFactory(UserFactory)
    audit_date = date(2026, 10, 1)
    verdict = "positief"
    findings = factory.LazyAttribute(lambda o: [
        AuditFinding(criterion_id=c.id, result={"K8": "pass", "K9": "pass", **o.results}.get(c.code, "not_assessed"))
        for c in o.criteria_set.criteria if not o.assessed_only or c.kind == "assessment"])


class QualityRunFactory(BaseFactory):
    class Meta:
        model = QualityRun

    state = "queued"
    period = factory.LazyFunction(lambda: utcnow().date().replace(day=1))


def make_user(role, organisation=None, *, name=None, email=None, team_lead=False) -> User:
    """A user with one membership: organisation is a Club, Loket, Bond or Initiative (their supporter roles), a
    Gemeente (role gemeente) or a Region (role adviseur); None for national roles."""
    kwargs = {k: v for k, v in (("name", name), ("email", email)) if v}
    user = UserFactory(**kwargs)
    membership = Membership(role=role, is_team_lead=team_lead)
    if isinstance(organisation, Club):
        membership.club = organisation
    elif isinstance(organisation, Loket):
        membership.loket = organisation
    elif isinstance(organisation, Bond):
        membership.bond = organisation
    elif isinstance(organisation, Initiative):
        membership.initiative = organisation
    elif isinstance(organisation, Gemeente):
        membership.gemeente = organisation
    elif isinstance(organisation, Region):
        membership.region = organisation
    user.memberships.append(membership)
    give_required_two_factor(user)
    db.session.flush()
    return user


def give_required_two_factor(user: User) -> None:
    """Switch two-factor authentication on with TOTP_SECRET when the user's roles require it, as such a person
    has done before their first day (tests of enrolling itself start from a user without it)."""
    if two_factor.required_for(user) and not user.has_two_factor:
        two_factor.provision(user, TOTP_SECRET)


def totp_code(user: User, *, wait: bool = True) -> str | None:
    """The code the user's authenticator app would accept now: the earliest time step within the accepted
    drift that was not used yet (a code is accepted once), waiting for the next step when all were used by
    earlier logins of this test. None for a user without two-factor authentication."""
    import time

    db.session.refresh(user)
    if not user.has_two_factor:
        return None
    while True:
        free = two_factor.usable_steps(user.totp_last_step)
        if free:
            return two_factor.code_at(user.totp_secret, free[0])
        if not wait:
            return None
        time.sleep(two_factor.STEP_SECONDS - time.time() % two_factor.STEP_SECONDS + 0.05)


def build_network() -> SimpleNamespace:
    """Gemeenten, loketten (one serving two gemeenten, one not operational), bonden, clubs, users.

    - Utrecht → Sportloket Utrecht; Amersfoort + Leusden → Sportloket Eemland;
      Bunnik → a loket in oprichting; Zeist → no loket at all.
    - voetbal → KNVB (aangesloten); tennis → KNLTB (not aangesloten).
    - a landelijk initiatief "SPN procesbegeleiders" (key spn) with one member;
    - region set "VSG-regio's": "Regio Utrecht" (Utrecht, Bunnik, Zeist) and "Regio Eemland" (Amersfoort,
      Leusden); an adviseur of Regio Utrecht and the gemeente Utrecht's sport officer (read-only roles).
    """
    n = SimpleNamespace()
    seed_categories()
    seed_criteria()
    n.fallback_team = ensure_team("fallback")
    n.utrecht = GemeenteFactory(code="GM0344", name="Utrecht")
    n.amersfoort = GemeenteFactory(code="GM0307", name="Amersfoort")
    n.leusden = GemeenteFactory(code="GM0327", name="Leusden")
    n.bunnik = GemeenteFactory(code="GM0312", name="Bunnik")
    n.zeist = GemeenteFactory(code="GM0355", name="Zeist")
    n.loket_utrecht = LoketFactory(name="Sportloket Utrecht", slug="utrecht", gemeenten=[n.utrecht])
    n.loket_eemland = LoketFactory(name="Sportloket Eemland", slug="eemland", gemeenten=[n.amersfoort, n.leusden])
    n.loket_bunnik = LoketFactory(name="Sportloket Bunnik", slug="bunnik", status="in_oprichting",
                                  gemeenten=[n.bunnik])
    n.voetbal = SportFactory(name="voetbal")
    n.tennis = SportFactory(name="tennis")
    n.knvb = BondFactory(key="knvb", name="KNVB", sports=[n.voetbal], aangesloten=True)
    n.knltb = BondFactory(key="knltb", name="KNLTB", sports=[n.tennis], aangesloten=False)
    n.club_utrecht = ClubFactory(name="VV Utrechtse Boys", gemeente=n.utrecht, sports=[n.voetbal, n.tennis],
                                 contacts=[ClubContact(name="Anna de Vries", email="anna@uboys.example")])
    n.club_amersfoort = ClubFactory(name="HC Amersfoort", gemeente=n.amersfoort, sports=[n.voetbal])
    n.club_zeist = ClubFactory(name="Stichting Zeist Beweegt", kind="stichting", gemeente=n.zeist)
    n.club_bunnik = ClubFactory(name="TV Bunnik", gemeente=n.bunnik, sports=[n.tennis])
    n.club_contact = make_user("club", n.club_utrecht, name="Anna de Vries", email="anna@uboys.example")
    n.other_club_contact = make_user("club", n.club_amersfoort, name="Bram Jansen")
    n.zeist_contact = make_user("club", n.club_zeist, name="Zoë Zeist")
    n.ondersteuner = make_user("clubondersteuner", n.loket_utrecht, name="Ofelia Ondersteuner")
    n.collega = make_user("clubondersteuner", n.loket_utrecht, name="Cees Collega")
    n.ondersteuner_eemland = make_user("clubondersteuner", n.loket_eemland, name="Eva Eemland")
    n.bondsspecialist = make_user("bondsspecialist", n.knvb, name="Bas Bond")
    n.coordinator = make_user("coordinatiepunt", name="Carla Coördinatie")
    n.beheerder = make_user("beheer", name="Ben Beheer")
    n.spn = InitiativeFactory(key="spn", name="SPN procesbegeleiders")
    n.initiatiefmedewerker = make_user("initiatiefmedewerker", n.spn, name="Ilse Initiatief")
    n.vsg = make_region_set("VSG-regio's", {"Regio Utrecht": [n.utrecht, n.bunnik, n.zeist],
                                            "Regio Eemland": [n.amersfoort, n.leusden]}, slug="vsg")
    n.regio_utrecht = region_named(n.vsg, "Regio Utrecht")
    n.adviseur = make_user("adviseur", n.regio_utrecht, name="Arie Adviseur")
    n.gemeente_utrecht = make_user("gemeente", n.utrecht, name="Gerda Gemeente")
    db.session.commit()
    return n
