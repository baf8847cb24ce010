"""Benchmark of the hall queue: N clients issuing and calling tickets against the production
server (`chuangkou serve --workers 4`), beside a minimal Django view doing the essential write
the cheapest way under the same gunicorn settings (bench/baseline_app.py: one INSERT per issue,
one UPDATE … SKIP LOCKED … RETURNING per call), on PostgreSQL and SQLite; and beside a
second baseline, the same app with BASELINE_AUTH=1 ("baseline + token"), which first checks the
request's bearer token in one indexed SELECT by the key's hash (the part of a request the app
cannot skip: its API is token-only), so that app ÷ (baseline + token) shows the app's overhead
beyond the cheapest real authentication.

    .venv/bin/python bench/hall_queue.py [--db pg sqlite] [--clients 8 32] [--ops N] [--runs N]
        [--no-worker] [--no-auth-baseline]
    BENCH_PROFILE=/tmp/app.txt …   # also py-spy's collapsed stacks of the app's processes (40 s)

Each client is a clerk at a window of its own (token auth) serving both queues, and also a
lobby manager: it issues on someone's behalf (帮办), since the kiosk channel is rate-limited per
address (60 a minute) and every client here has the same address. Phase 1: the
clients issue --ops tickets between them (POST /api/v1/hall/tickets); phase 2: each calls the
next ticket for its window (POST …/desk/call-next), starts and finishes it before calling
again, until every ticket is called. Issue rate = tickets / wall time of phase 1; call rate =
clients ÷ mean call latency (phase 2 also carries the start/finish requests, which compete with
the calls); cycles / s = tickets called, started and finished / wall time of phase 2. The
baseline servers do the same requests with their views (one statement each, plus the token's
SELECT in "baseline + token", whose clients send BASELINE_KEY), so that every
server carries the same mix.
At the end every ticket must have been issued with a unique number, called once, and finished
(no duplicate, no lost ticket). The script creates its databases (PostgreSQL: a database of
its own on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres; SQLite: a
temporary file), starts the servers on free ports (the app, the baseline, the baseline + token
unless --no-auth-baseline), runs them one after the other in each run, prints medians of --runs
runs side by side with the app ÷ baseline and app ÷ (baseline + token) ratios, then stops the
servers and drops the databases.
"""

import argparse
import functools
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src"))  # another copy of the code, to compare
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BASELINE_KEY = "bk_hall-queue-bench"  # the bearer key of the baseline + token (a local bench)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p / 100))]


