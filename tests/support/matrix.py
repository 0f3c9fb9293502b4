"""The authorization matrix's world and walk (tests/test_authorization_matrix.py holds the table).

`build_world` adds to the test network what the matrix needs beyond it — a team lead of Sportloket Utrecht (loket
X), a bondsspecialist of the KNLTB (bond Q), a contact person of club B — and one real object of every kind a URL
names, for team X / club A and for team Y / club B, so every route with an id is tried with an object of the
actor's own team and with another team's. Club A's request carries unmistakable marker words in its title,
description, a public reply and an internal note.

`walk` calls every route of the table as one actor and returns every answer that differs from the table, breaks a
security header, shows a marker the actor may not read, or (for a refused or invalid write, and for every GET)
changed the database.
"""
import io
import itertools
import secrets
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select, text
from werkzeug.routing import AnyConverter

from loket.extensions import db as _db
from loket.models import ApiToken, CannedReply, ClubContact, LoginSession, Membership, OutboxMessage
from loket.models.base import utcnow
from loket.services.network import api_tokens, club_import, invitations, login_sessions, registrations
from loket.services.quality import criteria
from loket.services.requests import attachments as attachment_service
from loket.services.requests import actions, saved_views, teamwork
from loket.services.requests import canned_replies
from loket.services.requests.queues import QueueFilter
from tests.factories import ClubContactFactory, SupportOfferFactory, SupportRequestFactory, make_user
from tests.support.lookups import category_id
from tests.support.quality import pass_audit
from tests.support.registrations import club_data, confirmation_token, contact_data
from tests.support.requests import file_request

# ---------------------------------------------------------------- actors

ACTORS = ("anonymous", "club_a", "club_b", "supporter_x", "supporter_y", "lead_x", "bond_p", "bond_q",
          "initiative", "gemeente", "adviseur", "coordinatiepunt", "beheer")
SIGNED_IN = ACTORS[1:]

# ---------------------------------------------------------------- markers in club A's request (loket X)

TITLE, DESCRIPTION = "MATRIXTITEL-q7w2", "MATRIXOMSCHRIJVING-k4v9"
REPLY, NOTE = "MATRIXANTWOORD-z3x8", "MATRIXNOTITIE-m5n1"
MARKERS = (TITLE, DESCRIPTION, REPLY, NOTE)
# Who may read which marker: the club reads its request and the reply, never the loket's internal note.
MAY_READ = {"club_a": {TITLE, DESCRIPTION, REPLY}, "supporter_x": set(MARKERS), "lead_x": set(MARKERS)}

