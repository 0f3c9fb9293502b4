"""`flask bench run`: how fast the main pages are on the database DATABASE_URL names (issue #15, point 2).

Everything runs in this process through Flask's test client, logged in through the login form as the people who
use each page (picked from the database: the busiest loket's supporter, a bond specialist, an initiative member,
the club contact with the most requests, the coördinatiepunt, beheer). Each measurement is warmed up first, then
timed `--runs` times; per measurement it reports the SQL statements of one run, the SQL time (the sum over the
statements, timed around the cursor), the render time (inside `render_template`, which includes any SQL a template
triggers), p50 and p95 of the whole request, and for the queue pages the time of the bare SQL that fetches the
page's rows (its largest statement re-run raw). Then gunicorn with 2 workers serves the queue page to a bounded
number of concurrent clients. One fixed-width table with the targets of issue #15 point 3 beside each figure.

The benchmark writes: creating a request files new requests (the database grows by warm-up + runs of them) and a
quality recompute stores the month's measurements again. Run it against a benchmark database, never real data.
"""
from __future__ import annotations

import cProfile
import gc
import http.client
import logging
import math
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import click
import pyotp
from flask import before_render_template, current_app, template_rendered
from sqlalchemy import event, func, select, text

from loket.bench import bench_cli
from loket.extensions import db
from loket.models import OPEN_STATUSES, Membership, SupportRequest, Team, User
from loket.serving import keep_long_lived_objects_out_of_collections

# --- figures ------------------------------------------------------------------------------------------------


def percentile(values, fraction: float) -> float:
    """The `fraction` (0–1) percentile of `values`, interpolated linearly between the two nearest ranks (as
    numpy's default and statistics.quantiles' "inclusive" method do)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must lie between 0 and 1")
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Target:
    """What issue #15 point 3 asks of a measurement: a p95 in ms and a number of SQL statements (None: no limit)."""
    p95_ms: float | None = None
    statements: int | None = 10
    label: str | None = None  # shown instead of the generated text

    def describe(self) -> str:
        if self.label:
            return self.label
        parts = []
        if self.p95_ms is not None:
            parts.append(f"p95≤{self.p95_ms:g}ms")
        if self.statements is not None:
            parts.append(f"≤{self.statements} st")
        return " ".join(parts)

    def met(self, p95_ms: float | None, statements: int | None) -> bool:
        return ((self.p95_ms is None or (p95_ms is not None and p95_ms <= self.p95_ms))
                and (self.statements is None or (statements is not None and statements <= self.statements)))


QUEUE = Target(25)
DETAIL = Target(25)
STATISTICS = Target(60)
SEARCH = Target(60)
CREATE = Target(30, 12)
RECOMPUTE = Target(10_000, None, "<10s")
THROUGHPUT_RPS = 100
# Throughput only: with 8 clients waiting on 2 workers, a page's latency is mostly its time in the queue
# (Little's law: 8 clients at 100 pages/s wait 80 ms on average), so its p95 is shown, not judged.
THROUGHPUT = Target(None, None)


@dataclass
class Result:
    """One measurement's figures (times in ms)."""
    name: str
    target: Target
    totals: list[float] = field(default_factory=list)
    statements: int | None = None
    statement_range: tuple[int, int] | None = None  # fewest and most statements over the runs
    sql_ms: float | None = None
    render_ms: float | None = None
    bare_sql_ms: float | None = None
    status: int | None = None
    note: str = ""
    slowest: tuple[str, object] | None = None  # (statement, parameters) of the slowest statement
    explain: str | None = None
    rps: float | None = None  # the gunicorn measurement only
    sent: list[tuple[float, str]] = field(default_factory=list)  # (ms, statement) of the last run, for --statements
    sent_with_parameters: list[tuple[str, object]] = field(default_factory=list)  # the same, for pgbench
    informative: bool = False  # a figure without a target (what PostgreSQL alone carries)
    profile: str | None = None  # --profile: where the timed runs spent their time, by function

    @property
    def p50(self) -> float | None:
        return percentile(self.totals, 0.5) if self.totals else None

    @property
    def p95(self) -> float | None:
        return percentile(self.totals, 0.95) if self.totals else None

    @property
    def met(self) -> bool:
        if self.rps is not None:
            return self.rps >= THROUGHPUT_RPS and self.target.met(self.p95, None)
        return self.status in (200, 201, 302, None) and self.target.met(self.p95, self.statements)


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 1000 else f"{value:.0f}"


