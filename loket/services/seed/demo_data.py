"""Demo data for `make run` (DESIGN §8): a few loketten, clubs, users and requests with real gemeente names.

Built on top of the reference data (`seed_reference` first). Idempotent: when the demo marker user
exists, nothing is changed. Club and person names are invented; gemeenten and bonden are real.
"""
from datetime import date, timedelta

from sqlalchemy import select

from loket.extensions import db
from loket.models import (
    Bond, Category, Club, ClubContact, Gemeente, Initiative, Loket, Region, RegionGemeente, RegionSet, Sport,
    SupportOffer, User,
)
from loket.models.base import day_in_amsterdam, utcnow
from loket.services.network import history, two_factor
from loket.services.network.stages import record_stage
from loket.services.network.teams import ensure_team
from loket.services.network.users import MembershipSpec, create_user
from loket.services.requests.filing import create_request
from loket.services.transaction import commit

DEMO_PASSWORD = "loket-demo-2026"
# The authenticator secret of the demo users whose role requires two-factor authentication (coördinatiepunt,
# beheer, team leads): add it to an authenticator app (or compute a code with pyotp) to log in as them.
DEMO_TOTP_SECRET = "LOKETDEMOTWEESTAPSVERIFICATIE234"
DEMO_DOMAIN = "demo.loket.nl"
# Created in the same transaction as everything else except the requests: its presence means "done".
DEMO_MARKER_EMAIL = f"beheer@{DEMO_DOMAIN}"


class DemoDataError(RuntimeError):
    """The demo cannot be built (reference data missing); the message says what to do."""


class DemoSeed(list):
    """The demo logins as (role, email) pairs; `created` is False when the demo already existed."""

    def __init__(self, logins, *, created: bool):
        super().__init__(logins)
        self.created = created


# (slug, name, status, aangehaakt since, gemeenten, email, phone, address, opening hours, reviewed days ago)
LOKETTEN = (
    ("utrecht", "Sportloket Utrecht", "operationeel", date(2024, 9, 1), ("Utrecht",),
     "sportloket@utrecht.demo.loket.nl", "030 123 45 67", "Stadsplateau 1, 3521 AZ Utrecht",
     "ma–vr 9:00–17:00; wo-avond 19:00–21:00 op afspraak", 21),
    ("eemland", "Sport- en beweegloket Eemland", "operationeel", date(2025, 3, 1),
     ("Amersfoort", "Leusden", "Soest"),
     "info@eemland.demo.loket.nl", "033 987 65 43", "Stadhuisplein 7, 3811 LM Amersfoort",
     "ma–do 9:00–16:30", 200),
    ("gooi", "Sportloket Gooi", "in_oprichting", None, ("Hilversum", "Gooise Meren", "Huizen"),
     "hallo@gooi.demo.loket.nl", "035 555 01 23", "Dudokpark 1, 1217 JE Hilversum",
     "di en do 10:00–15:00", 60),
)

# slug: the days ago each loket's gemeenten went (verkennen →) in_oprichting (→ operationeel), so the overview's
# stage counts over time have a history to show. None: that step was not taken.
LOKET_STAGE_DAYS_AGO = {"utrecht": (None, 900, 820), "eemland": (None, 400, 240), "gooi": (200, 60, None)}
# Gemeenten without a loket that explore one, since how many days ago.
EXPLORING_GEMEENTEN = (("Zeist", 100), ("De Bilt", 30))

# The loketten's own websites (reserved .example names: nothing real is linked).
LOKET_WEBSITES = {
    "utrecht": "https://www.sportloket-utrecht.example",
    "eemland": "https://www.sportineemland.example/loket",
    "gooi": "https://www.sportloketgooi.example",
}

