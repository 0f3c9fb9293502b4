"""`make loadtest`: Loket under load and faults, counted afterwards (issue #13, point 11).

Starts everything itself on 127.0.0.1 — a throwaway PostgreSQL 15 cluster, redis-server, gunicorn (4 workers),
two RQ workers (`flask worker`), the planner (`flask scheduler`) and a fake SendGrid that records every mail —
then lets N concurrent API clients (club contacts with their own tokens) file requests and reply to each.
While they run it restarts PostgreSQL once, stops Redis for 20 s once and kills one RQ worker (started again
after 5 s, as its supervisor would). Every write carries an `Idempotency-Key`, and a client retries a failed
write with the same key, as a careful client does.

Afterwards it counts, from the database and from what the fake SendGrid received:
- requests and replies: exactly one per write the clients made (lost: missing; duplicated: more than one);
- mails: every outbox mail handed to SendGrid exactly once (lost: a sent/due row never received; duplicated: an
  outbox key received twice; `mogelijk verzonden`: rows the delivery left undecided after a crash, the
  documented window);
- 5xx answers, split into the 3 s after the PostgreSQL restart and everything else;
and prints throughput, p50/p95, errors, lost and duplicated per phase (before and after each fault).
Exit status 1 when anything is lost or duplicated or a 5xx fell outside the restart window.

    .venv/bin/python tools/loadtest.py [--requests 10000] [--clients 50] [--no-faults]
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from throwaway_postgres import PG_BIN, ThrowawayPostgres, free_port

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESTART_WINDOW_SECONDS = 3.0
TITLE_PREFIX = "Belasting-"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_until(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception:  # noqa: BLE001 - a service that is still starting answers with errors
            result = None
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


# ------------------------------------------------------------------------------------------------ services

class Services:
    """The throwaway PostgreSQL and Redis servers, in one temporary folder, on free loopback ports."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="loket-loadtest-"))
        self.pg_port, self.redis_port = free_port(), free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.postgres = ThrowawayPostgres(self.folder / "pg", self.pg_port,
                                          settings="-c max_connections=200 -c fsync=on")

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/postgres"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def start_postgres(self) -> None:
        self.postgres.start()

    def restart_postgres(self) -> None:
        self.postgres.restart()

    def start_redis(self) -> None:
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.redis_port),
                        "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                        "--pidfile", str(self.folder / "redis.pid"), "--logfile", str(self.folder / "redis.log")],
                       check=True)
        wait_until(lambda: socket.create_connection(("127.0.0.1", self.redis_port), 0.5), 10, "redis")

    def stop_redis(self) -> None:
        pid = int((self.folder / "redis.pid").read_text())
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10, "redis to stop")

    def stop(self) -> None:
        try:
            self.stop_redis()
        except (OSError, ValueError, RuntimeError):
            pass
        self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Processes:
    """gunicorn, the RQ workers and the planner, each in its own process group so a fault can kill one."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder = env, folder
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        out = open(self.folder / f"{name}.log", "ab")
        process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running[name] = process
        return process

    def kill_hard(self, name: str) -> None:
        """SIGKILL a process (a worker runs its jobs itself: no work horse to kill with it)."""
        process = self.running[name]
        process.kill()
        process.wait()

    def restart(self, name: str, command: list[str]) -> None:
        """Start a killed process again, as its supervisor (systemd's Restart=) would."""
        self.start(name, command)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------------ clients

@dataclass
class Answer:
    kind: str  # "request" or "reply"
    status: int | None  # None: no answer (connection refused, reset, timed out)
    started: float
    seconds: float


@dataclass
class ClientResult:
    answers: list[Answer] = field(default_factory=list)
    created: int = 0
    replied: int = 0
    gave_up: list[str] = field(default_factory=list)


class Client(threading.Thread):
    """One club contact: files its share of requests and replies to each, retrying with the same key."""

    def __init__(self, index: int, port: int, token: str, club_id: int, count: int, progress, deadline: float):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index, self.port, self.token, self.club_id, self.count = index, port, token, club_id, count
        self.progress, self.deadline = progress, deadline
        self.result = ClientResult()
        self.connection = None

    def run(self):
        for number in range(self.count):
            title = f"{TITLE_PREFIX}{self.index:03d}-{number:05d}"
            created = self.write("request", "/api/v1/requests",
                                 {"club": self.club_id, "category": "overig", "title": title,
                                  "description": f"Vraag {number} van belastingclient {self.index}."})
            self.progress()
            if created is None:
                self.result.gave_up.append(title)
                continue
            self.result.created += 1
            replied = self.write("reply", f"/api/v1/requests/{created['id']}/messages",
                                 {"body": f"Aanvulling op {title}: graag snel contact."})
            self.progress()
            if replied is None:
                self.result.gave_up.append(f"reply to {title}")
            else:
                self.result.replied += 1

    def write(self, kind: str, path: str, body: dict) -> dict | None:
        """POST until a 201 (or a replayed 201), with one Idempotency-Key for every attempt."""
        key = str(uuid.uuid4())
        payload = json.dumps(body)
        pause = 0.2
        while time.monotonic() < self.deadline:
            started = time.monotonic()
            status, answer = self.post(path, payload, key)
            self.result.answers.append(Answer(kind, status, started, time.monotonic() - started))
            if status == 201:
                return answer
            if status is not None and 400 <= status < 500 and status not in (409, 429):
                raise RuntimeError(f"{kind} {path} answered {status}: {answer}")
            time.sleep(pause)
            pause = min(pause * 2, 3.0)
        return None

    def post(self, path: str, payload: str, key: str):
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request("POST", path, payload, {
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                "Idempotency-Key": key})
            response = self.connection.getresponse()
            data = response.read()
            try:
                answer = json.loads(data) if data else None
            except ValueError:
                answer = data[:200]
            return response.status, answer
        except (OSError, http.client.HTTPException):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return None, None


# ------------------------------------------------------------------------------------------------ the run

def prepare_database(env: dict, clients: int) -> list[tuple[str, int]]:
    """Schema, reference and demo data, then one club with one contact and an API token per client."""
    for step in (["db", "upgrade"], ["seed", "reference"], ["seed", "demo"]):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *step], cwd=REPO, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    script = f"""
import json, sys
from wsgi import app
from loket.services.network import api_tokens, clubs, users
from loket.services.network.users import MembershipSpec
credentials = []
with app.app_context():
    for index in range({clients}):
        club = clubs.create_club(f"Belastingclub {{index:03d}}", "vereniging", "GM0344", ["voetbal"])
        email = f"belasting{{index:03d}}@loadtest.loket.example"
        users.create_user(email=email, name=f"Contact {{index:03d}}", password="belasting-wachtwoord-2026",
                          memberships=[MembershipSpec(role="club", club=club.id)])
        credentials.append((api_tokens.issue_token(email, "belasting-wachtwoord-2026").token, club.id))
json.dump(credentials, sys.stdout)
"""
    done = subprocess.run([str(BIN / "python"), "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"preparing the club contacts failed:\n{done.stderr[-3000:]}")
    return [tuple(pair) for pair in json.loads(done.stdout.strip().splitlines()[-1])]


def run(arguments) -> int:
    sys.path.insert(0, str(REPO))
    from tests.fakes.sendgrid import FakeSendGrid

    services = Services()
    fake = FakeSendGrid(api_key="loadtest-key", tolerate=()).start()
    processes = None
    try:
        log(f"PostgreSQL on :{services.pg_port}, Redis on :{services.redis_port}, fake SendGrid at {fake.url}")
        services.start_postgres()
        services.start_redis()
        web_port = free_port()
        env = {**os.environ, "LOKET_CONFIG": "production", "SECRET_KEY": secrets.token_hex(32),
               "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
               "MAIL_PROVIDER": "sendgrid", "SENDGRID_API_KEY": "loadtest-key", "SENDGRID_API_HOST": fake.url,
               "BASE_URL": f"http://127.0.0.1:{web_port}", "LOGIN_RATE_LIMIT": "1000 per minute",
               "LOKET_DATA_DIR": os.environ.get("LOKET_DATA_DIR", str(REPO.parent / "shared" / "data"))}
        log("schema, reference and demo data, club contacts")
        credentials = prepare_database(env, arguments.clients)

        processes = Processes(env, services.folder)
        processes.start("gunicorn", [str(BIN / "gunicorn"), "-w", str(arguments.web_workers), "-b",
                                     f"127.0.0.1:{web_port}", "--timeout", "60", "wsgi:app"])
        worker_command = [str(BIN / "flask"), "--app", "wsgi", "worker"]
        for number in range(arguments.rq_workers):
            processes.start(f"worker-{number}", worker_command)
        processes.start("scheduler", [str(BIN / "flask"), "--app", "wsgi", "scheduler", "--interval", "5"])
        wait_until(lambda: http.client.HTTPConnection("127.0.0.1", web_port, timeout=2).request("GET", "/")
                   or True, 30, "gunicorn")

        total_ops = 2 * arguments.requests
        done = Counter()
        lock = threading.Lock()

        def progress():
            with lock:
                done["ops"] += 1

        deadline = time.monotonic() + arguments.max_seconds
        share, extra = divmod(arguments.requests, arguments.clients)
        clients = [Client(i, web_port, token, club_id, share + (i < extra), progress, deadline)
                   for i, (token, club_id) in enumerate(credentials)]
        faults = []  # (name, monotonic time)
        log(f"{arguments.clients} clients file {arguments.requests} requests and reply to each")
        started = time.monotonic()
        for client in clients:
            client.start()

        def fault_at(fraction, name, action):
            wait_until(lambda: done["ops"] >= fraction * total_ops or not any(c.is_alive() for c in clients),
                       arguments.max_seconds, name, interval=0.05)
            if not any(c.is_alive() for c in clients):
                return
            moment = time.monotonic()
            log(f"fault: {name}")
            action()
            faults.append((name, moment, time.monotonic()))

        if not arguments.no_faults:
            fault_at(0.2, "PostgreSQL restart", services.restart_postgres)

            def redis_outage():
                services.stop_redis()
                time.sleep(arguments.redis_outage_seconds)
                services.start_redis()
            fault_at(0.45, f"Redis stopped for {arguments.redis_outage_seconds:.0f} s", redis_outage)

            def worker_crash():
                processes.kill_hard("worker-0")
                if arguments.worker_restart_seconds >= 0:
                    time.sleep(arguments.worker_restart_seconds)
                    processes.restart("worker-0", worker_command)
            fault_at(0.7, "RQ worker killed", worker_crash)
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        log(f"clients done in {elapsed:.1f} s; waiting for the outbox to drain")
        drained = drain(env, arguments.drain_seconds)
        report = count(env, services, fake, clients, faults, started, elapsed, drained, arguments)
        print(report["text"], flush=True)
        return 0 if report["clean"] else 1
    finally:
        if processes is not None:
            processes.stop_all()
        fake.stop()
        services.stop()


def _sql(env: dict, query: str):
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(query).fetchall()


def drain(env: dict, seconds: float) -> bool:
    """Wait until no outbox row is pending, enqueued or sending (or the time is up)."""
    try:
        wait_until(lambda: _sql(env, "SELECT count(*) FROM outbox WHERE status IN ('pending', 'enqueued', "
                                     "'sending')")[0][0] == 0, seconds, "the outbox to drain", interval=2)
        return True
    except RuntimeError:
        return False


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def count(env, services, fake, clients, faults, started, elapsed, drained, arguments) -> dict:
    answers = [answer for client in clients for answer in client.result.answers]
    titles = Counter(dict(_sql(env, f"SELECT title, count(*) FROM support_requests "
                                    f"WHERE title LIKE '{TITLE_PREFIX}%' GROUP BY title")))
    replies = dict(_sql(env, f"SELECT r.title, count(e.id) FROM support_requests r LEFT JOIN events e "
                             f"ON e.request_id = r.id AND e.kind = 'public_reply' "
                             f"WHERE r.title LIKE '{TITLE_PREFIX}%' GROUP BY r.title"))
    expected = [f"{TITLE_PREFIX}{c.index:03d}-{n:05d}" for c in clients for n in range(c.count)]
    lost_requests = sum(1 for title in expected if titles[title] == 0)
    duplicated_requests = sum(n - 1 for n in titles.values() if n > 1)
    lost_replies = sum(1 for title in expected if titles[title] and replies.get(title, 0) == 0)
    duplicated_replies = sum(n - 1 for n in replies.values() if n > 1)

    rows = _sql(env, "SELECT idempotency_key, status, coalesce(last_error, '') FROM outbox WHERE kind = 'email'")
    received = Counter(call.key for call in fake.accepted)
    sent_rows = {key for key, status, _ in rows if status == "sent"}
    undecided = [key for key, status, error in rows if status == "failed" and "mogelijk verzonden" in error.lower()]
    other_failed = [key for key, status, error in rows if status == "failed" and key not in undecided]
    mails_lost = sum(1 for key in sent_rows if received[key] == 0)
    mails_unsent = sum(1 for key, status, _ in rows if status in ("pending", "enqueued", "sending"))
    mails_duplicated = sum(n - 1 for n in received.values() if n > 1)
    unknown_keys = sum(1 for key in received if key not in {row[0] for row in rows})

    # The grace period: from the moment the restart began until 3 s after PostgreSQL answered again, by the
    # time each answer came back (a request sent just before the restart may fail during it).
    restart = next(((begin, end) for name, begin, end in faults if name.startswith("PostgreSQL")), None)
    in_window = [a for a in answers if a.status and a.status >= 500 and restart is not None
                 and restart[0] <= a.started + a.seconds <= restart[1] + RESTART_WINDOW_SECONDS]
    server_errors = [a for a in answers if a.status and a.status >= 500 and a not in in_window]
    no_answer = [a for a in answers if a.status is None]

    lines = [
        "", f"Load test: {arguments.clients} clients, {len(expected)} requests + replies, "
            f"{arguments.web_workers} gunicorn workers, {arguments.rq_workers} RQ workers, PostgreSQL 15, Redis",
        f"elapsed {elapsed:.1f} s, {len(answers)} POSTs answered or failed, "
        f"{(titles.total() + sum(replies.values())) / elapsed:.1f} stored writes/s",
        "",
        f"{'phase':<34} {'POSTs':>7} {'per s':>7} {'p50 ms':>7} {'p95 ms':>7} {'5xx':>5} {'no answer':>9}",
    ]
    edges = [("start", started)] + [(name, begin) for name, begin, _ in faults] + [("end", started + elapsed)]
    for (name, begin), (_, end) in zip(edges, edges[1:]):
        phase = [a for a in answers if begin <= a.started < end]
        seconds = max(end - begin, 1e-9)
        ok = [a.seconds * 1000 for a in phase if a.status == 201]
        label = "before the first fault" if name == "start" else f"after {name}"
        lines.append(f"{label:<34} {len(phase):>7} {len(phase) / seconds:>7.1f} {_percentile(ok, .5):>7.1f} "
                     f"{_percentile(ok, .95):>7.1f} {sum(1 for a in phase if a.status and a.status >= 500):>5} "
                     f"{sum(1 for a in phase if a.status is None):>9}")
    all_ok = [a.seconds * 1000 for a in answers if a.status == 201]
    lines += [
        f"{'whole run':<34} {len(answers):>7} {len(answers) / elapsed:>7.1f} {_percentile(all_ok, .5):>7.1f} "
        f"{_percentile(all_ok, .95):>7.1f} {sum(1 for a in answers if a.status and a.status >= 500):>5} "
        f"{len(no_answer):>9}",
        "",
        f"requests: {titles.total()} stored of {len(expected)} — lost {lost_requests}, "
        f"duplicated {duplicated_requests}",
        f"replies:  {sum(replies.values())} stored — lost {lost_replies}, duplicated {duplicated_replies}",
        f"mails:    {len(rows)} outbox mails, {len(sent_rows)} sent, {sum(received.values())} received by SendGrid"
        f" — lost {mails_lost}, duplicated {mails_duplicated}, unknown {unknown_keys}, still unsent "
        f"{mails_unsent}{'' if drained else ' (drain timed out)'}, failed {len(other_failed)}, "
        f"'mogelijk verzonden' (the documented window) {len(undecided)}",
        f"5xx:      {len(in_window)} within {RESTART_WINDOW_SECONDS:.0f} s after the PostgreSQL restart, "
        f"{len(server_errors)} elsewhere; {len(no_answer)} attempts without an answer (retried)",
        f"gave up:  {sum(len(c.result.gave_up) for c in clients)} writes after {arguments.max_seconds:.0f} s",
        "statuses: " + ", ".join(f"{status}: {n}" for status, n in sorted(
            Counter(a.status or 0 for a in answers).items())),
    ]
    clean = not (lost_requests or duplicated_requests or lost_replies or duplicated_replies or mails_lost
                 or mails_duplicated or unknown_keys or mails_unsent or other_failed or server_errors)
    lines.append("result:   " + ("clean — nothing lost, nothing duplicated" if clean else "NOT CLEAN"))
    return {"text": "\n".join(lines), "clean": clean}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument("--redis-outage-seconds", type=float, default=20)
    parser.add_argument("--max-seconds", type=float, default=1800, help="the clients give up after this")
    parser.add_argument("--drain-seconds", type=float, default=600, help="waiting for the outbox afterwards")
    parser.add_argument("--worker-restart-seconds", type=float, default=5,
                        help="the killed worker starts again after this, as under systemd (negative: never)")
    parser.add_argument("--no-faults", action="store_true")
    arguments = parser.parse_args(argv)
    if not PG_BIN.exists() or shutil.which("redis-server") is None:
        print("make loadtest needs PostgreSQL 15 (/usr/lib/postgresql/15/bin) and redis-server", file=sys.stderr)
        return 2
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