COLUMNS = (("measurement", 48, "<"), ("stmts", 6, ">"), ("SQL ms", 8, ">"), ("render", 8, ">"),
           ("bare SQL", 9, ">"), ("p50 ms", 8, ">"), ("p95 ms", 8, ">"), ("target", 20, "<"), ("", 2, "<"))


def table(results: list[Result]) -> str:
    """The one fixed-width table: a row per measurement, its target beside it and ✓ or ✗."""
    def line(cells):
        return " ".join(f"{str(cell):{align}{width}}" for cell, (_, width, align) in zip(cells, COLUMNS)).rstrip()

    rows = [line(name for name, _, _ in COLUMNS), line("-" * width for _, width, _ in COLUMNS)]
    for r in results:
        stmts = "–" if r.statements is None else (
            f"{r.statement_range[0]}-{r.statement_range[1]}"
            if r.statement_range and r.statement_range[0] != r.statement_range[1] else str(r.statements))
        name = r.name if not r.note else f"{r.name} ({r.note})"
        if r.informative:
            rows.append(line([name, "–", "–", "–", f"{r.rps:.0f}/s", "–", "–", "(no target)", ""]))
            continue
        if r.rps is not None:
            rows.append(line([name, "–", "–", "–", f"{r.rps:.0f}/s", _ms(r.p50), _ms(r.p95),
                              f"≥{THROUGHPUT_RPS}/s {r.target.describe()}".strip(), "✓" if r.met else "✗"]))
            continue
        if r.status not in (200, 201, 302, None):
            name = f"{name} [HTTP {r.status}]"
        rows.append(line([name[:48], stmts, _ms(r.sql_ms), _ms(r.render_ms), _ms(r.bare_sql_ms), _ms(r.p50),
                          _ms(r.p95), r.target.describe(), "✓" if r.met else "✗"]))
    targeted = [r for r in results if not r.informative]
    rows.append(f"{sum(r.met for r in targeted)} of {len(targeted)} targets met")
    return "\n".join(rows)


# --- recording SQL and render time --------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    parameters: object
    seconds: float


class Recorder:
    """The SQL statements (with their time) and the template time of whatever runs while it is on."""

    def __init__(self, engine, app):
        self.engine, self.app = engine, app
        self.statements: list[Statement] = []
        self.render_seconds = 0.0
        self._starts: dict[int, float] = {}
        self._render_started: list[float] = []

    def reset(self):
        self.statements, self.render_seconds = [], 0.0
        self._render_started = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._starts[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = self._starts.pop(id(cursor), None)
        if started is not None:
            self.statements.append(Statement(statement, parameters, time.perf_counter() - started))

    def _render_start(self, sender, template, context, **extra):
        self._render_started.append(time.perf_counter())

    def _render_end(self, sender, template, context, **extra):
        if self._render_started:
            started = self._render_started.pop()
            if not self._render_started:  # only the outermost render counts (a page rendering a mail)
                self.render_seconds += time.perf_counter() - started

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        before_render_template.connect(self._render_start, self.app)
        template_rendered.connect(self._render_end, self.app)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        before_render_template.disconnect(self._render_start, self.app)
        template_rendered.disconnect(self._render_end, self.app)

    @property
    def sql_seconds(self) -> float:
        return sum(s.seconds for s in self.statements)

    def slowest(self) -> Statement | None:
        return max(self.statements, key=lambda s: s.seconds, default=None)

    def main_select(self) -> Statement | None:
        """The statement that fetches a list's rows: the slowest SELECT of support requests with a LIMIT (the
        page's rows), else the slowest SELECT."""
        selects = [s for s in self.statements if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))]
        listing = [s for s in selects if "support_requests" in s.sql and "LIMIT" in s.sql.upper()]
        return max(listing or selects, key=lambda s: s.seconds, default=None)


# --- who is measured ----------------------------------------------------------------------------------------


class BenchError(click.ClickException):
    exit_code = 2


def _member(role: str, *where, order=None) -> User | None:
    """A user with `role` (and the conditions on Membership), preferring people without two-factor
    authentication and without a team lead's role (fewer login steps), then the lowest id."""
    query = (select(User).join(Membership, Membership.user_id == User.id)
             .where(Membership.role == role, User.active.is_(True), *where)
             .order_by(*(order or ()), User.totp_enabled_at.is_not(None), Membership.is_team_lead, User.id).limit(1))
    return db.session.scalars(query).first()


@dataclass
class Cast:
    """The people and things the measurements use (ids and plain values, read once)."""
    loket_supporter: User
    loket_team: Team
    bond_specialist: User | None
    initiative_member: User | None
    club_contact: User | None
    club_id: int | None
    coordinator: User | None
    beheer: User | None
    detail_request_id: int | None
    category_id: int | None
    search_word: str | None
    loket_slug: str | None
    category_slug: str | None