# slug: (title, description, category slugs) — each loket's active offers, shown on its public page.
LOKET_OFFERS = {
    "utrecht": (
        ("Vrijwilligersspreekuur", "Elke woensdagavond denken we mee over het werven en behouden van "
         "vrijwilligers: van vacaturetekst tot een taakverdeling die één persoon niet alles laat doen.",
         ("vrijwilligers-kader", "bestuur-organisatie")),
        ("Subsidiecheck voor clubs", "We zoeken samen uit welke gemeentelijke regelingen en fondsen bij jullie "
         "plannen passen, en lezen je aanvraag mee voordat je hem indient.", ("financien-subsidies-fondsen",)),
        ("Training vertrouwenscontactpersoon", "Twee avonden voor nieuwe vertrouwenscontactpersonen, samen met "
         "het Centrum Veilige Sport.", ("sociaal-veilige-sport",)),
    ),
    "eemland": (
        ("Sport en zorg in de wijk", "We brengen je club in contact met fysiotherapeuten, huisartsen en "
         "buurtsportcoaches in Amersfoort, Leusden en Soest.", ("sport-en-zorg",)),
        ("Bestuursavond Eemland", "Vier keer per jaar een avond voor bestuurders van clubs uit de regio: "
         "ervaringen delen en samen oplossingen zoeken.", ("bestuur-organisatie",)),
    ),
}

# key: (name, description, email, offers as (title, description, category slugs)) — landelijke initiatieven with a
# team that loketten and bonden refer to or invite (clubs never file to them directly).
INITIATIVES = {
    "spn-procesbegeleiders": (
        "SPN procesbegeleiders", "Procesbegeleiders van het Sportplatform Nederland helpen gemeenten en loketten "
        "bij het opzetten van clubondersteuning, en clubs bij lastige veranderingen.", "spn@demo.loket.nl",
        (("Procesbegeleiding bij een fusie", "Een procesbegeleider begeleidt de gesprekken als twee clubs willen "
          "samengaan of samenwerken.", ("bestuur-organisatie",)),)),
    "clubkadercoaches": (
        "Clubkadercoaches", "Landelijk programma dat clubs een coach geeft voor het opleiden en begeleiden van "
        "trainers en vrijwillig kader.", "clubkadercoaches@demo.loket.nl",
        (("Een clubkadercoach voor je trainers", "Een coach kijkt mee op het veld en helpt je trainers verder.",
          ("kwaliteit-kader-opleiding",)),)),
}

# A small region set over the demo gemeenten, as beheer would import one (the real VSG regio's are imported from
# a CSV): set name → region → gemeente names.
REGION_SETS = {
    "Sportregio's (demo)": {
        "Regio Utrecht": ("Utrecht", "Zeist", "De Bilt"),
        "Regio Amersfoort": ("Amersfoort", "Leusden", "Soest"),
        "Regio Gooi": ("Hilversum", "Gooise Meren", "Huizen"),
    },
}

AANGESLOTEN_BONDS = {"knvb": date(2024, 6, 1), "knhb": date(2025, 1, 15), "nevobo": date(2025, 9, 1)}

V, M, N, O = "voldoet", "mee_bezig", "nee", "onbekend"