# -- database ---------------------------------------------------------------------------------


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def setup_django(db_url: str | None, data_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    os.environ.update(
        CHUANGKOU_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="chuangkou.settings",
        SECURE_COOKIES="0",
    )
    sys.path.insert(0, str(SRC))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def create_hall(clients: int):
    """A center, two queues served by `clients` windows, one clerk (with a token) per window."""
    import datetime as dt

    from django.contrib.auth.models import Group

    from chuangkou.core.models import User
    from chuangkou.core.services import issue_api_token
    from chuangkou.hall.models import ServiceQueue
    from chuangkou.org.models import Center, Department, Region, Staff, Window

    region = Region.objects.create(code="990001", name="基准区", city="基准市")
    center = Center.objects.create(region=region, name="基准中心", kind=Center.Kind.MAIN)
    dept = Department.objects.create(region=region, code="BENCH", name="基准部门")
    queues = [ServiceQueue.objects.create(center=center, prefix=p, name=f"队列{p}") for p in "AB"]
    roles = Group.objects.filter(name__in=["clerk", "lobby_manager"])
    desks = []
    for i in range(clients):
        window = Window.objects.create(
            center=center, number=f"W{i:03d}", name="基准窗口", department=dept
        )
        for queue in queues:
            queue.windows.add(window)
        user = User.objects.create(username=f"bench_clerk{i:03d}")
        user.groups.set(roles)
        Staff.objects.create(
            staff_no=f"B{i:05d}",
            name=f"基准{i}",
            gender="F",
            employment_type="temporary",
            department=dept,
            center=center,
            window=window,
            hire_date=dt.date(2018, 1, 1),
            user=user,
        )
        token = issue_api_token(actor=user, name="bench")
        desks.append((user, window, token))
    return queues, desks


def clear_tickets() -> None:
    from chuangkou.hall.models import QueueCounter, Ticket, TicketEvent

    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    QueueCounter.objects.all().delete()


def check_integrity(issued: list[int], called: list[int]) -> dict:
    """No duplicate and no lost ticket: what the database holds against what the clients saw."""
    from django.db.models import Count

    from chuangkou.hall.models import Ticket, TicketEvent

    rows = list(Ticket.objects.values_list("pk", "queue_id", "seq", "status"))
    by_queue = defaultdict(list)
    for _, queue_id, seq, _ in rows:
        by_queue[queue_id].append(seq)
    gaps_or_duplicates = any(sorted(s) != list(range(1, len(s) + 1)) for s in by_queue.values())
    twice = (
        TicketEvent.objects.filter(kind="called")
        .values("ticket")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    waiting = {pk for pk, _, _, status in rows if status == "waiting"}
    done = {pk for pk, _, _, status in rows if status == "done"}
    return {
        "tickets": len(rows),
        "numbers_ok": not gaps_or_duplicates,
        "issued_all_stored": set(issued) == {pk for pk, *_ in rows},
        "called_once": len(called) == len(set(called)) and twice == 0,
        "called_done": set(called) == done,
        "none_lost": set(called) | waiting == set(issued),
    }


# -- the clients ------------------------------------------------------------------------------


class Client(threading.Thread):
    """One clerk at one window, over a kept-alive HTTP connection: issues its share of the
    tickets (phase "issue"), then calls (and in the app starts and finishes) until the queues
    are empty (phase "call"). `target` is "app" or "baseline" (either baseline server);
    `token`, when given, is sent as the bearer key."""

    def __init__(self, target, port, token, window_id, queue_ids, issues, barriers):
        super().__init__(daemon=True)
        self.target, self.port, self.token, self.window_id = target, port, token, window_id
        self.queue_ids, self.issues, self.barriers = queue_ids, issues, barriers
        self.latency = defaultdict(list)
        self.issued: list[int] = []
        self.called: list[int] = []
        self.errors: list[str] = []

    def post(self, conn, path: str, body: dict, op: str):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.target == "app":
            path = "/api/v1/hall" + path
        t = time.perf_counter()
        try:
            conn.request("POST", path, json.dumps(body), headers)
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # an idle kept-alive connection the server closed (gunicorn keepalive is 2 s)
            # before reading the request: send it again on a new one
            conn.close()
            conn.connect()
            conn.request("POST", path, json.dumps(body), headers)
            response = conn.getresponse()
        payload = response.read()
        self.latency[op].append(time.perf_counter() - t)
        if response.status >= 300:
            self.errors.append(f"{op} {response.status} {payload[:200]!r}")
            return None
        return json.loads(payload)

    def issue(self, conn, i: int) -> None:
        queue_id = self.queue_ids[i % len(self.queue_ids)]
        if self.target == "app":
            body = {"queue_id": queue_id, "channel": "lobby"}
            got = self.post(conn, "/tickets", body, "issue")
            if got:
                self.issued.append(got["ticket"]["id"])
        else:
            got = self.post(conn, "/issue", {"queue_id": queue_id}, "issue")
            if got:
                self.issued.append(got["id"])

    def call(self, conn) -> bool:
        """Call the next ticket (and finish it in the app); False when nobody is waiting."""
        if self.target == "baseline":
            body = {"queue_ids": self.queue_ids, "window_id": self.window_id}
            got = self.post(conn, "/call", body, "call")
        else:
            got = self.post(conn, "/desk/call-next", {"window_id": self.window_id}, "call")
        if not got or got["ticket"] is None:
            return False
        ticket_id = got["ticket"]["id"]
        self.called.append(ticket_id)
        window = {"window_id": self.window_id}
        prefix = "/tickets" if self.target == "app" else ""
        self.post(conn, f"{prefix}/{ticket_id}/start", window, "start")
        self.post(conn, f"{prefix}/{ticket_id}/finish", window, "finish")
        return True

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.barriers[0].wait()
        for i in range(self.issues):
            self.issue(conn, i)
        self.barriers[1].wait()
        conn.close()  # a new connection for the second phase
        self.barriers[2].wait()
        while self.call(conn) and len(self.errors) < 20:
            pass
        conn.close()


def warm_up(port: int, path: str, headers: dict, requests: int) -> None:
    """Let every worker import the application before anything is measured."""

    def hit() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(4):
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=hit) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cpu_seconds(server: int, database: str) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server's processes (`server` and its
    descendants: gunicorn, its workers, the job worker) and by PostgreSQL's connections to
    `database`, from /proc. Unlike the rates, CPU per request hardly depends on what else the
    machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}  # pid: (parent, name, seconds)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            is_postgres = text[text.index("(") + 1 : text.rindex(")")] == "postgres"
            if (
                is_postgres
                and f" {database} ".encode() not in (stat.parent / "cmdline").read_bytes()
            ):
                continue  # another database's connection, or the server's own processes
        except OSError:  # the process ended
            continue
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        procs[int(stat.parent.name)] = (int(fields[1]), is_postgres, seconds)
    used = {"server": 0.0, "database": 0.0}
    for pid, (_, is_postgres, seconds) in procs.items():
        if is_postgres:
            used["database"] += seconds
            continue
        while pid not in (server, 0, 1) and pid in procs:
            pid = procs[pid][0]
        if pid == server:
            used["server"] += seconds
    return used