def _busiest_team(kind: str) -> Team | None:
    """The team of `kind` with the most open requests."""
    row = db.session.execute(
        select(SupportRequest.owner_team_id, func.count().label("n")).join(Team, Team.id == SupportRequest.owner_team_id)
        .where(Team.kind == kind, SupportRequest.status.in_(OPEN_STATUSES))
        .group_by(SupportRequest.owner_team_id).order_by(text("n DESC")).limit(1)).first()
    return db.session.get(Team, row.owner_team_id) if row else None


def _organisation_member(role: str, column: str, team: Team | None) -> User | None:
    """A member with `role` of `team` (the busiest of its kind), else anyone with that role."""
    if team is not None:
        found = _member(role, getattr(Membership, column) == getattr(team, column))
        if found is not None:
            return found
    return _member(role)


def cast_from_database() -> Cast:
    team = _busiest_team("loket")
    if team is None:
        raise BenchError("Geen loket met open aanvragen in deze database: vul haar eerst (make bench-data).")
    supporter = _member("clubondersteuner", Membership.loket_id == team.loket_id)
    if supporter is None:
        raise BenchError(f"Het drukste loket (team {team.id}) heeft geen clubondersteuner.")
    busiest_club = db.session.execute(
        select(SupportRequest.club_id, func.count().label("n")).join(Membership, Membership.club_id == SupportRequest.club_id)
        .where(Membership.role == "club").group_by(SupportRequest.club_id).order_by(text("n DESC")).limit(1)).first()
    club_id = busiest_club.club_id if busiest_club else None
    open_request = db.session.execute(
        select(SupportRequest.id, SupportRequest.category_id, SupportRequest.title)
        .where(SupportRequest.owner_team_id == team.id, SupportRequest.status.in_(OPEN_STATUSES))
        .order_by(SupportRequest.id.desc()).limit(1)).first()
    word = None
    if open_request is not None:
        words = sorted((w for w in re.findall(r"[^\W\d_]{5,}", open_request.title)), key=len, reverse=True)
        word = words[0].lower() if words else None
    category_slug = None
    if open_request is not None:
        category_slug = db.session.scalar(text("SELECT slug FROM categories WHERE id = :id"),
                                          {"id": open_request.category_id})
    loket_slug = db.session.scalar(text("SELECT slug FROM loketten WHERE id = :id"), {"id": team.loket_id})
    return Cast(
        loket_supporter=supporter, loket_team=team,
        bond_specialist=_organisation_member("bondsspecialist", "bond_id", _busiest_team("bond")),
        initiative_member=_organisation_member("initiatiefmedewerker", "initiative_id",
                                               _busiest_team("initiatief")),
        club_contact=_member("club", Membership.club_id == club_id) if club_id else _member("club"),
        club_id=club_id, coordinator=_member("coordinatiepunt"), beheer=_member("beheer"),
        detail_request_id=open_request.id if open_request else None,
        category_id=open_request.category_id if open_request else None,
        search_word=word, loket_slug=loket_slug, category_slug=category_slug)


# --- logging in -------------------------------------------------------------------------------------------------

USER_AGENT = "loket-bench"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise BenchError("Geen CSRF-token op de inlogpagina gevonden.")
    return found.group(1)