# key: (name, kind, gemeente, sports, kvk, basiseisen (vog, vcp, gedragsregels, kwalificatie), contacts)
CLUBS = {
    "domstad": ("VV Domstad '28", "vereniging", "Utrecht", ("voetbal", "G-voetbal"), "40478911",
                (V, V, V, M),
                (("Anouk Verbeek", "club@demo.loket.nl", "06 1234 5601", "secretaris"),
                 ("Henk Stam", "penningmeester@vvdomstad.example", "06 1234 5602", "penningmeester"))),
    "vechtzoom": ("MHC Vechtzoom", "vereniging", "Utrecht", ("veldhockey", "zaalhockey"), None,
                  (V, M, N, O),
                  (("Lotte Brink", "bestuur@mhcvechtzoom.example", "06 1234 5603", "voorzitter"),)),
    "padel": ("Padelcentrum Leidsche Rijn B.V.", "onderneming", "Utrecht", ("padel",), "81234567",
              (O, O, V, O),
              (("Ravi Ramdin", "ravi@padelleidscherijn.example", "030 765 43 21", "eigenaar"),)),
    "eemvogels": ("VC Eemvogels", "vereniging", "Amersfoort", ("volleybal", "beachvolleybal"), None,
                  (V, V, M, V),
                  (("Mees Dekker", "club.eemland@demo.loket.nl", "06 1234 5604", "secretaris"),
                   ("Fenna Hoek", "jeugd@eemvogels.example", None, "jeugdcoördinator"))),
    "leusden": ("Tennisvereniging De Tabaksschuur", "vereniging", "Leusden", ("tennis", "padel"), None,
                (M, N, O, O),
                (("Gerrit Kok", "secretariaat@tvdetabaksschuur.example", "033 494 00 11", "secretaris"),)),
    "soest": ("Stichting Soest Beweegt", "stichting", "Soest", ("gymnastiek", "hardlopen"), "41190022",
              (V, V, V, V),
              (("Noor Vermeulen", "info@soestbeweegt.example", "035 601 22 33", "coördinator"),)),
    "gooiland": ("HC Gooiland", "vereniging", "Hilversum", ("veldhockey",), None,
                 (V, N, V, O),
                 (("Pieter Vos", "secretaris@hcgooiland.example", "035 621 00 44", "secretaris"),)),
    "huizen": ("Zwemvereniging De Huizer Golf", "vereniging", "Huizen", ("zwemmen", "waterpolo"), None,
               (O, O, O, O),
               (("Saskia Prins", "info@dehuizergolf.example", None, "voorzitter"),)),
    "zeist": ("Stichting Zeist in Beweging", "stichting", "Zeist", ("hardlopen", "gymnastiek"), "41255077",
              (M, V, M, N),
              (("Yara El Idrissi", "club.zeist@demo.loket.nl", "06 1234 5605", "projectleider"),
               ("Jan de Groot", "jan@zeistinbeweging.example", None, "vrijwilliger"))),
    "zeist_fc": ("ZVV Kersbergen", "vereniging", "Zeist", ("voetbal",), None,
                 (V, V, O, M),
                 (("Kees Bakker", "secretaris@zvvkersbergen.example", "06 1234 5606", "secretaris"),)),
}

# (email local part, name, role, organisation (club key | loket slug | bond or initiative key | gemeente name |
#  region name), team lead)
USERS = (
    ("club", "Anouk Verbeek", "club", "domstad", False),
    ("club.eemland", "Mees Dekker", "club", "eemvogels", False),
    ("club.zeist", "Yara El Idrissi", "club", "zeist", False),
    ("ondersteuner", "Olga Ondersteuner", "clubondersteuner", "utrecht", True),
    ("collega", "Cas Collega", "clubondersteuner", "utrecht", False),
    ("eemland", "Esra Eemland", "clubondersteuner", "eemland", False),
    ("bond", "Bart Bondsspecialist", "bondsspecialist", "knvb", False),
    ("initiatief", "Ilse Initiatief", "initiatiefmedewerker", "spn-procesbegeleiders", True),
    ("coordinatie", "Carmen Coördinatie", "coordinatiepunt", None, False),
    ("gemeente", "Gijs Gemeente", "gemeente", "Utrecht", False),
    ("adviseur", "Ada Adviseur", "adviseur", "Regio Utrecht", False),
    ("beheer", "Boris Beheer", "beheer", None, False),
)

# (user local part, club key, category slug, sport or None, title, description)
REQUESTS = (
    ("club", "domstad", "financien-subsidies-fondsen", None, "Subsidie voor een G-voetbalteam",
     "We willen volgend seizoen een G-team starten. Welke subsidies en fondsen zijn er voor extra "
     "begeleiding en aangepast materiaal?"),
    ("club", "domstad", "sociaal-veilige-sport", None, "Vertrouwenscontactpersoon gezocht",
     "Onze vertrouwenscontactpersoon stopt na dit seizoen. Kunnen jullie helpen met werven en opleiden?"),
    ("club", "domstad", "sporttechnisch-competitie", "voetbal", "Indeling jeugdcompetitie O11",
     "Onze O11-teams zijn ingedeeld in een te zware poule. Wie kan meedenken over herindeling?"),
    ("club.eemland", "eemvogels", "vrijwilligers-kader", None, "Tweede drager voor het jeugdbestuur",
     "Eén vrijwilliger doet nu alle jeugdzaken. Hoe vinden we iemand die taken overneemt?"),
    ("club.zeist", "zeist", "sport-en-zorg", None, "Samenwerken met de fysiotherapeut",
     "We willen een beweegprogramma starten met de praktijk in de wijk. Waar beginnen we?"),
)