# URL variables that name no object: one fixed value everywhere (a wrong mailed link, a wrong inbound secret).
FIXED_VALUES = {"token": "geen-geldige-link", "secret": "geen-geheim", "filename": "css/loket.css"}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_world(network) -> SimpleNamespace:
    """The network plus the matrix's actors and objects (committed); `world.targets` names every object set."""
    n = network
    n.lead_x = make_user("clubondersteuner", n.loket_utrecht, name="Lotte Lead", team_lead=True)
    n.bond_q = make_user("bondsspecialist", n.knltb, name="Quinten Tennisbond")
    n.contact_b = ClubContactFactory(club=n.club_amersfoort, name="Bram Jansen", email=n.other_club_contact.email,
                                     user_id=n.other_club_contact.id)
    n.contact_a = _db.session.scalar(select(ClubContact).where(ClubContact.club_id == n.club_utrecht.id))
    n.offer_x = SupportOfferFactory(organisation=n.loket_utrecht)
    n.offer_y = SupportOfferFactory(organisation=n.loket_eemland)
    _db.session.commit()
    n.actors = {"club_a": n.club_contact, "club_b": n.other_club_contact, "supporter_x": n.ondersteuner,
                "supporter_y": n.ondersteuner_eemland, "lead_x": n.lead_x, "bond_p": n.bondsspecialist,
                "bond_q": n.bond_q, "initiative": n.initiatiefmedewerker, "gemeente": n.gemeente_utrecht,
                "adviseur": n.adviseur, "coordinatiepunt": n.coordinator, "beheer": n.beheerder}

    # Requests: club A's at loket X (the markers), club B's at loket Y, one the KNVB owns (bond P), one X refers to
    # the initiative, one Y refers to X, and one in the coördinatiepunt's fallback queue (Zeist has no loket).
    n.req_x = file_request(n, category="overig", title=TITLE, description=DESCRIPTION)
    actions.claim(n.req_x, actor=n.ondersteuner)
    actions.add_message(n.req_x, actor=n.ondersteuner, body=NOTE, internal=True, as_supporter=True)
    actions.add_message(n.req_x, actor=n.ondersteuner, body=REPLY, internal=False, as_supporter=True)
    # Files: club A's request has one for the club (the reply's marker inside) and an internal one (the note's
    # marker in its name and bytes); club B's request one its contact attached.
    access_x = teamwork.supporter_access(n.ondersteuner, n.req_x.id)
    n.file_x = attachment_service.attach_as_supporter(
        access_x, attachment_service.check_file("antwoord.txt", REPLY.encode()), actor=n.ondersteuner, internal=False)
    n.file_x_internal = attachment_service.attach_as_supporter(
        access_x, attachment_service.check_file(f"{NOTE}.txt", NOTE.encode()), actor=n.ondersteuner, internal=True)
    n.req_y = _stored_request(n.club_amersfoort, n.other_club_contact, n.loket_eemland.team,
                              "Vraag van HC Amersfoort")
    n.file_y = attachment_service.attach_as_club(n.req_y, attachment_service.check_file("y.pdf", b"%PDF-1.4\n%%EOF\n"),
                                                 actor=n.other_club_contact)
    n.req_p = _stored_request(n.club_utrecht, n.club_contact, n.knvb.team, "Competitievraag")
    n.req_ref = _stored_request(n.club_utrecht, n.club_contact, n.loket_utrecht.team, "Vraag voor het programma")
    teamwork.propose_referral(teamwork.supporter_access(n.ondersteuner, n.req_ref.id), actor=n.ondersteuner,
                              to_team_id=n.spn.team.id, reason="Past bij jullie.")
    n.req_yref = _stored_request(n.club_amersfoort, n.other_club_contact, n.loket_eemland.team,
                                 "Vraag voor Utrecht")
    teamwork.propose_referral(teamwork.supporter_access(n.ondersteuner_eemland, n.req_yref.id),
                              actor=n.ondersteuner_eemland, to_team_id=n.loket_utrecht.team.id,
                              reason="Past bij Utrecht.")
    # The API's writes get requests, referrals and aanmeldingen of their own: a page's write and the API's on one
    # object would see each other's effect.
    n.req_x2 = _stored_request(n.club_utrecht, n.club_contact, n.loket_utrecht.team, "Tweede vraag van de Boys")
    n.req_y2 = _stored_request(n.club_amersfoort, n.other_club_contact, n.loket_eemland.team,
                               "Tweede vraag van HC Amersfoort")
    n.req_ref2 = _stored_request(n.club_utrecht, n.club_contact, n.loket_utrecht.team,
                                 "Nog een vraag voor het programma")
    n.referral_x = teamwork.propose_referral(teamwork.supporter_access(n.ondersteuner, n.req_ref2.id),
                                             actor=n.ondersteuner, to_team_id=n.spn.team.id, reason="Past bij jullie.")
    n.req_yref2 = _stored_request(n.club_amersfoort, n.other_club_contact, n.loket_eemland.team,
                                  "Nog een vraag voor Utrecht")
    n.referral_y = teamwork.propose_referral(teamwork.supporter_access(n.ondersteuner_eemland, n.req_yref2.id),
                                             actor=n.ondersteuner_eemland, to_team_id=n.loket_utrecht.team.id,
                                             reason="Past bij Utrecht.")
    n.req_fallback = _stored_request(n.club_zeist, n.zeist_contact, n.fallback_team, "Vraag uit Zeist")

    # Aanmeldingen: a new club at loket X, one at loket Y, someone joining club A, a new club in Zeist.
    n.reg_x = _registration(club_data(gemeente="GM0344", name="FC Matrix Utrecht"), "nieuw-x@club.example")
    n.reg_y = _registration(club_data(gemeente="GM0307", name="FC Matrix Amersfoort"), "nieuw-y@club.example")
    registrations.request_to_join(n.club_utrecht.id, contact_data(name="Jet Lid", email="lid-a@club.example"))
    n.reg_join = registrations.confirm_registration(confirmation_token("lid-a@club.example"))
    n.reg_cp = _registration(club_data(gemeente="GM0355", name="FC Matrix Zeist"), "nieuw-z@club.example")
    n.reg_x2 = _registration(club_data(gemeente="GM0344", name="FC API Utrecht"), "api-x@club.example")
    n.reg_cp2 = _registration(club_data(gemeente="GM0355", name="FC API Zeist"), "api-z@club.example")

    n.audit_x = pass_audit(n, n.loket_utrecht)
    n.audit_y = pass_audit(n, n.loket_eemland)
    n.future_set = criteria.publish_set(
        version="2099.1", valid_from=utcnow().date() + timedelta(days=60), actor=n.coordinator,
        criteria=criteria.specs_of(criteria.current_set()))
    n.import_x = _club_import(n.loket_utrecht, n.ondersteuner)
    n.import_y = _club_import(n.loket_eemland, n.ondersteuner_eemland)
    n.invitation_x = invitations.invite(n.lead_x, "loket", "utrecht", email="nieuw-lid-x@loket.example")
    n.invitation_y = invitations.invite(n.beheerder, "loket", "eemland", email="nieuw-lid-y@loket.example")
    n.view_team_x = saved_views.save(n.lead_x, name="Teamweergave X", filters=QueueFilter(),
                                     team_id=n.loket_utrecht.team.id)
    n.view_y = saved_views.save(n.ondersteuner_eemland, name="Weergave Y", filters=QueueFilter(status="alle"))
    n.canned_x = canned_replies.create(n.lead_x, "loket", "utrecht", title="Sjabloon X", body="Beste {club}")
    n.canned_y = CannedReply(team=n.loket_eemland.team, title="Sjabloon Y", body="Beste {club}")  # Y has no lead
    _db.session.add(n.canned_y)
    _db.session.commit()
    n.mail_x = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "email")
                                  .order_by(OutboxMessage.id))  # the receipt of club A's request
    login_sessions.start(n.ondersteuner, remember=False)  # supporter X's other device
    n.session_x = _db.session.scalar(select(LoginSession.id).where(LoginSession.user_id == n.ondersteuner.id))
    n.targets = _targets(n)
    return n