def fresh_code(user_id: int) -> str:
    """The TOTP code of the user's stored secret for a step not used yet (waits for the next step if needed)."""
    row = db.session.execute(select(User.totp_secret, User.totp_last_step).where(User.id == user_id)).one()
    db.session.rollback()
    try:
        totp = pyotp.TOTP(row.totp_secret)
        totp.at(0)
    except ValueError:  # binascii.Error: not base32 (A–Z, 2–7)
        raise BenchError(f"De opgeslagen TOTP-sleutel van gebruiker {user_id} is geen geldige base32-tekst: met deze "
                         "gegevens kan niemand met tweestapsverificatie inloggen.") from None
    while row.totp_last_step is not None and int(time.time() // 30) <= row.totp_last_step:
        time.sleep(0.5)
    return totp.at(time.time())


class Session:
    """A test client logged in as one user through the login form (and the second step when it is on)."""

    def __init__(self, app, user: User, password: str):
        self.app, self.user_id, self.email = app, user.id, user.email
        self.client = app.test_client()
        # The concurrent client reuses this login's cookie: Flask-Login's strong session protection ties a session
        # to the client address and user agent, so both send the same one.
        self.client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        self.password = password
        self._login()

    def request(self, method, path, **kwargs):
        with self.app.app_context():  # a fresh context (own db session, own `g`) per request, as in production
            return self.client.open(path, method=method, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def _login(self):
        page = self.get("/inloggen").get_data(as_text=True)
        answer = self.request("POST", "/inloggen", data={"email": self.email, "password": self.password,
                                                         "csrf_token": _csrf(page)})
        if answer.status_code != 302:
            raise BenchError(f"Inloggen als {self.email} mislukte (HTTP {answer.status_code}): klopt het wachtwoord? "
                             "Geef het mee met --password of BENCH_PASSWORD.")
        if urlsplit(answer.location).path == "/inloggen/code":
            page = self.get("/inloggen/code").get_data(as_text=True)
            answer = self.request("POST", "/inloggen/code", data={"code": fresh_code(self.user_id),
                                                                  "csrf_token": _csrf(page)})
            if answer.status_code != 302:
                raise BenchError(f"De tweede stap voor {self.email} mislukte (HTTP {answer.status_code}).")

    def cookie_header(self) -> str:
        names = (self.app.config["SESSION_COOKIE_NAME"], self.app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
        return "; ".join(f"{name}={cookie.value}" for name in names if (cookie := self.client.get_cookie(name)))

    def api_token(self) -> str:
        body = {"email": self.email, "password": self.password}
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            if user.has_two_factor:
                body["otp"] = fresh_code(self.user_id)
        answer = self.request("POST", "/api/v1/auth/token", json=body)
        if answer.status_code != 201:
            raise BenchError(f"Geen API-token voor {self.email} (HTTP {answer.status_code}).")
        return answer.get_json()["token"]


# --- measuring ----------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    target: Target
    session: Session | None
    path: str | None = None
    method: str = "GET"
    body: object = None  # a callable giving the JSON of each run (a write needs fresh values)
    headers: dict | None = None
    bare_sql: bool = False
    call: object = None  # instead of a request: a function to time (the quality recompute)
    runs: int | None = None  # fewer runs than --runs (the recompute)
    note: str = ""
    defer_mail: bool = False  # leave the outbox rows a write makes pending, as an RQ worker would take them
    follow_page: bool = False  # a page number past the end redirects: measure the page it lands on


def profile_table(profiler: cProfile.Profile, runs: int, limit: int) -> str:
    """Where the time went, per run: first by package (time spent in each package's own functions: the project's
    folders, each installed package, the standard library, built-ins), then the `limit` functions with the most
    time of their own, then the `limit` with the most including what they call. Under the profiler every call
    costs more: compare the shares, not the milliseconds."""
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = {}
    for (filename, _line, _name), (_calls, _n, own, _cumulative, _callers) in stats.stats.items():
        package = _package(filename)
        by_package[package] = by_package.get(package, 0.0) + own
    total = sum(by_package.values()) or 1.0
    lines = ["-- by package: own ms per run, share"]
    lines += [f"{own / runs * 1000:8.2f} {own / total:8.0%}  {package}"
              for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:limit]]
    for order, heading in ((pstats.SortKey.TIME, "own time"), (pstats.SortKey.CUMULATIVE, "including calls")):
        stats.sort_stats(order)
        lines.append(f"-- by {heading}: ms per run (own / including calls), calls per run, function")
        for func_key in stats.fcn_list[:limit]:
            _calls, calls, own, cumulative, _callers = stats.stats[func_key]
            filename, line, name = func_key
            where = f"{_short_path(filename)}:{line}({name})" if line else name
            lines.append(f"{own / runs * 1000:8.2f} {cumulative / runs * 1000:8.2f} {calls / runs:8.1f}  {where}")
    return "\n".join(lines)


_PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep
_INSTALLED = "site-packages" + os.sep


def _short_path(filename: str) -> str:
    """A source file's path from its package on (what follows site-packages/ or the project's folder)."""
    if _INSTALLED in filename:
        return filename.split(_INSTALLED, 1)[1]
    return filename[len(_PROJECT):] if filename.startswith(_PROJECT) else os.path.basename(filename)


def _package(filename: str) -> str:
    """The installed package or project folder a source file belongs to (templates count as "templates")."""
    if filename == "~":
        return "built-ins"
    if _INSTALLED not in filename and not filename.startswith(_PROJECT):
        return "standard library"
    return _short_path(filename).split(os.sep, 1)[0].removesuffix(".py")


class Bench:
    def __init__(self, app, *, runs: int, warmup: int, explain: bool, profile: int = 0, out=click.echo):
        self.app, self.runs, self.warmup, self.explain, self.out = app, runs, warmup, explain, out
        self.profile = profile  # how many functions to list per measurement (0: not profiled)
        self.recorder = Recorder(db.engine, app)

    def _once(self, m: Measurement):
        if m.call is not None:
            with self.app.app_context():
                m.call()
            return None
        kwargs = {"headers": m.headers or {}}
        if m.body is not None:
            kwargs["json"] = m.body()
        return m.session.request(m.method, m.path, **kwargs)

    def measure(self, m: Measurement) -> Result:
        if m.follow_page:
            answer = self._once(m)
            if answer.status_code == 302:
                m.path = answer.location
                m.note = "page " + (re.search(r"pagina=(\d+)", m.path) or ["", "?"])[1]
        with deferred_mail() if m.defer_mail else nullcontext():
            result = self._measure(m)
        result.note = m.note
        return result

    def _measure(self, m: Measurement) -> Result:
        result = Result(m.name, m.target)
        runs = m.runs or self.runs
        counts = []
        sql, render = [], []
        slowest = None
        main = None
        profiler = cProfile.Profile() if self.profile else None
        with self.recorder:
            for i in range(self.warmup + runs):
                self.recorder.reset()
                timed = profiler is not None and i >= self.warmup
                if timed:
                    profiler.enable()
                started = time.perf_counter()
                answer = self._once(m)
                elapsed = (time.perf_counter() - started) * 1000
                if timed:
                    profiler.disable()
                if answer is not None:
                    result.status = answer.status_code
                if i < self.warmup:
                    if i == self.warmup - 1:
                        gc.freeze()  # warm now, as a worker is after its first requests (loket/serving.py)
                    continue
                result.totals.append(elapsed)
                counts.append(len(self.recorder.statements))
                sql.append(self.recorder.sql_seconds * 1000)
                render.append(self.recorder.render_seconds * 1000)
                run_slowest = self.recorder.slowest()
                if run_slowest is not None and (slowest is None or run_slowest.seconds > slowest.seconds):
                    slowest = run_slowest
                main = self.recorder.main_select() or main
                result.sent = [(s.seconds * 1000, s.sql) for s in self.recorder.statements]
                result.sent_with_parameters = [(s.sql, s.parameters) for s in self.recorder.statements]
        result.statements = counts[-1] if counts else None
        result.statement_range = (min(counts), max(counts)) if counts else None
        result.sql_ms = statistics.median(sql) if sql else None
        result.render_ms = statistics.median(render) if render else None
        if slowest is not None:
            result.slowest = (slowest.sql, slowest.parameters)
        if m.bare_sql and main is not None:
            result.bare_sql_ms = self.bare(main)
        if self.explain and slowest is not None:
            result.explain = self.explain_plan(slowest)
        if profiler is not None:
            result.profile = profile_table(profiler, runs, self.profile)
        return result

    def statements_of(self, m: Measurement) -> list[tuple[str, object]]:
        """(statement, parameters) of one run of `m`."""
        with self.recorder:
            self.recorder.reset()
            self._once(m)
            return [(s.sql, s.parameters) for s in self.recorder.statements]

    def bare(self, statement: Statement) -> float:
        """p50 of the statement re-run raw through the engine (and its rows fetched), `--runs` times."""
        times = []
        with db.engine.connect() as conn:
            for i in range(self.warmup + self.runs):
                started = time.perf_counter()
                conn.exec_driver_sql(statement.sql, statement.parameters).fetchall()
                if i >= self.warmup:
                    times.append((time.perf_counter() - started) * 1000)
            conn.rollback()
        return percentile(times, 0.5)

    def explain_plan(self, statement: Statement) -> str:
        with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                sql = "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql
            else:
                sql = "EXPLAIN QUERY PLAN " + statement.sql
            try:
                rows = conn.exec_driver_sql(sql, statement.parameters).fetchall()
            except Exception as error:  # a statement EXPLAIN cannot take (e.g. with RETURNING on SQLite)
                conn.rollback()
                return f"(no plan: {error.__class__.__name__}: {str(error).splitlines()[0]})"
            conn.rollback()  # EXPLAIN ANALYZE of a write really writes
        return "\n".join(" ".join(str(col) for col in row) for row in rows)


@contextmanager
def deferred_mail():
    """Outbox rows stay pending instead of being delivered inline after the commit (embedded mode, no Redis):
    in production the web process only enqueues them (one SELECT, one UPDATE and Redis) and a worker renders
    and sends, so the inline delivery's rendering and bookkeeping is not the request's cost."""
    from loket.services.messaging import outbox
    dispatch = outbox.dispatch
    outbox.dispatch = lambda ids: None
    try:
        yield
    finally:
        outbox.dispatch = dispatch


# --- the list of measurements -------------------------------------------------------------------------------


def _new_request_body(cast: Cast):
    counter = iter(range(1, 10 ** 9))
    slug = db.session.scalar(text("SELECT slug FROM categories WHERE active AND scope = 'generiek' ORDER BY position, id LIMIT 1"))

    def body():
        number = next(counter)
        return {"club": cast.club_id, "category": slug, "title": f"Benchmarkvraag {number}",
                "description": f"Een vraag die de benchmark indient (nummer {number}) om het indienen te meten."}
    return body


def password_of(user: User, given: str | None) -> str:
    """The password to log in `user` with: the one given, else whichever of the generated data's and the demo
    data's passwords the stored hash accepts (checked here, so no failed login is counted)."""
    from loket.bench.generate import BENCH_PASSWORD
    from loket.services.network.passwords import verify_password
    from loket.services.seed.demo_data import DEMO_PASSWORD
    if given:
        return given
    for candidate in (BENCH_PASSWORD, DEMO_PASSWORD):
        if verify_password(user.password_hash, candidate):
            return candidate
    raise BenchError(f"Het wachtwoord van {user.email} is niet dat van de benchmark- of demogegevens: geef het mee "
                     "met --password of BENCH_PASSWORD.")


def measurements(app, cast: Cast, password: str | None) -> list[Measurement]:
    from loket.services.quality import runs as quality_runs

    def session_of(user, *, needed=False):
        if user is None:
            return None
        try:
            return Session(app, user, password_of(user, password))
        except BenchError as error:
            if needed:
                raise
            click.echo(f"Overgeslagen: de metingen als {user.email} ({error.message})", err=True)
            return None

    supporter = session_of(cast.loket_supporter, needed=True)
    bond = session_of(cast.bond_specialist)
    initiative = session_of(cast.initiative_member)
    club = session_of(cast.club_contact)
    coordinator = session_of(cast.coordinator)
    beheer = session_of(cast.beheer)
    supporter_token = supporter.api_token()
    club_token = club.api_token() if club else None
    api = {"Authorization": f"Bearer {supporter_token}"}
    overview = coordinator or beheer

    found = [
        Measurement("loket queue (default)", QUEUE, supporter, "/wachtrij/", bare_sql=True),
        Measurement("loket queue, category filter", QUEUE, supporter, f"/wachtrij/?categorie={cast.category_id}",
                    bare_sql=True),
        Measurement("loket queue, search term", QUEUE, supporter, f"/wachtrij/?q={cast.search_word or 'vraag'}",
                    bare_sql=True),
        Measurement("loket queue, all statuses, page 20", QUEUE, supporter, "/wachtrij/?status=alle&pagina=20",
                    bare_sql=True, follow_page=True),
    ]
    if bond:
        found.append(Measurement("bond queue", QUEUE, bond, "/wachtrij/", bare_sql=True))
    if initiative:
        found.append(Measurement("initiative queue", QUEUE, initiative, "/wachtrij/", bare_sql=True))
    if cast.detail_request_id:
        found.append(Measurement("request detail", DETAIL, supporter, f"/wachtrij/{cast.detail_request_id}"))
    if club:
        found.append(Measurement("club's own list", QUEUE, club, "/club/aanvragen", bare_sql=True))
    if coordinator:
        found.append(Measurement("fallback queue", QUEUE, coordinator, "/coordinatie/opvang", bare_sql=True))
    if overview:
        found += [
            Measurement("coördinatiepunt overview", STATISTICS, overview, "/overzicht/"),
            Measurement("overview drill-down (loket)", STATISTICS, overview, f"/overzicht/loketten/{cast.loket_slug}"),
            Measurement("demand per category", STATISTICS, overview, "/overzicht/vraag/categorie"),
            Measurement("demand per region (province)", STATISTICS, overview, "/overzicht/vraag/provincie"),
        ]
    found += [
        Measurement("API queue, status=open", QUEUE, supporter, "/api/v1/requests?status=open", headers=api,
                    bare_sql=True),
        Measurement("API queue, no status", QUEUE, supporter, "/api/v1/requests", headers=api, bare_sql=True),
        Measurement("search (queue ?q=, all statuses)", SEARCH, supporter,
                    f"/wachtrij/?status=alle&q={cast.search_word or 'vraag'}", bare_sql=True),
    ]
    if club and cast.club_id:
        found.append(Measurement("create a request (API POST)", CREATE, club, "/api/v1/requests", method="POST",
                                 headers={"Authorization": f"Bearer {club_token}"}, body=_new_request_body(cast),
                                 defer_mail=True, note="mail deferred"))
    found.append(Measurement("quality recompute, all loketten", RECOMPUTE, None,
                             call=lambda: quality_runs.recompute_now(), runs=3, note="3 runs"))
    return found


# --- gunicorn -------------------------------------------------------------------------------------------------


def bench_app():
    """The app gunicorn serves in the benchmark: the configured one without template reloading (development's
    DEBUG checks every template's file on each render)."""
    from loket import create_app
    app = create_app()
    app.config["TEMPLATES_AUTO_RELOAD"] = False
    app.jinja_env.auto_reload = False
    keep_long_lived_objects_out_of_collections(app)  # as wsgi.py does
    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn() -> str:
    here = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return here if os.path.exists(here) else (shutil.which("gunicorn") or "gunicorn")


def _wait_until_served(port, process, deadline):
    """The master listens before its workers have imported the app: wait until a page is answered."""
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/inloggen")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise BenchError("gunicorn antwoordde niet: " + (process.stderr.read().decode()[-500:]
                                                             if process.poll() is not None else "time-out"))
        time.sleep(0.5)


