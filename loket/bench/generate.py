"""`flask bench generate`: a national data set in PostgreSQL, through the app's own schema (issue #15, point 1).

All 342 gemeenten and the bonden come from the reference seed (`seed reference`, the same code `make run` uses);
the rest is generated here and bulk-loaded with COPY: ~300 loketten (some serving several gemeenten, a few
gemeenten without one, so their requests go to the fallback queue), two landelijke initiatieven, all teams,
~1,500 supporters, clubs skewed by gemeente size (a Zipf-like skew: the CBS list has no population, so the big
cities are ranked first and the rest in a seeded order), their contacts (users with role club and ClubContact
rows) and N requests over five years with 2–8 events each, referrals, collaborations, satisfaction answers,
attachment metadata, audits, measurement history, bond agreements, saved views and sjablonen.

Deterministic: one `random.Random(seed)` and a fixed reference day (nothing reads the clock), so the same
options give the same rows. Ids are assigned here; the sequences are set afterwards. The search columns are
GENERATED columns on PostgreSQL: never written here, they fill themselves.

Whose database: the generator owns a database that holds no users, clubs, loketten or requests (reference data
from `seed reference` may be there), or one it made itself — every user has an address @bench.loket.invalid and
every request was filed by one of them; it empties such a database and fills it again. Anything else (one user
or request from elsewhere) it refuses, and it refuses SQLite.
"""
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import click
from flask import current_app
from sqlalchemy import inspect, text

from loket.extensions import db
from loket.models.search_index import DOCUMENT_TRIGGERS, postgres_document_fill
from loket.services.network.passwords import hash_password
from loket.services.requests.workdays import is_workday

BENCH_DOMAIN = "bench.loket.invalid"
BENCH_PASSWORD = "bench-wachtwoord-2026"
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPBENCHLOKETTWEEAA"  # base32: A–Z and 2–7 only
REFERENCE_DAY = date(2026, 12, 1)  # "now" of the data set: every moment lies before it
CHUNK = 20_000  # requests per COPY round (their events and other rows go in the same round)

# The largest gemeenten by population, largest first (CBS has no population in ../shared/data): they lead
# the Zipf ranking; the others follow in a seeded order.
LARGEST = ("Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere",
           "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Haarlemmermeer", "Enschede", "Amersfoort",
           "Zaanstad", "'s-Hertogenbosch", "Zwolle", "Leiden", "Zoetermeer", "Leeuwarden", "Ede", "Maastricht",
           "Dordrecht", "Westland", "Alphen aan den Rijn", "Alkmaar", "Emmen", "Delft", "Venlo", "Deventer")

FIRST_NAMES = ("Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Iris", "Jan", "Kees", "Lotte",
               "Maarten", "Noor", "Olga", "Pieter", "Quinten", "Roos", "Sanne", "Thijs", "Ursula", "Vera", "Wim",
               "Yara", "Zoë", "Fatima", "Mohammed", "Priya", "Sem", "Lieke", "Ruud", "Ingrid")
LAST_NAMES = ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
              "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
              "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Yilmaz")
CLUB_PREFIXES = ("SV", "VV", "HC", "TC", "Zwemvereniging", "Atletiekvereniging", "Gymnastiekvereniging",
                 "Korfbalvereniging", "Volleybalvereniging", "Tennisvereniging", "Schaakclub", "Roeivereniging",
                 "Sportclub", "Judoclub", "Basketbalvereniging", "Hockeyclub", "Wielervereniging")
CLUB_SUFFIXES = ("", "", "", " '58", " Oost", " Noord", " Zuid", " West", " Centrum", " United", " '03", " Vooruit",
                 " De Zwaluwen", " Olympia", " Excelsior", " Quick", " DOS", " Be Quick")
TOPICS = ("vrijwilligers", "subsidie", "bestuur", "penningmeester", "ledenwerving", "jeugdtrainer", "accommodatie",
          "kantine", "sponsoring", "VOG", "vertrouwenscontactpersoon", "contributie", "statuten", "fusie",
          "duurzaamheid", "ledenadministratie", "competitie", "scheidsrechters", "aangepast sporten", "buurtsportcoach")
TITLE_TEMPLATES = ("Vraag over {t}", "Hulp gezocht bij {t}", "Hoe pakken we {t} aan?", "{T} voor volgend seizoen",
                   "Advies over {t}", "Probleem met {t}", "Ondersteuning {t}", "Wie weet meer over {t}?")
SENTENCES = ("Wij zijn een vereniging met ongeveer {n} leden.", "Het bestuur wil dit seizoen werk maken van {t}.",
             "We lopen vast bij {t} en zoeken iemand die mee kan denken.", "Kunnen jullie ons helpen met {t}?",
             "Er is weinig tijd bij de vrijwilligers, daarom vragen we ondersteuning.",
             "Graag een afspraak op een doordeweekse avond.", "Eerder hebben we {t} zelf geprobeerd, zonder succes.",
             "De gemeente verwees ons naar het sportloket.", "We willen graag weten welke regelingen er zijn.")
REPLIES = ("Dank voor je vraag over {t}. Ik neem deze week contact op.", "We hebben een voorbeeld voor {t}; zie de bijlage.",
           "Goed idee om {t} nu op te pakken. Zullen we volgende week bellen?",
           "Ik heb navraag gedaan bij de gemeente over {t}.", "Is het gelukt met {t}? Laat het gerust weten.",
           "Hierbij de informatie over {t} die we bespraken.")
NOTES = ("Club eerder geholpen met {t}.", "Afstemmen met de bond over {t}.", "Collega heeft ervaring met {t}.",
         "Penningmeester is nieuw; rustig uitleggen.", "Terugbellen na de ledenvergadering.")
COMMENTS = ("Heel fijn geholpen!", "Snel antwoord, dank.", "Het duurde wat lang.", "Precies wat we nodig hadden.",
            "Goede tips gekregen.", "Nog niet helemaal opgelost, maar wel verder.")