def _stored_request(club, requester, team, title):
    """A request row as filing stores it, without filing's mails (quicker; the matrix reads only the row)."""
    request = SupportRequestFactory(club=club, requester_id=requester.id, owner_team=team, title=title,
                                    description="Een vraag.", channel="portaal")
    _db.session.commit()
    return request


def _registration(club: dict, email: str):
    registrations.register_club(club, contact_data(email=email))
    return registrations.confirm_registration(confirmation_token(email))


def _club_import(loket, actor):
    stream = io.BytesIO(f"naam;soort;gemeentecode;sporten;kvk\nVV Import {loket.slug};vereniging;"
                        f"{loket.gemeenten[0].code};voetbal;\n".encode())
    return club_import.preview(loket, actor=actor, filename="clubs.csv", stream=stream)


def _membership(user, **organisation):
    return _db.session.scalar(select(Membership.id).where(Membership.user_id == user.id).filter_by(**organisation))


def _targets(n) -> dict[str, dict]:
    """Every named set of URL values: the table's entries say per target what each actor gets."""
    member_x = _membership(n.ondersteuner, loket_id=n.loket_utrecht.id)
    member_y = _membership(n.ondersteuner_eemland, loket_id=n.loket_eemland.id)
    return {
        "req_x": {"request_id": n.req_x.id}, "req_y": {"request_id": n.req_y.id},
        "req_p": {"request_id": n.req_p.id}, "req_ref": {"request_id": n.req_ref.id},
        "req_yref": {"request_id": n.req_yref.id}, "req_fallback": {"request_id": n.req_fallback.id},
        "req_x2": {"request_id": n.req_x2.id}, "req_y2": {"request_id": n.req_y2.id},
        "req_missing": {"request_id": 999_999},  # another team's request must look like this one
        "file_x": {"request_id": n.req_x.id, "attachment_id": n.file_x.id},
        "file_x_internal": {"request_id": n.req_x.id, "attachment_id": n.file_x_internal.id},
        "file_y": {"request_id": n.req_y.id, "attachment_id": n.file_y.id},
        # Club A's request with club B's file: a guessed id under a request one may read.
        "file_y_under_x": {"request_id": n.req_x.id, "attachment_id": n.file_y.id},
        "collab_x": {"request_id": n.req_x.id, "kind": "loket", "identifier": "eemland"},
        "collab_y": {"request_id": n.req_y.id, "kind": "loket", "identifier": "utrecht"},
        "ref_x": {"referral_id": n.referral_x.id}, "ref_y": {"referral_id": n.referral_y.id},
        "reg_x": {"registration_id": n.reg_x.id}, "reg_y": {"registration_id": n.reg_y.id},
        "reg_join": {"registration_id": n.reg_join.id}, "reg_cp": {"registration_id": n.reg_cp.id},
        "reg_x2": {"registration_id": n.reg_x2.id}, "reg_cp2": {"registration_id": n.reg_cp2.id},
        "offer_x": {"offer_id": n.offer_x.id}, "offer_y": {"offer_id": n.offer_y.id},
        "team_x": {"team_id": n.loket_utrecht.team.id}, "team_y": {"team_id": n.loket_eemland.team.id},
        "loket_x": {"slug": "utrecht", "loket_id": n.loket_utrecht.id},
        "loket_y": {"slug": "eemland", "loket_id": n.loket_eemland.id},
        "bond_p": {"key": "knvb", "sport_id": n.voetbal.id}, "bond_q": {"key": "knltb", "sport_id": n.tennis.id},
        "initiative": {"key": "spn"}, "region_set": {"slug": "vsg"},
        "gemeente_x": {"code": "GM0344"}, "gemeente_y": {"code": "GM0307"},
        "club_a": {"club_id": n.club_utrecht.id, "contact_id": n.contact_a.id},
        "club_b": {"club_id": n.club_amersfoort.id, "contact_id": n.contact_b.id},
        "club_a_contact_b": {"club_id": n.club_utrecht.id, "contact_id": n.contact_b.id},
        "user": {"user_id": n.club_contact.id, "membership_id": _membership(n.club_contact)},
        "category": {"category_id": category_id("overig")},
        "mail_x": {"outbox_id": n.mail_x.id},
        "view_team_x": {"view_id": n.view_team_x.id}, "view_y": {"view_id": n.view_y.id},
        "audit_x": {"audit_id": n.audit_x.id}, "audit_y": {"audit_id": n.audit_y.id},
        "future_set": {"set_id": n.future_set.id}, "session_x": {"session_id": n.session_x},
        "import_x": {"import_id": n.import_x.id}, "import_y": {"import_id": n.import_y.id},
        "team_loket_x": {"kind": "loket", "key": "utrecht", "membership_id": member_x,
                         "invitation_id": n.invitation_x.id, "sjabloon_id": n.canned_x.id},
        "team_loket_y": {"kind": "loket", "key": "eemland", "membership_id": member_y,
                         "invitation_id": n.invitation_y.id, "sjabloon_id": n.canned_y.id},
        # Team X's URL with team Y's member and invitation: a guessed id under one's own team.
        "team_loket_x_member_y": {"kind": "loket", "key": "utrecht", "membership_id": member_y,
                                  "invitation_id": n.invitation_y.id, "sjabloon_id": n.canned_y.id},
        "team_bond_p": {"kind": "bond", "key": "knvb",
                        "membership_id": _membership(n.bondsspecialist, bond_id=n.knvb.id),
                        "invitation_id": n.invitation_x.id, "sjabloon_id": n.canned_x.id},
        "team_initiative": {"kind": "initiatief", "key": "spn",
                            "membership_id": _membership(n.initiatiefmedewerker, initiative_id=n.spn.id),
                            "invitation_id": n.invitation_x.id, "sjabloon_id": n.canned_x.id},
    }