@contextmanager
def gunicorn(database_url: str, workers: int = 2):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": current_app.secret_key}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [_gunicorn(), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "loket.bench.measure:bench_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("gunicorn startte niet: " + process.stderr.read().decode()[-500:])
                time.sleep(0.2)
        _wait_until_served(port, process, deadline)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def load(port: int, path: str, cookie: str, *, concurrency: int, seconds: float, warmup: float = 3.0):
    """`concurrency` threads, each with its own connection, GET `path` as fast as answers come for `seconds`
    (after `warmup`). Returns (requests per second, latencies in ms, errors)."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    start = time.monotonic()
    measuring_from, stop_at = start + warmup, start + warmup + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (now := time.monotonic()) < stop_at:
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
                answer = conn.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            took = (time.perf_counter() - began) * 1000
            if now >= measuring_from:
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / seconds, latencies, errors[0]


# --- what one PostgreSQL carries -----------------------------------------------------------------------------

def _pgbench() -> str | None:
    """pgbench on the PATH (`make bench` adds PostgreSQL's own folder to it)."""
    return shutil.which("pgbench")


def pgbench_script(statements: list[tuple[str, object]]) -> str:
    """A pgbench script that sends a page's SELECT statements as the page sent them (parameters inlined by the
    driver's own quoting): one pgbench transaction is the SQL of one page."""
    import psycopg

    with db.engine.raw_connection() as raw:
        cursor = psycopg.ClientCursor(raw.driver_connection)
        lines = [" ".join(cursor.mogrify(sql, parameters).split()) + ";" for sql, parameters in statements
                 if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    return "\n".join(lines) + "\n"


def pg_capacity(statements, *, clients: int, seconds: float) -> float | None:
    """Queue pages' worth of SQL per second that PostgreSQL answers with `clients` connections (pgbench, the
    page's statements as recorded); None without pgbench."""
    import tempfile

    program = _pgbench()
    if program is None or not statements:
        return None
    url = db.engine.url
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(pgbench_script(statements))
    try:
        env = {**os.environ, "PGPASSWORD": url.password or ""}
        done = subprocess.run(
            [program, "-n", "-c", str(clients), "-j", str(clients), "-T", str(int(seconds)), "-f", script.name,
             "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
             url.database], capture_output=True, text=True, env=env, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    found = re.search(r"tps = ([0-9.]+)", done.stdout)
    if done.returncode != 0 or not found:
        raise BenchError("pgbench mislukte: " + (done.stderr or done.stdout)[-500:])
    return float(found.group(1))


# --- the command --------------------------------------------------------------------------------------------


def data_size() -> dict[str, int]:
    tables = ("support_requests", "events", "clubs", "loketten", "teams", "users", "memberships")
    return {name: db.session.scalar(text(f"SELECT count(*) FROM {name}")) for name in tables}


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs{memory}"


def reference_loop_ms() -> float:
    """How long this machine takes for a fixed piece of plain Python now (the best of three). The machine here is
    shared: the same page's figures moved by a quarter between runs, and this loop with them, so a table says
    how fast the machine was while it was measured."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


def commit_id() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@bench_cli.command("run")
@click.option("--runs", default=30, show_default=True, type=click.IntRange(30), help="Gemeten keren per meting.")
@click.option("--warmup", default=3, show_default=True, type=click.IntRange(1), help="Opwarmrondes vooraf.")
@click.option("--explain", is_flag=True, help="EXPLAIN (ANALYZE, BUFFERS) van de traagste query per meting.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Gelijktijdige clients tegen gunicorn.")
@click.option("--seconds", default=10.0, show_default=True, type=click.FloatRange(1, 120),
              help="Zo lang belast de gelijktijdige client gunicorn.")
@click.option("--no-gunicorn", is_flag=True, help="Alleen de metingen in dit proces.")
@click.option("--only", default=None, help="Alleen metingen waarvan de naam dit bevat.")
@click.option("--statements", "show_statements", is_flag=True,
              help="Per meting de SQL-opdrachten van de laatste keer, met hun tijd.")
@click.option("--password", envvar="BENCH_PASSWORD", default=None,
              help="Wachtwoord van de gebruikers (standaard dat van de benchmark- of demogegevens).")
@click.option("--profile", default=0, show_default=True, type=click.IntRange(0, 200),
              help="Per meting de N functies met de meeste tijd (cProfile over de gemeten keren; trager gemeten).")
def run_command(runs, warmup, explain, concurrency, seconds, no_gunicorn, only, show_statements, password,
                profile):
    """De belangrijkste pagina's meten: p50/p95, SQL, render-tijd; daarna gunicorn onder belasting."""
    app = current_app._get_current_object()
    app.config["TEMPLATES_AUTO_RELOAD"] = False
    app.jinja_env.auto_reload = False
    app.config["RATELIMIT_ENABLED"] = False
    app.config["MAIL_PREVIEW"] = False
    logging.getLogger("loket.services.messaging.mail").setLevel(logging.WARNING)
    url = db.engine.url
    size = data_size()
    click.echo(f"Loket benchmark — commit {commit_id()}, {machine()}, {url.get_backend_name()} "
               f"{url.database}")
    click.echo("Data: " + ", ".join(f"{name} {count:,}" for name, count in size.items()))
    loop_before = reference_loop_ms()
    cast = cast_from_database()
    click.echo(f"Measured as: loket team {cast.loket_team.id} ({cast.loket_supporter.email}), "
               f"club {cast.club_id}, request {cast.detail_request_id}, search word {cast.search_word!r}")
    chosen = measurements(app, cast, password)
    db.session.rollback()
    bench = Bench(app, runs=runs, warmup=warmup, explain=explain, profile=profile)
    results = []
    for m in chosen:
        if only and only not in m.name:
            continue
        click.echo(f"  {m.name} …", err=True)
        results.append(bench.measure(m))
    if not no_gunicorn and (not only or only in "gunicorn"):
        supporter = chosen[0].session
        with gunicorn(url.render_as_string(hide_password=False).replace("+psycopg", "")) as port:
            rps, latencies, errors = load(port, "/wachtrij/", supporter.cookie_header(), concurrency=concurrency,
                                          seconds=seconds)
        result = Result(f"gunicorn 2 workers, queue, {concurrency} clients", THROUGHPUT, totals=latencies,
                        rps=rps, note=f"{errors} errors" if errors else "")
        results.append(result)
        queue = next((r for r in results if r.name == chosen[0].name and r.sent_with_parameters), None)
        tps = pg_capacity(queue.sent_with_parameters if queue else bench.statements_of(chosen[0]),
                          clients=concurrency, seconds=seconds)
        if tps is not None:
            results.append(Result(f"PostgreSQL alone: queue pages/s, {concurrency} clients", Target(None, None),
                                  rps=tps, note="pgbench", informative=True))
    click.echo("")
    click.echo(f"Python reference loop (the machine's speed): {loop_before:.0f} ms before, "
               f"{reference_loop_ms():.0f} ms after")
    click.echo(table(results))
    if show_statements:
        for r in results:
            if r.sent:
                click.echo(f"\n== {r.name}: {len(r.sent)} statements")
                for ms, sql in r.sent:
                    click.echo(f"{ms:8.2f} ms  {' '.join(sql.split())[:300]}")
    if profile:
        click.echo("\n(Under the profiler the times above are inflated: measure without --profile for figures.)")
        for r in results:
            if r.profile:
                click.echo(f"\n== {r.name}: where the time went\n{r.profile}")
    if explain:
        for r in results:
            if r.explain:
                click.echo(f"\n== {r.name}: slowest statement\n{r.slowest[0]}\n-- parameters: {r.slowest[1]!r}\n"
                           f"{r.explain}")