def seed_demo() -> DemoSeed:
    """Create the demo network on top of the reference data; do nothing when it exists already.

    Side effects: commits the network and users in one transaction, then files the demo requests
    (each commits on its own). Returns the demo logins; they all use DEMO_PASSWORD.
    """
    logins = [(role, f"{local}@{DEMO_DOMAIN}") for local, _, role, _, _ in USERS]
    if db.session.scalar(select(User.id).where(User.email == DEMO_MARKER_EMAIL)):
        return DemoSeed(logins, created=False)
    try:
        gemeenten = _reference_gemeenten()
        sports = {s.name: s for s in db.session.scalars(select(Sport))}
        bonden = {b.key: b for b in db.session.scalars(select(Bond))}
        _require({"bonden": set(AANGESLOTEN_BONDS) - set(bonden),
                  "sporten": {s for c in CLUBS.values() for s in c[3]} - set(sports),
                  "categorieën": ({r[2] for r in REQUESTS} | {slug for offers in LOKET_OFFERS.values()
                                                                for *_, slugs in offers for slug in slugs})
                  - set(db.session.scalars(select(Category.slug)))})
        now = utcnow()
        for key, since in AANGESLOTEN_BONDS.items():
            bonden[key].aangesloten, bonden[key].aangesloten_at = True, since
        _create_loketten(gemeenten, now)
        _explore(gemeenten, now)
        _create_initiatives()
        regions = _create_region_sets(gemeenten)
        clubs = _create_clubs(gemeenten, sports)
        users = _create_users(clubs, gemeenten, regions)
        commit()
    except BaseException:
        db.session.rollback()
        raise
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    for local, club_key, category_slug, sport_name, title, description in REQUESTS:
        create_request(
            actor=users[local], club_id=clubs[club_key].id, category_id=categories[category_slug].id,
            sport_id=sports[sport_name].id if sport_name else None, title=title, description=description,
        )
    return DemoSeed(logins, created=True)


def _reference_gemeenten() -> dict[str, Gemeente]:
    names = ({name for loket in LOKETTEN for name in loket[4]} | {club[2] for club in CLUBS.values()}
             | {name for name, _ in EXPLORING_GEMEENTEN}
             | {name for regions in REGION_SETS.values() for names in regions.values() for name in names})
    found = {g.name: g for g in db.session.scalars(select(Gemeente).where(Gemeente.name.in_(names)))}
    _require({"gemeenten": names - set(found)})
    return found


def _require(missing: dict[str, set]) -> None:
    gaps = [f"{what}: {', '.join(sorted(names))}" for what, names in missing.items() if names]
    if gaps:
        raise DemoDataError("Referentiegegevens ontbreken (" + "; ".join(gaps) + "). "
                            "Laad ze eerst met `flask --app wsgi seed reference`.")


def _create_loketten(gemeenten: dict[str, Gemeente], now) -> None:
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    for (slug, name, status, since, served, email, phone, address, hours, reviewed) in LOKETTEN:
        loket = Loket(
            slug=slug, name=name, status=status, aangehaakt=since is not None, aangehaakt_at=since,
            email=email, phone=phone, address=address, opening_hours=hours,
            contact_reviewed_at=now - timedelta(days=reviewed),
            gemeenten=[gemeenten[g] for g in served],
        )
        loket.url = LOKET_WEBSITES.get(slug)
        db.session.add(loket)
        db.session.flush()
        _record_stage_history(loket, now)
        team = ensure_team("loket", loket)
        for title, description, category_slugs in LOKET_OFFERS.get(slug, ()):
            db.session.add(SupportOffer(team=team, title=title, description=description, active=True,
                                        categories=[categories[c] for c in category_slugs]))


def _record_stage_history(loket: Loket, now) -> None:
    """The loket's 'created' row and each of its gemeenten's stage steps, dated in the past (the system as actor)."""
    exploring, founded, operational = LOKET_STAGE_DAYS_AGO[loket.slug]
    history.record("loket", "created", None, loket.name, actor=None, loket_id=loket.id,
                   now=now - timedelta(days=founded))
    steps = [(days, stage) for days, stage in ((exploring, "verkennen"), (founded, "in_oprichting"),
                                               (operational, "operationeel")) if days is not None]
    for gemeente in loket.gemeenten:
        history.record("gemeente", "gemeente", None, loket.name, actor=None, loket_id=loket.id,
                       gemeente_id=gemeente.id, now=now - timedelta(days=founded))
        old = "geen"
        for days, stage in steps:
            record_stage(gemeente, old, stage, actor=None, loket_id=loket.id, now=now - timedelta(days=days))
            old = stage