def load_run(target: str, port: int, queues, desks, ops: int, cpu, key=None) -> dict:
    """Both phases with len(desks) clients; wall times of the phases, every latency and the CPU
    the server and the database used in each phase. The app's clients send their own tokens,
    a baseline's clients `key` (none for the baseline without a token check)."""
    n = len(desks)
    barriers = [threading.Barrier(n + 1) for _ in range(3)]
    share = [ops // n + (1 if i < ops % n else 0) for i in range(n)]
    clients = [
        Client(
            target,
            port,
            token if target == "app" else key,
            window.pk,
            [q.pk for q in queues],
            share[i],
            barriers,
        )
        for i, (_, window, token) in enumerate(desks)
    ]
    for c in clients:
        c.start()
    barriers[0].wait()
    started, cpu_0 = time.perf_counter(), cpu()
    barriers[1].wait()
    issue_elapsed, cpu_1 = time.perf_counter() - started, cpu()
    barriers[2].wait()
    started, cpu_2 = time.perf_counter(), cpu()
    for c in clients:
        c.join()
    call_elapsed, cpu_3 = time.perf_counter() - started, cpu()
    latency = defaultdict(list)
    for c in clients:
        for op, values in c.latency.items():
            latency[op].extend(values)
    return {
        "clients": n,
        "issue_elapsed": issue_elapsed,
        "call_elapsed": call_elapsed,
        "latency": latency,
        "issued": [pk for c in clients for pk in c.issued],
        "called": [pk for c in clients for pk in c.called],
        "errors": [e for c in clients for e in c.errors],
        "cpu_issue": {k: cpu_1[k] - cpu_0[k] for k in cpu_0},
        "cpu_call": {k: cpu_3[k] - cpu_2[k] for k in cpu_2},
    }


def baseline_integrity(issued: list[int], called: list[int]) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, queue_id, seq, status FROM base_ticket")
        rows = cursor.fetchall()
    by_queue = defaultdict(list)
    for _, queue_id, seq, _ in rows:
        by_queue[queue_id].append(seq)
    return {
        "tickets": len(rows),
        "numbers_ok": all(sorted(s) == list(range(1, len(s) + 1)) for s in by_queue.values()),
        "issued_all_stored": set(issued) == {r[0] for r in rows},
        "called_once": len(called) == len(set(called)),
        "called_done": set(called) == {r[0] for r in rows if r[3] == "done"},
        "none_lost": set(called) == set(issued),
    }


# -- the server -------------------------------------------------------------------------------


def app_command(port: int, workers: int, *, no_worker: bool = False) -> list[str]:
    command = [sys.executable, "-m", "chuangkou.cli", "serve", "--port", str(port), "--workers",
               str(workers)]  # fmt: skip
    return [*command, "--no-worker"] if no_worker else command


def baseline_command(port: int, workers: int) -> list[str]:
    """gunicorn with the flags `chuangkou serve` passes (cli.gunicorn_command: threads, access
    log and its logger, preload), serving the baseline app instead."""
    from types import SimpleNamespace

    from chuangkou.cli import gunicorn_command

    command = gunicorn_command(SimpleNamespace(host="127.0.0.1", port=port, workers=workers))
    at = command.index("chuangkou.wsgi:application")
    command[at : at + 1] = ["baseline_app:application", "--chdir", str(ROOT / "bench")]
    return command


def start_server(command: list[str], env: dict, port: int, health: str) -> subprocess.Popen:
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{health}", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("the server did not come up within 90 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the group this script started for the server
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# -- report -----------------------------------------------------------------------------------


def summary(run: dict) -> dict:
    lat = run["latency"]
    calls = lat["call"]
    cycle_requests = sum(len(lat[op]) for op in ("call", "start", "finish"))
    return {
        "issue_per_s": len(lat["issue"]) / run["issue_elapsed"],
        "call_per_s": run["clients"] / statistics.mean(calls) if calls else float("nan"),
        "cycle_per_s": len(run["called"]) / run["call_elapsed"],
        **{f"{op}_p50": percentile(lat[op], 50) * 1000 for op in ("issue", "call")},
        **{f"{op}_p99": percentile(lat[op], 99) * 1000 for op in ("issue", "call")},
        **{f"issue_cpu_{k}": v * 1000 / len(lat["issue"]) for k, v in run["cpu_issue"].items()},
        **{f"cycle_cpu_{k}": v * 1000 / cycle_requests for k, v in run["cpu_call"].items()},
    }


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


ROWS = (
    ("issue / s", "issue_per_s"),
    ("call-next / s", "call_per_s"),
    ("issue p50 (ms)", "issue_p50"),
    ("issue p99 (ms)", "issue_p99"),
    ("call p50 (ms)", "call_p50"),
    ("call p99 (ms)", "call_p99"),
    ("cycles / s", "cycle_per_s"),
    ("issue CPU server", "issue_cpu_server"),
    ("issue CPU database", "issue_cpu_database"),
    ("cycle CPU server", "cycle_cpu_server"),
    ("cycle CPU database", "cycle_cpu_database"),
)


def print_report(
    db: str, clients: int, app: dict, base: dict, args, integrity: list, auth: dict | None = None
) -> bool:
    """The medians side by side: app, baseline, app ÷ baseline, and, with `auth` (the medians
    of the baseline + token), two more columns: baseline + token, app ÷ (baseline + token)."""
    print()
    print(f"hall queue, {db}, {clients} clients, {args.ops} tickets, `serve --workers ", end="")
    worker = " --no-worker" if args.no_worker else ""
    print(f"{args.workers}{worker}`, median of {args.runs} run(s), load {os.getloadavg()[0]:.1f}")
    more = f"{'base+tok':>10}{'app÷b+t':>10}" if auth else ""
    print(f"{'':20}{'app':>10}{'baseline':>10}{'app÷base':>10}{more}")
    print(f"{'':20}(CPU: ms per request; a cycle is call-next, start and finish)")
    for label, key in ROWS:
        if not base[key]:  # SQLite: no database process, its work is the server's
            continue
        line = f"{label:20}{app[key]:>10.1f}{base[key]:>10.1f}{app[key] / base[key]:>10.2f}"
        if auth:
            ratio = app[key] / auth[key] if auth[key] else float("nan")
            line += f"{auth[key]:>10.1f}{ratio:>10.2f}"
        print(line)
    ok = True
    for name, check in integrity:
        flags = ", ".join(f"{k}={v}" for k, v in check.items())
        print(f"  {name} integrity: {flags}")
        ok = ok and all(v for k, v in check.items() if k != "tickets")
    print("no duplicate, no double call, no lost ticket: " + ("yes" if ok else "NO"))
    return ok


def bench_database(db: str, args) -> bool:
    """Every client count on one database, in this process (Django is set up once)."""
    data_dir = tempfile.mkdtemp(prefix="ck-bench-hall-")
    db_name = f"ck_bench_hall_{os.getpid()}"
    db_url = urlsplit(PG_URL)._replace(path=f"/{db_name}").geturl() if db == "pg" else None
    if db_url:
        admin_sql(f'CREATE DATABASE "{db_name}"')
    servers = []
    ok = True
    try:
        setup_django(db_url, data_dir)
        queues, all_desks = create_hall(max(args.clients))
        env = {**os.environ, "PYTHONPATH": str(SRC), "LOG_LEVEL": "ERROR"}
        env["BASELINE_KEY"] = BASELINE_KEY  # baseline_app.create_schema stores its token
        env.pop("DATABASE_URL", None)
        if db_url:
            env["DATABASE_URL"] = db_url
        else:
            env["BASELINE_SQLITE"] = str(Path(data_dir) / "chuangkou.sqlite3")
        from django.db import connections

        import_baseline(env)
        app_port, base_port = free_port(), free_port()
        command = app_command(app_port, args.workers, no_worker=args.no_worker)
        servers.append(start_server(command, env, app_port, "/login/"))
        if profile := os.environ.get("BENCH_PROFILE"):  # collapsed stacks of the app's processes
            spy = ["py-spy", "record", "--pid", str(servers[0].pid), "--subprocesses"]
            spy += ["--nonblocking", "--format", "raw", "--duration", "40", "--output", profile]
            subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(
            start_server(baseline_command(base_port, args.workers), env, base_port, "/ping")
        )
        if with_auth := not args.no_auth_baseline:  # the baseline + token: same app, same flags
            auth_port = free_port()
            auth_env = {**env, "BASELINE_AUTH": "1"}
            auth_command = baseline_command(auth_port, args.workers)
            servers.append(start_server(auth_command, auth_env, auth_port, "/ping"))
        token = {"Authorization": f"Bearer {all_desks[0][2]}"}
        warm_up(app_port, "/api/v1/hall/queues", token, args.workers * 4)
        warm_up(base_port, "/ping", {}, args.workers * 4)
        if with_auth:
            warm_up(auth_port, "/ping", {}, args.workers * 4)
        for clients in args.clients:
            desks = all_desks[:clients]
            app_runs, base_runs, auth_runs, integrity = [], [], [], []
            for i in range(args.runs):
                clear_tickets()
                connections.close_all()
                cpu = functools.partial(cpu_seconds, servers[0].pid, db_name)
                run = load_run("app", app_port, queues, desks, args.ops, cpu)
                ok = report_errors(run) and ok
                integrity.append(
                    (f"run {i + 1} app", check_integrity(run["issued"], run["called"]))
                )
                app_runs.append(summary(run))
                baseline_clear()
                cpu = functools.partial(cpu_seconds, servers[1].pid, db_name)
                run = load_run("baseline", base_port, queues, desks, args.ops, cpu)
                ok = report_errors(run) and ok
                check = baseline_integrity(run["issued"], run["called"])
                integrity.append((f"run {i + 1} baseline", check))
                base_runs.append(summary(run))
                if not with_auth:
                    continue
                baseline_clear()
                cpu = functools.partial(cpu_seconds, servers[2].pid, db_name)
                run = load_run("baseline", auth_port, queues, desks, args.ops, cpu, BASELINE_KEY)
                ok = report_errors(run) and ok
                check = baseline_integrity(run["issued"], run["called"])
                integrity.append((f"run {i + 1} baseline+token", check))
                auth_runs.append(summary(run))
            app, base = median_of(app_runs), median_of(base_runs)
            auth = median_of(auth_runs) if with_auth else None
            ok = print_report(db, clients, app, base, args, integrity, auth) and ok
    finally:
        for server in servers:
            stop_server(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not have been set up
            pass
        if db_url:
            admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return ok


def report_errors(run: dict) -> bool:
    if run["errors"]:
        print(f"{len(run['errors'])} errors from the server:", *run["errors"][:5], sep="\n  ")
    return not run["errors"]


def import_baseline(env: dict) -> None:
    """Create the baseline's tables (its own, beside the app's, in the same database)."""
    code = "import baseline_app; baseline_app.create_schema()"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT / "bench", check=True)


def baseline_clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM base_ticket")
        cursor.execute("DELETE FROM base_counter")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", choices=("pg", "sqlite"), default=["pg", "sqlite"])
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--ops", type=int, default=480, help="tickets per run (all clients)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="serve without its background-job worker (a code version that starts one)",
    )
    parser.add_argument(
        "--no-auth-baseline",
        action="store_true",
        help="skip the second baseline (with a bearer-token check) and its columns",
    )
    args = parser.parse_args()
    if len(args.db) > 1:  # one process per database: Django is set up once per process
        codes = [subprocess.run(argv_for(db), check=False).returncode for db in args.db]
        return max(codes)
    return 0 if bench_database(args.db[0], args) else 1


def argv_for(db: str) -> list[str]:
    """This command again for one database (argparse keeps the last --db)."""
    return [sys.executable, __file__, *sys.argv[1:], "--db", db]


if __name__ == "__main__":
    sys.exit(main())
