"""factory_boy factories and a small realistic network for tests."""
from types import SimpleNamespace

import factory
from factory.alchemy import SQLAlchemyModelFactory

from loket.extensions import db
from loket.models import (
    Bond,
    Club,
    ClubContact,
    Gemeente,
    Loket,
    Membership,
    Sport,
    User,
)
from loket.services.network.passwords import hash_password
from loket.services.network.teams import ensure_team
from loket.services.seed.categories import seed_categories
from loket.services.seed.criteria import seed_criteria

PASSWORD = "correct-horse-battery"


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

    @factory.post_generation
    def with_team(obj, create, extracted, **kwargs):
        db.session.flush()
        ensure_team("loket", obj)
        db.session.flush()


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

    @factory.post_generation
    def with_team(obj, create, extracted, **kwargs):
        db.session.flush()
        ensure_team("bond", obj)
        db.session.flush()


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


def make_user(role, organisation=None, *, name=None, email=None, team_lead=False) -> User:
    """A user with one membership: organisation is a Club, Loket or Bond (None for national roles)."""
    kwargs = {k: v for k, v in (("name", name), ("email", email)) if v}
    user = UserFactory(**kwargs)
    membership = Membership(role=role, is_team_lead=team_lead)
    if isinstance(organisation, Club):
        membership.club = organisation
    elif isinstance(organisation, Loket):
        membership.loket = organisation
    elif isinstance(organisation, Bond):
        membership.bond = organisation
    user.memberships.append(membership)
    db.session.flush()
    return user


def build_network() -> SimpleNamespace:
    """Gemeenten, loketten (one serving two gemeenten, one not operational), bonds, clubs, users.

    - Utrecht → Sportloket Utrecht; Amersfoort + Leusden → Sportloket Eemland;
      Bunnik → a loket in oprichting; Zeist → no loket at all.
    - voetbal → KNVB (aangesloten); tennis → KNLTB (not aangesloten).
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
    db.session.commit()
    return n