# ---------------------------------------------------------------- outcomes

LOGIN = "login"  # 302 to the login page
REDIRECT = "302"  # 302 anywhere else
SUCCESS = {200, 201, 202, 204, REDIRECT}


def outcome_of(response):
    if response.status_code == 302:
        return LOGIN if response.headers["Location"].split("?")[0].endswith("/inloggen") else REDIRECT
    return response.status_code


@dataclass(frozen=True)
class Call:
    """One request of the walk: a route with one target's values, and what the table expects."""

    endpoint: str
    method: str
    url: str
    target: str | None
    expected: object

    @property
    def label(self) -> str:
        return f"{self.method} {self.url} ({self.endpoint}{f' {self.target}' if self.target else ''})"


def is_spec(entry) -> bool:
    return isinstance(entry, dict) and set(entry) == set(ACTORS)


def spec_of(entry, method: str, target: str | None) -> dict:
    """The actor → outcome map of one route, method and target. An entry is a spec, {target: spec}, or
    {method: either} for a rule with both GET and POST; "-" names a rule of the endpoint without objects."""
    if not is_spec(entry) and method in entry:
        entry = entry[method]
    if is_spec(entry):
        return entry
    return entry[target or "-"]


def object_names(rule) -> list[str]:
    return [name for name in sorted(rule.arguments)
            if name not in FIXED_VALUES and not isinstance(rule._converters[name], AnyConverter)]