FILE_NAMES = (("begroting.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              ("statuten.pdf", "application/pdf"), ("foto-kantine.jpg", "image/jpeg"),
              ("subsidieaanvraag.pdf", "application/pdf"), ("ledenlijst.csv", "text/csv"),
              ("plan-van-aanpak.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
METRIC_VALUES = {  # metric → (low, high, integer?) for the measurement history
    "contact_reviewed_days": (5, 260, True), "first_response_within_sla": (0.6, 1.0, False),
    "median_resolution_workdays": (2, 25, False), "referrals_decided_in_time": (0.5, 1.0, False),
    "mean_satisfaction": (3.0, 5.0, False), "active_supporters": (1, 8, True), "club_reach": (0.02, 0.4, False),
    "basiseisen_known": (0.3, 1.0, False),
}
EVENTS_PER_REQUEST = (2, 8)


class GeneratorError(Exception):
    """Why the generator will not run (a Dutch message for the operator)."""


@dataclass(frozen=True)
class Options:
    requests: int = 1_000_000
    clubs: int = 24_000
    seed: int = 2026
    reference_day: date = REFERENCE_DAY
    years: int = 5


def ownership(connection) -> str:
    """"empty", "generated" or "other" (see the module's docstring: the rule that protects real data)."""
    tables = set(inspect(connection).get_table_names())
    if "users" not in tables:
        return "empty"
    bench = f"%@{BENCH_DOMAIN}"
    users, foreign_users = connection.execute(text(
        "SELECT count(*), count(*) FILTER (WHERE email NOT LIKE :bench) FROM users"), {"bench": bench}).one()
    foreign_requests = connection.execute(text(
        "SELECT count(*) FROM support_requests r LEFT JOIN users u ON u.id = r.requester_id "
        "WHERE u.id IS NULL OR u.email NOT LIKE :bench"), {"bench": bench}).scalar()
    network = connection.execute(text("SELECT (SELECT count(*) FROM clubs) + (SELECT count(*) FROM loketten)")).scalar()
    if foreign_users or foreign_requests:
        return "other"
    if users:
        return "generated"
    return "other" if network else "empty"


def generate(options: Options, *, out=sys.stderr) -> dict[str, int]:
    """Empty (or create) the schema, seed the reference data, load everything; returns the row counts."""
    if db.engine.dialect.name != "postgresql":
        raise GeneratorError("De generator werkt alleen met PostgreSQL (COPY); DATABASE_URL wijst nu naar "
                             f"{db.engine.dialect.name}. Zet DATABASE_URL naar een PostgreSQL-database.")
    if options.requests < 1 or options.clubs < 10:
        raise GeneratorError("Minstens 1 aanvraag en 10 clubs.")
    with db.engine.connect() as connection:
        owner = ownership(connection)
    if owner == "other":
        raise GeneratorError(
            "Deze database bevat echte gegevens (gebruikers, clubs, loketten of aanvragen die de generator niet "
            f"maakte); de generator leegt alleen een lege database of een die hij zelf vulde (alle gebruikers "
            f"@{BENCH_DOMAIN}). Gebruik een andere DATABASE_URL.")
    started = time.monotonic()
    import flask_migrate

    flask_migrate.upgrade()  # the schema as the migrations build it (a no-op when it is current)
    _empty_everything()
    from loket.services.seed.reference_data import seed_reference
    from loket.services.transaction import commit

    seed_reference(current_app.config["REFERENCE_DATA_DIR"])
    commit()
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        counts = _Builder(options, connection, out).run()
        connection.commit()
        connection.autocommit = True
        # VACUUM too: the search documents were written after the rows, and without a vacuum every count
        # (an index-only scan) would visit the heap until autovacuum came by.
        _say(out, "VACUUM (ANALYZE) …")
        connection.execute("VACUUM (ANALYZE)")
    finally:
        raw.close()
    _say(out, f"Klaar in {time.monotonic() - started:.1f} s: {counts['support_requests']:,} aanvragen, "
              f"{counts['events']:,} gebeurtenissen.")
    return counts


def _empty_everything() -> None:
    names = [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"]
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


def _say(out, message: str) -> None:
    print(message, file=out, flush=True)


class _Loader:
    """COPY rows into a table and keep count; one line per table on stderr."""

    def __init__(self, connection, out):
        self.connection, self.out = connection, out
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def copy(self, table: str, columns: tuple[str, ...], rows, *, quiet: bool = False) -> int:
        started = time.monotonic()
        count = 0
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        elapsed = time.monotonic() - started
        self.counts[table] = self.counts.get(table, 0) + count
        self.seconds[table] = self.seconds.get(table, 0.0) + elapsed
        if not quiet:
            self.report(table)
        return count

    def report(self, table: str) -> None:
        count, seconds = self.counts.get(table, 0), self.seconds.get(table, 0.0)
        _say(self.out, f"  {table:<24} {count:>10,} rijen  {seconds:6.1f} s  {count / max(seconds, 1e-6):>9,.0f} rijen/s")


SIDE_TABLES = ("events", "attachments")


def _drop_indexes(connection, tables) -> list[tuple[str, str]]:
    """Drop the indexes of `tables` that back no constraint (in the caller's transaction); returns them."""
    dropped = connection.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass) "
        "ORDER BY i.indexname", (list(tables),)).fetchall()
    for name, _ in dropped:
        connection.execute(f'DROP INDEX "{name}"')
    return dropped


def _build_indexes(connection, dropped, out) -> None:
    started = time.monotonic()
    for _, definition in dropped:
        connection.execute(definition)
    _say(out, f"  {len(dropped)} indexen opnieuw gebouwd in {time.monotonic() - started:.1f} s")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Calendar:
    """Werkdagen between the first filing day and the reference day, as indexes (fast add_workdays)."""

    def __init__(self, first: date, last: date):
        self.first = first
        days = (last - first).days + 40
        self.workdays = [first + timedelta(days=i) for i in range(days) if is_workday(first + timedelta(days=i))]
        self.index_of = {}
        ordinal = 0
        for i in range(days):
            day = first + timedelta(days=i)
            self.index_of[day] = ordinal
            if is_workday(day):
                ordinal += 1

    def add_workdays(self, moment: datetime, days: int) -> datetime:
        index = self.index_of.get(moment.date(), len(self.workdays) - 1) + days
        day = self.workdays[min(index, len(self.workdays) - 1)]
        return datetime.combine(day, moment.time())

    def workdays_between(self, start: datetime, end: datetime) -> float:
        whole = self.index_of.get(end.date(), 0) - self.index_of.get(start.date(), 0)
        seconds = (end - datetime.combine(end.date(), start.time())).total_seconds()
        return max(0.0, whole + seconds / 86400)


class _Builder:
    def __init__(self, options: Options, connection, out):
        self.o, self.connection, self.out = options, connection, out
        self.rng = random.Random(options.seed)
        self.load = _Loader(connection, out)
        self.now = datetime.combine(options.reference_day, datetime.min.time())
        self.first_day = options.reference_day - timedelta(days=365 * options.years)
        self.calendar = _Calendar(self.first_day, options.reference_day)
        self.password_hash = hash_password(BENCH_PASSWORD)
        self.next_user_id = 1
        self.users: list[tuple] = []
        self.memberships: list[tuple] = []

    # ------------------------------------------------------------------------------------------- reference
    def read_reference(self) -> None:
        c = self.connection
        self.gemeenten = c.execute("SELECT id, code, name, province FROM gemeenten ORDER BY id").fetchall()
        self.bonden = c.execute("SELECT id, key, name FROM bonden ORDER BY id").fetchall()
        self.team_of_bond = dict(c.execute("SELECT bond_id, id FROM teams WHERE kind = 'bond'").fetchall())
        self.fallback_team = c.execute("SELECT id FROM teams WHERE kind = 'fallback'").fetchone()[0]
        self.sports = [row[0] for row in c.execute("SELECT id FROM sports ORDER BY id")]
        self.bonds_of_sport: dict[int, list[int]] = {}
        for bond_id, sport_id in c.execute("SELECT bond_id, sport_id FROM bond_sports ORDER BY bond_id, sport_id"):
            self.bonds_of_sport.setdefault(sport_id, []).append(bond_id)
        self.categories = c.execute("SELECT id, slug, scope FROM categories ORDER BY position, id").fetchall()
        self.criteria_set = c.execute("SELECT id, valid_from FROM criteria_sets ORDER BY id").fetchone()
        self.criteria = c.execute("SELECT id, code, kind, metric, threshold, comparison FROM criteria "
                                  "WHERE criteria_set_id = %s ORDER BY position, id", (self.criteria_set[0],)).fetchall()

    def run(self) -> dict[str, int]:
        _say(self.out, f"Genereren: {self.o.requests:,} aanvragen, {self.o.clubs:,} clubs, seed {self.o.seed}, "
                       f"peildag {self.o.reference_day}")
        self.read_reference()
        self.connection.execute("SET synchronous_commit = off")
        self.network()
        self.people()
        self.clubs()
        self.flush_users()
        self.agreements()
        self.requests()
        self.quality()
        self.team_tools()
        self.finish()
        return dict(self.load.counts)

    # --------------------------------------------------------------------------------------------- network
    def network(self) -> None:
        rng = self.rng
        rank = {name: i for i, name in enumerate(LARGEST)}
        rest = [g for g in self.gemeenten if g[2] not in rank]
        rng.shuffle(rest)
        ordered = sorted((g for g in self.gemeenten if g[2] in rank), key=lambda g: rank[g[2]]) + rest
        # Zipf-like: weight 1/rank^0.9, with a floor so the smallest gemeente still has a few clubs.
        self.gemeente_weight = {g[0]: 1.0 / (i + 1) ** 0.9 + 0.004 for i, g in enumerate(ordered)}
        # A few gemeenten (not the largest) have no loket: their clubs' requests go to the fallback queue.
        without = set(g[0] for g in rng.sample(rest, 8))
        served = [g for g in self.gemeenten if g[0] not in without]
        by_province: dict[str, list] = {}
        for g in served:
            by_province.setdefault(g[3], []).append(g)
        groups = []
        for province in sorted(by_province):
            members = by_province[province]
            rng.shuffle(members)
            i = 0
            while i < len(members):
                size = 1 if rng.random() < 0.86 or i + 1 >= len(members) else rng.choice((2, 2, 3))
                groups.append(members[i:i + size])
                i += size
        self.loketten = []  # (id, team_id, operational, gemeente ids)
        self.loket_of_gemeente = {}
        loket_rows, team_rows = [], []
        team_id = max(list(self.team_of_bond.values()) + [self.fallback_team]) + 1
        for loket_id, group in enumerate(groups, start=1):
            lead = group[0]
            name = f"Sportloket {lead[2]}" + (" e.o." if len(group) > 1 else "")
            operational = rng.random() < 0.95
            created = datetime.combine(self.first_day - timedelta(days=rng.randrange(30, 400)), datetime.min.time())
            reviewed = self.now - timedelta(days=rng.randrange(1, 300), minutes=rng.randrange(1440))
            loket_rows.append((loket_id, name, f"loket-{lead[1].lower()}", "operationeel" if operational else
                               "in_oprichting", rng.random() < 0.8, created.date(), f"info@loket-{lead[1].lower()}.nl",
                               f"0{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}", f"Sportlaan {loket_id}, {lead[2]}",
                               "ma–vr 9.00–17.00", reviewed, created))
            team_rows.append((team_id, "loket", loket_id, None, None))
            self.loketten.append((loket_id, team_id, operational, [g[0] for g in group]))
            for g in group:
                self.loket_of_gemeente[g[0]] = (loket_id, team_id, operational)
            team_id += 1
        self.load.copy("loketten", ("id", "name", "slug", "status", "aangehaakt", "aangehaakt_at", "email", "phone",
                                    "address", "opening_hours", "contact_reviewed_at", "created_at"), loket_rows)
        initiatives = [(1, "spn-procesbegeleiders", "SPN procesbegeleiders", "Procesbegeleiding voor clubs.",
                        self.now - timedelta(days=2000)),
                       (2, "clubkadercoaches", "Clubkadercoaches", "Coaches voor kader en bestuur.",
                        self.now - timedelta(days=1500))]
        self.load.copy("initiatieven", ("id", "key", "name", "description", "created_at"), initiatives)
        self.initiative_teams = []
        for initiative in initiatives:
            team_rows.append((team_id, "initiatief", None, None, initiative[0]))
            self.initiative_teams.append((initiative[0], team_id))
            team_id += 1
        self.load.copy("teams", ("id", "kind", "loket_id", "bond_id", "initiative_id"), team_rows)
        with self.connection.cursor() as cursor:
            cursor.executemany("UPDATE gemeenten SET loket_id = %s WHERE id = %s",
                               [(loket_id, gemeente) for gemeente, (loket_id, _, _) in self.loket_of_gemeente.items()])
            cursor.executemany("UPDATE gemeenten SET exploring_since = %s WHERE id = %s",
                               [(self.o.reference_day - timedelta(days=rng.randrange(30, 700)), g)
                                for g in sorted(without) if rng.random() < 0.5])
            # Most bonden are aangesloten: their sportspecifieke questions go to the bond's team.
            self.aangesloten = {b[0] for b in self.bonden if rng.random() < 0.7}
            cursor.executemany("UPDATE bonden SET aangesloten = true, aangesloten_at = %s WHERE id = %s",
                               [(self.first_day + timedelta(days=rng.randrange(0, 900)), b) for b in sorted(self.aangesloten)])

    # ---------------------------------------------------------------------------------------------- people
    def add_user(self, name: str, local: str, created: datetime, *, totp: bool = False) -> int:
        user_id = self.next_user_id
        self.next_user_id += 1
        self.users.append((user_id, f"{local}.{user_id}@{BENCH_DOMAIN}", name, self.password_hash, True, created,
                           created + timedelta(days=self.rng.randrange(0, 60)), created,
                           BENCH_TOTP_SECRET if totp else None, created if totp else None))
        return user_id

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def add_membership(self, user_id, role, created, *, lead=False, club=None, loket=None, bond=None, initiative=None):
        self.memberships.append((len(self.memberships) + 1, user_id, role, club, loket, bond, initiative, lead, created))

    def people(self) -> None:
        rng = self.rng
        start = datetime.combine(self.first_day, datetime.min.time())
        self.coordinators = []
        for i in range(4):
            user = self.add_user(self.person(), "coordinatiepunt", start, totp=True)
            self.add_membership(user, "coordinatiepunt", start)
            self.coordinators.append(user)
        for i in range(2):
            user = self.add_user(self.person(), "beheer", start, totp=True)
            self.add_membership(user, "beheer", start)
        self.members_of: dict[int, list[int]] = {self.fallback_team: self.coordinators}
        self.lead_of: dict[int, int] = {self.fallback_team: self.coordinators[0]}

        def team(team_id, role, count, **organisation):
            members = []
            for i in range(count):
                lead = i == 0
                user = self.add_user(self.person(), role, start, totp=lead)
                self.add_membership(user, role, start, lead=lead, **organisation)
                members.append(user)
            self.members_of[team_id] = members
            self.lead_of[team_id] = members[0]

        for loket_id, team_id, operational, _ in self.loketten:
            team(team_id, "clubondersteuner", rng.choice((3, 4, 4, 5, 5, 6, 7)) if operational else 1, loket=loket_id)
        for bond_id, _, _ in self.bonden:
            team(self.team_of_bond[bond_id], "bondsspecialist", rng.choice((3, 4, 5, 6, 8)), bond=bond_id)
        for initiative_id, team_id in self.initiative_teams:
            team(team_id, "initiatiefmedewerker", 12, initiative=initiative_id)

    # ----------------------------------------------------------------------------------------------- clubs
    def clubs(self) -> None:
        rng = self.rng
        ids = [g[0] for g in self.gemeenten]
        weights = [self.gemeente_weight[g] for g in ids]
        # With enough clubs every gemeente has at least one; the rest (or all) follow the skew.
        floor = ids if self.o.clubs >= 3 * len(ids) else []
        chosen = floor + rng.choices(ids, weights, k=self.o.clubs - len(floor))
        rng.shuffle(chosen)
        name_of = {g[0]: g[2] for g in self.gemeenten}
        self.club_gemeente, self.club_sport, self.club_contacts = [], [], []
        self.club_activity = []
        club_rows, sport_rows, contact_rows = [], [], []
        statuses = ("voldoet", "mee_bezig", "nee", "onbekend")
        for club_id, gemeente in enumerate(chosen, start=1):
            kind = "vereniging" if rng.random() < 0.9 else rng.choice(("stichting", "onderneming"))
            status = "actief" if rng.random() < 0.985 else "aangemeld"
            created = datetime.combine(self.first_day - timedelta(days=rng.randrange(0, 400)), datetime.min.time())
            basis = []
            for _ in range(4):
                state = rng.choices(statuses, (50, 15, 10, 25))[0]
                basis += [state, created.date() + timedelta(days=rng.randrange(0, 1500)) if state == "voldoet" else None]
            name = f"{rng.choice(CLUB_PREFIXES)} {name_of[gemeente]}{rng.choice(CLUB_SUFFIXES)}"
            club_rows.append((club_id, name, kind, gemeente, f"{rng.randrange(10 ** 7, 10 ** 8)}", status, *basis, created))
            sports = rng.sample(self.sports, 2 if rng.random() < 0.15 else 1)
            for sport in sorted(sports):
                sport_rows.append((club_id, sport))
            self.club_gemeente.append(gemeente)
            self.club_sport.append(sports[0])
            contacts = []
            for n in range(1 if rng.random() < 0.6 else 2):
                person = self.person()
                user = self.add_user(person, "club", created)
                self.add_membership(user, "club", created, club=club_id)
                contact_rows.append((len(contact_rows) + 1, club_id, person, f"contact.{user}@{BENCH_DOMAIN}",
                                     rng.choice(("Voorzitter", "Secretaris", "Penningmeester", "Bestuurslid")), user))
                contacts.append(user)
            self.club_contacts.append(contacts)
            # A few clubs ask much more often than most; only active clubs file requests.
            self.club_activity.append(rng.paretovariate(1.6) if status == "actief" else 0.0)
        basis_columns = tuple(f"basiseis_{key}_{part}" for key in ("vog", "vcp", "gedragsregels", "kwalificatie")
                              for part in ("status", "date"))
        self.load.copy("clubs", ("id", "name", "kind", "gemeente_id", "kvk_number", "status", *basis_columns,
                                 "created_at"), club_rows)
        self.load.copy("club_sports", ("club_id", "sport_id"), sport_rows)
        self.club_contact_rows = contact_rows

    def flush_users(self) -> None:
        self.load.copy("users", ("id", "email", "name", "password_hash", "active", "created_at", "last_login_at",
                                 "email_confirmed_at", "totp_secret", "totp_enabled_at"), self.users)
        self.load.copy("memberships", ("id", "user_id", "role", "club_id", "loket_id", "bond_id", "initiative_id",
                                       "is_team_lead", "created_at"), self.memberships)
        self.load.copy("club_contacts", ("id", "club_id", "name", "email", "function", "user_id"),
                       self.club_contact_rows)
        self.user_count = len(self.users)
        self.users = self.memberships = self.club_contact_rows = []

    def agreements(self) -> None:
        rng = self.rng
        rows = []
        for bond_id in sorted(self.aangesloten):
            for category in rng.sample(self.categories, 3):
                proposed = self.now - timedelta(days=rng.randrange(60, 700))
                confirmed = rng.random() < 0.8
                rows.append((len(rows) + 1, bond_id, category[0], rng.choice(("bond", "loket", "samen")),
                             "confirmed" if confirmed else "proposed", self.lead_of[self.team_of_bond[bond_id]],
                             proposed, self.coordinators[0] if confirmed else None,
                             proposed + timedelta(days=rng.randrange(1, 30)) if confirmed else None))
        self.load.copy("bond_agreements", ("id", "bond_id", "category_id", "handled_by", "state", "proposed_by_id",
                                           "proposed_at", "confirmed_by_id", "confirmed_at"), rows)

    # -------------------------------------------------------------------------------------------- requests
    def requests(self) -> None:
        rng, calendar = self.rng, self.calendar
        first_index = calendar.index_of[min(d for d in calendar.index_of if d >= self.first_day)]
        last_index = calendar.index_of[self.o.reference_day] - 1
        span = last_index - first_index
        # Filing moments: werkdagen, more in recent years (the network grows), office hours in UTC.
        moments = sorted((first_index + int(span * rng.random() ** 0.75), rng.randrange(6 * 3600, 20 * 3600))
                         for _ in range(self.o.requests))
        clubs = range(len(self.club_gemeente))
        club_choices = rng.choices(clubs, self.club_activity, k=self.o.requests)
        category_weights = [8 if c[2] == "generiek" else 5 for c in self.categories]
        category_choices = rng.choices(range(len(self.categories)), category_weights, k=self.o.requests)
        self.sequences: dict[int, int] = {}
        self.event_id = self.referral_id = self.collaborator_id = self.attachment_id = 0
        columns = {
            "support_requests": ("id", "reference", "club_id", "requester_id", "filed_by_id", "channel", "category_id",
                                 "sport_id", "title", "description", "status", "priority", "owner_team_id",
                                 "assignee_id", "created_at", "updated_at", "first_response_at", "resolved_at",
                                 "closed_at", "first_response_due_at", "resolution_due_at", "due_at", "sla_paused_at",
                                 "paused_seconds", "resolution_workdays", "satisfaction_score",
                                 "satisfaction_comment", "version"),
            "events": ("id", "request_id", "kind", "actor_id", "is_public", "body", "data", "created_at"),
            "referrals": ("id", "request_id", "from_team_id", "to_team_id", "reason", "state", "status_before",
                          "proposed_by_id", "created_at", "due_at", "decided_by_id", "decided_at", "decline_reason"),
            "request_collaborators": ("id", "request_id", "team_id", "invited_by_id", "reason", "created_at",
                                      "ended_at", "ended_by_id"),
            "attachments": ("id", "request_id", "event_id", "internal", "name", "content_type", "size", "storage_key",
                            "uploaded_by_id", "created_at"),
        }
        # Indexes that back no constraint are dropped for the load and built again after it (much faster than
        # keeping them current row by row: measured in BENCHMARKS.md); all in the one load transaction.
        side, side_queue, side_thread = self.parallel_side(columns)
        # The search documents are filled in one set-based pass after the load instead of by their triggers
        # row by row (models/search_index.py). The side connection runs no triggers at all — and its tables
        # are not touched here: the lock would keep it from dropping their indexes while this one waits for it.
        paused = [(table, trigger) for table, trigger in DOCUMENT_TRIGGERS
                  if table == "support_requests" or (side is None and table == "events")]
        for table, trigger in paused:
            self.connection.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        dropped = _drop_indexes(self.connection, [t for t in columns if side is None or t not in SIDE_TABLES])
        started = time.monotonic()
        for chunk_start in range(0, self.o.requests, CHUNK):
            batch = {table: [] for table in columns}
            for i in range(chunk_start, min(chunk_start + CHUNK, self.o.requests)):
                day_index, seconds = moments[i]
                created = datetime.combine(calendar.workdays[day_index], datetime.min.time()) + timedelta(seconds=seconds)
                self.one_request(i + 1, created, club_choices[i], self.categories[category_choices[i]], batch)
            if side is not None:
                side_queue.put({table: batch.pop(table) for table in SIDE_TABLES})
            for table, rows in batch.items():
                self.load.copy(table, columns[table], rows, quiet=True)
            done = min(chunk_start + CHUNK, self.o.requests)
            if side is not None:
                self.load.counts["events"] = self.event_id
            elapsed = time.monotonic() - started
            _say(self.out, f"  aanvragen {done:>10,}/{self.o.requests:,}  gebeurtenissen {self.load.counts['events']:>11,}"
                           f"  {elapsed:6.1f} s  {done / max(elapsed, 1e-6):>7,.0f} aanvragen/s")
        if side is not None:
            side_queue.put(None)
            side_thread.join()
            if side.error:
                raise side.error
            for table in SIDE_TABLES:
                self.load.counts[table] = side.counts.get(table, 0)
                self.load.seconds[table] = side.seconds.get(table, 0.0)
        for table in columns:
            self.load.report(table)
        started = time.monotonic()
        for statement in postgres_document_fill():
            self.connection.execute(statement)
        for table, trigger in paused:
            self.connection.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        _say(self.out, f"  zoekdocumenten gevuld in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        _build_indexes(self.connection, dropped, self.out)
        self.load.copy("reference_sequences", ("year", "last_value"), sorted(self.sequences.items()))

    def parallel_side(self, columns):
        """Events and attachments (the most rows) go in through a second connection in a thread, so PostgreSQL works on both
        CPUs. That connection skips the foreign-key triggers (session_replication_role = replica: the rows it
        refers to are in the main transaction, not yet visible to it; the generator made them consistent and
        the tests check it). Needs a superuser (the throwaway PostgreSQL is); otherwise one connection does all."""
        import queue
        import threading

        import psycopg

        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = psycopg.connect(url)
        try:
            connection.execute("SET session_replication_role = replica")
            connection.execute("SET synchronous_commit = off")
        except psycopg.Error:
            connection.close()
            return None, None, None
        loader = _Loader(connection, self.out)
        loader.error = None
        waiting: "queue.Queue[dict | None]" = queue.Queue(maxsize=3)

        def work():
            try:
                dropped = _drop_indexes(connection, SIDE_TABLES)
                while (batch := waiting.get()) is not None:
                    for table, rows in batch.items():
                        loader.copy(table, columns[table], rows, quiet=True)
                _build_indexes(connection, dropped, self.out)
                connection.commit()  # its rows are all there; the main transaction commits the rest
            except Exception as error:  # noqa: BLE001 - raised again in the main thread
                loader.error = error
                while waiting.get() is not None:  # let the main thread finish its puts
                    pass
            finally:
                connection.close()
        thread = threading.Thread(target=work, name="bench-side", daemon=True)
        thread.start()
        return loader, waiting, thread

    def event(self, batch, request_id, kind, actor, moment, *, public=False, body=None, data="{}") -> int:
        self.event_id += 1
        batch["events"].append((self.event_id, request_id, kind, actor, public, body, data, moment))
        return self.event_id

    def one_request(self, request_id: int, created: datetime, club_index: int, category, batch) -> None:
        rng, calendar, now = self.rng, self.calendar, self.now
        club_id = club_index + 1
        first_event = self.event_id + 1
        gemeente = self.club_gemeente[club_index]
        sport = self.club_sport[club_index]
        loket = self.loket_of_gemeente.get(gemeente)
        loket_team = loket[1] if loket and loket[2] else self.fallback_team
        bond_team = None
        if category[2] == "sportspecifiek":
            bonds = [b for b in self.bonds_of_sport.get(sport, ()) if b in self.aangesloten]
            bond_team = self.team_of_bond[bonds[0]] if bonds else None
        owner = bond_team or loket_team
        requester = rng.choice(self.club_contacts[club_index])
        year = created.year
        number = self.sequences.get(year, 0) + 1
        self.sequences[year] = number
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLE_TEMPLATES).format(t=topic, T=topic[:1].upper() + topic[1:])
        description = " ".join(s.format(t=topic, n=rng.randrange(40, 900)) for s in rng.sample(SENTENCES, 2))
        filed_by, channel = None, "portaal"
        if rng.random() < 0.08:
            filed_by = rng.choice(self.members_of[owner])
            channel = rng.choice(("telefoon", "e-mail", "bezoek"))

        age = (now - created).total_seconds()
        if age > 120 * 86400 or rng.random() < min(0.97, age / (120 * 86400)):
            final = "gesloten" if rng.random() < 0.85 else "opgelost"
            duration = min(age - 3600, rng.lognormvariate(13.0, 1.0))  # median ~5 days
        else:
            final = rng.choices(("nieuw", "in_behandeling", "wacht_op_club", "doorverwezen"), (25, 45, 20, 10))[0]
            duration = age * rng.uniform(0.05, 0.9)
        # The moments of the later steps: sorted fractions of the request's duration.
        steps = sorted(rng.random() for _ in range(7))
        moment = [created + timedelta(seconds=duration * s) for s in steps]
        end = created + timedelta(seconds=duration)

        self.event(batch, request_id, "created", requester if filed_by is None else filed_by, created, public=True,
                   data=_dumps({"channel": channel, "on_behalf": True}) if filed_by else "{}")
        team_kind = "bond" if owner == bond_team else ("loket" if owner != self.fallback_team else "fallback")
        self.event(batch, request_id, "routed", None, created,
                   data=_dumps({"team_id": owner, "team_kind": team_kind}))
        # Created and routed are there; a closed request keeps one for its final status change.
        budget = EVENTS_PER_REQUEST[1] - 2 - (final in ("gesloten", "opgelost"))
        status = "nieuw"
        first_response = resolved = closed = paused_at = None
        paused_seconds = 0.0
        resolution_due = calendar.add_workdays(created, 15)
        first_due = calendar.add_workdays(created, 2)
        assignee = None
        step = 0

        def take():
            nonlocal step
            step += 1
            return moment[min(step - 1, len(moment) - 1)]

        # A referral on a few percent: a loket's question goes to a bond's team (or back).
        refer = final == "doorverwezen" or rng.random() < 0.03
        if refer and budget >= 2:
            to_team = (self.team_of_bond[rng.choice(sorted(self.aangesloten))] if owner == loket_team
                       else loket_team if loket_team != owner else self.fallback_team)
            if to_team == owner:
                to_team = rng.choice(self.initiative_teams)[1]
            at = take()
            proposer = rng.choice(self.members_of[owner])
            due = calendar.add_workdays(at, 3)
            names = _dumps({"from_team_id": owner, "to_team_id": to_team})
            self.event(batch, request_id, "referral_proposed", proposer, at, body="Past beter bij dit team.", data=names)
            self.referral_id += 1
            if final == "doorverwezen":
                batch["referrals"].append((self.referral_id, request_id, owner, to_team, "Past beter bij dit team.",
                                           "voorgesteld", "nieuw", proposer, at, due, None, None, None))
                status = "doorverwezen"
                budget -= 1
            else:
                decided = take()
                decider = rng.choice(self.members_of[to_team])
                accepted = rng.random() < 0.8
                batch["referrals"].append((self.referral_id, request_id, owner, to_team, "Past beter bij dit team.",
                                           "geaccepteerd" if accepted else "afgewezen", "nieuw", proposer, at, due,
                                           decider, decided, None if accepted else "Hoort bij het loket."))
                self.event(batch, request_id, "referral_accepted" if accepted else "referral_declined", decider,
                           decided, public=accepted, data=names)
                budget -= 2
                if accepted:
                    owner = to_team
                    resolution_due = calendar.add_workdays(decided, 15)
                    first_due = calendar.add_workdays(decided, 2)
        if status != "doorverwezen" and final != "nieuw":
            if budget and rng.random() < 0.85:
                at = take()
                assignee = rng.choice(self.members_of[owner])
                self.event(batch, request_id, "assigned", assignee, at, data=_dumps({"assignee_id": assignee}))
                budget -= 1
            worker = assignee or rng.choice(self.members_of[owner])
            if budget and rng.random() < 0.025:
                at = take()
                partner = rng.choice([t for _, t in self.initiative_teams] + [self.team_of_bond[self.bonden[0][0]]])
                if partner != owner:
                    self.collaborator_id += 1
                    batch["request_collaborators"].append((self.collaborator_id, request_id, partner, worker,
                                                           "Samen oppakken.", at, end if final in ("gesloten", "opgelost")
                                                           else None, worker if final in ("gesloten", "opgelost") else None))
                    self.event(batch, request_id, "collaborator_added", worker, at, public=True,
                               data=_dumps({"team_id": partner, "reason": "Samen oppakken."}))
                    budget -= 1
            if budget:
                at = take()
                first_response = at
                reply = self.event(batch, request_id, "public_reply", worker, at, public=True,
                                   body=rng.choice(REPLIES).format(t=topic))
                budget -= 1
                if rng.random() < 0.06:
                    self.attachment(batch, request_id, reply, worker, at, internal=False)
            if budget and rng.random() < 0.35:
                self.event(batch, request_id, "internal_note", worker, take(), body=rng.choice(NOTES).format(t=topic))
                budget -= 1
            if budget >= 2 and (final == "wacht_op_club" or rng.random() < 0.15):
                at = take()
                self.event(batch, request_id, "status_changed", worker, at, public=True,
                           data='{"from":"in_behandeling","to":"wacht_op_club"}')
                budget -= 1
                if final == "wacht_op_club":
                    status, paused_at = "wacht_op_club", at
                else:
                    back = take()
                    paused_seconds = round(calendar.workdays_between(at, back) * 86400, 1)
                    resolution_due += timedelta(seconds=paused_seconds)
                    self.event(batch, request_id, "status_changed", worker, back, public=True,
                               data='{"from":"wacht_op_club","to":"in_behandeling"}')
                    budget -= 1
            if status == "nieuw":
                status = "in_behandeling"
            if final in ("opgelost", "gesloten"):
                previous = status
                status, resolved = final, end
                if final == "gesloten":
                    closed = end
                self.event(batch, request_id, "status_changed", worker, end, public=True,
                           data=_dumps({"from": previous, "to": final}))
        if rng.random() < 0.04:
            self.attachment(batch, request_id, None, requester, created, internal=False)
        score = comment = None
        if resolved is not None and rng.random() < 0.35 and self.event_id - first_event + 1 < EVENTS_PER_REQUEST[1]:
            score = rng.choices((1, 2, 3, 4, 5), (3, 5, 12, 40, 40))[0]
            comment = rng.choice(COMMENTS) if rng.random() < 0.3 else None
            answered = min(end + timedelta(hours=rng.randrange(1, 72)), now - timedelta(minutes=1))
            self.event(batch, request_id, "satisfaction_given", requester, answered, public=True, body=comment,
                       data=_dumps({"score": score}))
        resolution_workdays = (round(max(0.0, calendar.workdays_between(created, resolved) - paused_seconds / 86400), 4)
                               if resolved else None)
        due = first_due if first_response is None else resolution_due
        updated = max(batch["events"][-1][7], created)
        batch["support_requests"].append((
            request_id, f"LK-{year}-{number:06d}", club_id, requester, filed_by, channel, category[0],
            sport if category[2] == "sportspecifiek" else None, title, description, status,
            rng.choices(("laag", "normaal", "hoog"), (15, 75, 10))[0], owner, assignee, created, updated,
            first_response, resolved, closed, first_due, resolution_due, min(due, resolution_due), paused_at,
            paused_seconds, resolution_workdays, score, comment, 1 + self.event_id - first_event))

    def attachment(self, batch, request_id, event_id, uploader, moment, *, internal: bool) -> None:
        self.attachment_id += 1
        name, content_type = self.rng.choice(FILE_NAMES)
        key = f"{self.attachment_id:010x}{self.rng.getrandbits(88):022x}"  # unique by the id, random after it
        batch["attachments"].append((self.attachment_id, request_id, event_id, internal, name, content_type,
                                     self.rng.randrange(20_000, 4_000_000), key, uploader, moment))

    # --------------------------------------------------------------------------------------------- quality
    def quality(self) -> None:
        rng = self.rng
        set_id, valid_from = self.criteria_set
        periods = []
        month = date(valid_from.year, valid_from.month, 1)
        while month <= self.o.reference_day:
            periods.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        measurements, runs, changes, audits, findings = [], [], [], [], []
        comparisons = {">=": lambda v, t: v >= t, "<=": lambda v, t: v <= t, ">": lambda v, t: v > t,
                       "<": lambda v, t: v < t, "==": lambda v, t: v == t}
        for run_id, period in enumerate(periods, start=1):
            moment = datetime.combine(period, datetime.min.time()) + timedelta(days=1, hours=3)
            runs.append((run_id, "done", period, len(self.criteria), len(self.criteria), moment, moment,
                         moment + timedelta(minutes=2)))
        for loket_id, team_id, operational, _ in self.loketten:
            if not operational:
                continue
            quality = rng.random()
            for period in periods:
                computed = datetime.combine(period, datetime.min.time()) + timedelta(days=1, hours=3)
                for criterion_id, code, kind, metric, threshold, comparison in self.criteria:
                    if kind != "metric":
                        continue
                    low, high, integer = METRIC_VALUES.get(metric, (0.0, 1.0, False))
                    value = low + (high - low) * min(1.0, max(0.0, rng.gauss(quality, 0.2)))
                    value = round(value) if integer else round(value, 3)
                    measurable = rng.random() < 0.93
                    measurements.append((len(measurements) + 1, loket_id, criterion_id, period,
                                         value if measurable else None,
                                         comparisons[comparison](value, threshold) if measurable else None,
                                         _dumps({"count": rng.randrange(10, 400)}) if measurable else "{}", computed))
            voldoet = quality > 0.4
            changes.append((len(changes) + 1, loket_id, voldoet, datetime.combine(periods[0], datetime.min.time())))
            if rng.random() < 0.3:
                changes.append((len(changes) + 1, loket_id, not voldoet,
                                datetime.combine(periods[-1], datetime.min.time()) - timedelta(days=rng.randrange(1, 90))))
            for kind, author in (("audit", rng.choice(self.coordinators)), ("self_assessment", self.lead_of[team_id])):
                if kind == "self_assessment" and rng.random() < 0.5:
                    continue
                audit_id = len(audits) + 1
                day = self.o.reference_day - timedelta(days=rng.randrange(5, 300))
                final = kind == "audit" or rng.random() < 0.5
                at = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
                audits.append((audit_id, loket_id, set_id, kind, "definitief" if final else "concept", author, day,
                               ("positief" if voldoet else "negatief") if final else None, None, at,
                               at + timedelta(hours=2) if final else None))
                for criterion in self.criteria:
                    findings.append((len(findings) + 1, audit_id, criterion[0],
                                     rng.choices(("pass", "fail", "not_assessed"), (70, 15, 15))[0], None))
        self.load.copy("quality_runs", ("id", "state", "period", "criteria_done", "criteria_total", "created_at",
                                        "started_at", "finished_at"), runs)
        self.load.copy("measurements", ("id", "loket_id", "criterion_id", "period", "value", "passed", "details",
                                        "computed_at"), measurements)
        self.load.copy("verdict_changes", ("id", "loket_id", "voldoet", "changed_at"), changes)
        self.load.copy("audits", ("id", "loket_id", "criteria_set_id", "kind", "state", "author_id", "audit_date",
                                  "verdict", "notes", "created_at", "finalized_at"), audits)
        self.load.copy("audit_findings", ("id", "audit_id", "criterion_id", "result", "evidence"), findings)

    def team_tools(self) -> None:
        rng = self.rng
        views, replies = [], []
        created = self.now - timedelta(days=200)
        teams = [(t, self.lead_of[t]) for _, t, operational, _ in self.loketten if operational]
        teams += [(self.team_of_bond[b[0]], self.lead_of[self.team_of_bond[b[0]]]) for b in self.bonden]
        for team_id, lead in teams:
            views.append((len(views) + 1, "Mijn open aanvragen", lead, None, "team", "open", None, "ik", None,
                          "deadline", lead, created))
            views.append((len(views) + 1, "Wacht op club", None, team_id, "team", "wacht_op_club", None, None, None,
                          "oudste", lead, created))
            if rng.random() < 0.4:
                views.append((len(views) + 1, "Subsidievragen", None, team_id, "team", None, None, None, "subsidie",
                              "deadline", lead, created))
            for title, body in (("Ontvangstbevestiging", "Beste {club}, dank voor je vraag. We nemen binnen twee "
                                 "werkdagen contact op."),
                                ("Doorverwijzing bond", "Beste {club}, deze vraag past beter bij je sportbond."),
                                ("Afsluiten", "Beste {club}, we sluiten de vraag af. Laat gerust weten hoe het ging.")):
                replies.append((len(replies) + 1, team_id, title, body, lead, created, lead, created))
        self.load.copy("saved_views", ("id", "name", "user_id", "team_id", "queue_view", "status", "category_id",
                                       "assignee", "search", "sort", "created_by_id", "created_at"), views)
        self.load.copy("canned_replies", ("id", "team_id", "title", "body", "created_by_id", "created_at",
                                          "updated_by_id", "updated_at"), replies)

    def finish(self) -> None:
        """Every serial sequence continues after the generated ids."""
        rows = self.connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_default LIKE 'nextval(%%' ORDER BY table_name").fetchall()
        for table, column in rows:
            self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"GREATEST((SELECT max({column}) FROM {table}), 1), (SELECT max({column}) FROM {table}) IS NOT NULL)")


# ------------------------------------------------------------------------------------------------ the command

from loket.bench import bench_cli  # noqa: E402  (the package imports this module after creating the group)


@bench_cli.command("generate")
@click.option("--requests", "requests_", default=Options.requests, show_default=True, type=click.IntRange(1),
              help="Aantal aanvragen (over vijf jaar).")
@click.option("--clubs", default=Options.clubs, show_default=True, type=click.IntRange(10), help="Aantal clubs.")
@click.option("--seed", default=Options.seed, show_default=True, type=int, help="Zelfde seed, zelfde gegevens.")
@click.option("--reference-day", type=click.DateTime(formats=["%Y-%m-%d"]), default=str(REFERENCE_DAY),
              show_default=True, help="De peildag van de gegevens (alles ligt ervoor).")
@click.pass_context
def generate_command(ctx, requests_, clubs, seed, reference_day):
    """Een landelijke testdataset in PostgreSQL laden (leegt eerst een database die de generator zelf vulde)."""
    try:
        generate(Options(requests=requests_, clubs=clubs, seed=seed, reference_day=reference_day.date()))
    except GeneratorError as error:
        click.echo(f"Niet gegenereerd: {error}", err=True)
        ctx.exit(1)
    click.echo(f"Inloggen als een gegenereerde gebruiker: wachtwoord {BENCH_PASSWORD} "
               f"(teamleiders, coördinatiepunt en beheer: TOTP-sleutel {BENCH_TOTP_SECRET}).")