def _explore(gemeenten: dict[str, Gemeente], now) -> None:
    """A few gemeenten without a loket explore one (stage verkennen)."""
    for name, days in EXPLORING_GEMEENTEN:
        gemeente = gemeenten[name]
        if gemeente.loket_id is None:
            gemeente.exploring_since = day_in_amsterdam(now - timedelta(days=days))
            record_stage(gemeente, "geen", "verkennen", actor=None, loket_id=None, now=now - timedelta(days=days))


def _create_initiatives() -> None:
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    for key, (name, description, email, offers) in INITIATIVES.items():
        initiative = Initiative(key=key, name=name, description=description, email=email)
        db.session.add(initiative)
        db.session.flush()
        team = ensure_team("initiatief", initiative)
        for title, text, slugs in offers:
            db.session.add(SupportOffer(team=team, title=title, description=text, active=True,
                                        categories=[categories[c] for c in slugs]))


def _create_region_sets(gemeenten: dict[str, Gemeente]) -> dict[str, Region]:
    """The demo region sets; returns every region by name."""
    regions = {}
    for set_name, by_region in REGION_SETS.items():
        region_set = RegionSet(name=set_name, slug="sportregios-demo")
        db.session.add(region_set)
        db.session.flush()
        for region_name, names in by_region.items():
            region = Region(region_set=region_set, name=region_name)
            db.session.add(region)
            db.session.flush()
            db.session.add_all(RegionGemeente(region_set_id=region_set.id, gemeente_id=gemeenten[name].id,
                                              region_id=region.id) for name in names)
            regions[region_name] = region
    return regions


def _create_clubs(gemeenten: dict[str, Gemeente], sports: dict[str, Sport]) -> dict[str, Club]:
    clubs = {}
    today = date.today()
    for index, (key, (name, kind, gemeente, club_sports, kvk, statuses, contacts)) in enumerate(CLUBS.items()):
        club = Club(name=name, kind=kind, gemeente=gemeenten[gemeente], kvk_number=kvk,
                    sports=[sports[s] for s in club_sports])
        for position, (basiseis, status) in enumerate(zip(("vog", "vcp", "gedragsregels", "kwalificatie"),
                                                          statuses)):
            setattr(club, f"basiseis_{basiseis}_status", status)
            known = status in ("voldoet", "mee_bezig", "nee")
            setattr(club, f"basiseis_{basiseis}_date",
                    today - timedelta(days=30 + 47 * index + 11 * position) if known else None)
        club.contacts = [ClubContact(name=n, email=e, phone=p, function=f) for n, e, p, f in contacts]
        db.session.add(club)
        clubs[key] = club
    db.session.flush()
    return clubs


def _create_users(clubs: dict[str, Club], gemeenten: dict[str, Gemeente],
                  regions: dict[str, Region]) -> dict[str, User]:
    users = {}
    for local, name, role, organisation, team_lead in USERS:
        spec = MembershipSpec(
            role=role, team_lead=team_lead,
            club=clubs[organisation].id if role == "club" else None,
            loket=organisation if role == "clubondersteuner" else None,
            bond=organisation if role == "bondsspecialist" else None,
            initiative=organisation if role == "initiatiefmedewerker" else None,
            gemeente=gemeenten[organisation].code if role == "gemeente" else None,
            region=regions[organisation].id if role == "adviseur" else None,
        )
        needs_second_step = team_lead or role in two_factor.REQUIRED_ROLES
        user = create_user(email=f"{local}@{DEMO_DOMAIN}", name=name, password=DEMO_PASSWORD,
                           memberships=[spec], commit=False,
                           totp_secret=DEMO_TOTP_SECRET if needs_second_step else None)
        users[local] = user
        if role == "club":  # the club's contact person with this email logs in as this user
            db.session.flush()
            for contact in clubs[organisation].contacts:
                if contact.email == user.email:
                    contact.user_id = user.id
    return users