def targets_of(entry, method: str, rule) -> list[str | None]:
    if not is_spec(entry) and method in entry:
        entry = entry[method]
    if not object_names(rule):
        return [None]
    assert not is_spec(entry), f"{rule.endpoint}: its URL names {object_names(rule)}, give outcomes per target"
    return [target for target in entry if target != "-"]


def calls_for(app, table, world, actor) -> list[Call]:
    """Every (route, method, target) of the url map as `actor`, with the table's expectation."""
    adapter = app.url_map.bind("localhost")
    calls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        entry = table[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for target in targets_of(entry, method, rule):
                values = {**FIXED_VALUES, **(world.targets[target] if target else {})}
                missing = [name for name in object_names(rule) if name not in values]
                assert not missing, f"{rule.endpoint}: target {target} has no value for {missing}"
                # An any(...) choice not named by the target (a file format, a grouping) takes its first value:
                # the values share one view and its access check.
                choices = {name: [values[name]] if name in values else sorted(rule._converters[name].items)[:1]
                           for name in rule.arguments}
                expected = spec_of(entry, method, target)[actor]
                for combination in itertools.product(*choices.values()):
                    url = adapter.build(rule.endpoint, dict(zip(choices, combination)), method=method)
                    calls.append(Call(rule.endpoint, method, url, target, expected))
    return calls


# ---------------------------------------------------------------- checking one answer

def header_problems(response, *, signed_in: bool, endpoint: str) -> list[str]:
    headers = response.headers
    problems = []
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options")
    if "frame-ancestors 'none'" not in (headers.get("Content-Security-Policy") or ""):
        problems.append("CSP frame-ancestors")
    if headers.get("Referrer-Policy") not in ("same-origin", "no-referrer"):  # a mailed-link page: stricter
        problems.append("Referrer-Policy")
    if signed_in and response.status_code == 200 and endpoint != "static" \
            and "no-store" not in (headers.get("Cache-Control") or ""):
        problems.append("Cache-Control no-store")
    return problems


def texts_of(response) -> str:
    """Headers and body; for an XLSX workbook, every file inside it."""
    texts = [f"{name}: {value}" for name, value in response.headers.items()]
    body = response.get_data()
    if response.mimetype == XLSX:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            texts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    else:
        texts.append(body.decode("utf-8", "replace"))
    return "\n".join(texts)


def markers_in(response, actor) -> list[str]:
    text = texts_of(response)
    return [marker for marker in MARKERS if marker in text and marker not in MAY_READ.get(actor, set())]


# ---------------------------------------------------------------- the database, to prove nothing changed

# Columns that a read may write by design: when a token or login was last used.
VOLATILE = {("api_tokens", "last_used_at"), ("users", "last_login_at")}
# The audit log records denials and staff reading a request by design (issue #13 point 10): no state change.
LOG_TABLES = {"audit_log"}


def database_dump() -> dict:
    dump = {}
    for table in _db.metadata.sorted_tables:
        if table.name in LOG_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
        dump[table.name] = sorted(tuple(map(repr, row)) for row in _db.session.execute(select(*columns)))
    return dump


def row_counts() -> tuple:
    """One query: the number of rows in every table (the statement is built once)."""
    global _COUNTS
    if _COUNTS is None:
        tables = [t.name for t in _db.metadata.sorted_tables if t.name not in LOG_TABLES]
        _COUNTS = text("SELECT " + ", ".join(f"(SELECT count(*) FROM {name})" for name in tables))
    return tuple(_db.session.execute(_COUNTS).one())


_COUNTS = None


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def describe_changes(before: dict, after: dict) -> str:
    """Which tables changed, with a row that went and one that came for each."""
    parts = []
    for name in changed_tables(before, after):
        gone = str(sorted(set(before[name]) - set(after[name]))[:1])[:200]
        came = str(sorted(set(after[name]) - set(before[name]))[:1])[:200]
        parts.append(f"{name}: {len(before[name])} → {len(after[name])} rows, gone {gone}, came {came}")
    return "the database changed: " + "; ".join(parts)


def token_of(user) -> str:
    """A live API token of `user`, stored as issuing one stores it (the matrix is about what a token may do, not
    about how it is obtained: tests/blueprints/api/test_auth.py)."""
    token = api_tokens.TOKEN_PREFIX + secrets.token_urlsafe(api_tokens.TOKEN_BYTES)
    _db.session.add(ApiToken(user=user, digest=api_tokens.digest_of(token), created_at=utcnow()))
    _db.session.commit()
    return token


# ---------------------------------------------------------------- the walk

# Writes that end the actor's session or token: walked last, the logout with a session of its own.
SESSION_ENDING = ("api.revoke_token", "account.sign_out_everywhere", "auth.logout")


@dataclass
class Answer:
    call: Call
    got: object
    problems: list
    session_only: bool = False


ROLE_REFUSALS = {LOGIN, 401, 403}


def without_repeated_refusals(calls: list[Call]) -> list[Call]:
    """One call per route and method where the table refuses the actor the same way (login, 401, 403) for every
    target: a refusal by role comes before any object is looked up, and walking every target for every actor
    that may not use the route at all would double the matrix's time. Every target of a route the actor may use
    — where an object of another team must give 404 — is walked."""
    by_route = {}
    for call in calls:
        by_route.setdefault((call.endpoint, call.method), []).append(call)
    kept = []
    for route_calls in by_route.values():
        expected = {call.expected for call in route_calls}
        if len(expected) == 1 and expected <= ROLE_REFUSALS:
            kept.extend(c for c in route_calls if c.target == route_calls[0].target)
        else:
            kept.extend(route_calls)
    return kept


def walk(app, table, world, actor, *, body_taking) -> list[Answer]:
    """Call every route of the table as `actor`: the GETs, then the writes the table expects to be refused or
    invalid (with an empty form or body), proving the database unchanged by both; then the writes the table
    expects to succeed, the session-ending ones last. `body_taking`: API endpoints whose operation takes a
    JSON body (they get `{}`)."""
    user = world.actors.get(actor)
    browser = app.test_client()
    token = None
    if user is not None:
        browser.login(user)
        token = token_of(user)
    calls = without_repeated_refusals(calls_for(app, table, world, actor))
    reads = [c for c in calls if c.method == "GET"]
    ending = [c for c in calls if c.endpoint in SESSION_ENDING]
    refused = [c for c in calls if c.method != "GET" and c.expected not in SUCCESS and c not in ending]
    acting = [c for c in calls if c.method != "GET" and c.expected in SUCCESS and c not in ending]
    acting += sorted(ending, key=lambda c: SESSION_ENDING.index(c.endpoint))
    answers = []

    def send(call, client, bearer):
        kwargs = {}
        if call.endpoint.startswith("api."):
            if bearer:
                kwargs["headers"] = {"Authorization": f"Bearer {bearer}"}
            if call.endpoint in body_taking:
                kwargs["json"] = {}
            return client.open(call.url, method=call.method, **kwargs)
        if call.method == "POST":
            return client.post(call.url, data={})
        return client.open(call.url, method=call.method)

    def check(call, *, session_only=False):
        """One call; `session_only`: an API call from the signed-in browser without its token."""
        bearer = None if session_only else token
        try:
            response = send(call, browser, bearer)
        except Exception as error:  # the testing app propagates a view's exception: report it with the others
            _db.session.rollback()
            answers.append(Answer(call, 500, [f"raised {error!r}"], session_only))
            return None
        got = outcome_of(response)
        expected = spec_of(table[call.endpoint], call.method, call.target)["anonymous"] if session_only \
            else call.expected
        problems = [] if got == expected else [f"expected {expected}, got {got}"]
        signed_in = bearer is not None if call.endpoint.startswith("api.") else user is not None
        problems += [f"header {name}" for name in header_problems(response, signed_in=signed_in,
                                                                  endpoint=call.endpoint)]
        leaked = markers_in(response, actor)
        if leaked:
            problems.append(f"shows {leaked}")
        if response.status_code >= 500:
            problems.append(response.get_data(as_text=True)[-300:])
        answers.append(Answer(call, got, problems, session_only))
        return response

    before = database_dump()
    counts = None  # the row counts after the last call, when that call was counted
    for call in reads + refused:
        counted = call.method != "GET" and call.expected not in ROLE_REFUSALS
        if counted and counts is None:
            counts = row_counts()
        check(call)
        if call.endpoint.startswith("api.") and user is not None \
                and call.expected != spec_of(table[call.endpoint], call.method, call.target)["anonymous"]:
            # The API never takes the browser's session: without its token the signed-in browser is anonymous.
            check(call, session_only=True)
        if counted:
            # A write the role may make, refused or invalid here: counted at once, to name it if it stored
            # something (a GET or a write refused by role is caught by comparing the whole database below).
            counts, counted_before = row_counts(), counts
            if counts != counted_before:
                answers[-1].problems.append("a refused write added or removed rows")
        else:
            counts = None
    after = database_dump()
    if changed_tables(before, after):  # by a GET, or a write refused by role
        answers.append(Answer(Call("(reads and refused writes)", "-", "-", None, "no change"), "changed",
                              [describe_changes(before, after)]))
    for call in acting:
        if call.endpoint == "auth.logout" and user is not None:
            browser = app.test_client()  # the sessions before were ended by 'overal uitloggen'
            browser.login(user)
        check(call)
    return answers
