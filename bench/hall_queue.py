"""Benchmark of the hall queue: N clients issuing and calling tickets against the production
server (`chuangkou serve --workers 4`) on PostgreSQL, beside the same operations done directly
on the database in a bare loop (the services called in this process, no HTTP).

    /work/venv/bin/python bench/hall_queue.py [--small | --full] [--clients N] [--cycles N]

Each client is a clerk at a window of its own (token auth): in every cycle it issues a ticket
(POST /api/v1/hall/tickets), calls the next one for its window (POST …/desk/call-next) and, when
it got one, starts and finishes it. At the end every ticket must have been issued with a unique
number, called at most once, and either finished or still waiting (no duplicate, no lost
ticket). The script creates a PostgreSQL database of its own (BENCH_PG_URL names the server,
default postgres://postgres@127.0.0.1:5432/postgres), starts the server on a free port, prints
throughput and p50/p99 latency per operation (medians of --runs runs) with the app ÷ bare
ratio, then stops the server and drops the database.
"""

import argparse
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
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
OPS = ("issue", "call", "start", "finish")


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


def setup_django(db_url: str, data_dir: str) -> None:
    os.environ.update(
        DATABASE_URL=db_url,
        CHUANGKOU_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="chuangkou.settings",
        SECURE_COOKIES="0",
    )
    sys.path.insert(0, str(ROOT / "src"))
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


# -- the two loops ----------------------------------------------------------------------------


def bare_loop(queues, desks, cycles: int) -> dict:
    """The same cycle, directly through the services, one after another."""
    from chuangkou.hall import services

    user, window, _ = desks[0]
    latency = defaultdict(list)
    issued, called = [], []
    started = time.perf_counter()
    for i in range(cycles):
        t = time.perf_counter()
        issued.append(services.issue_ticket(actor=user, queue=queues[i % 2]).pk)
        latency["issue"].append(time.perf_counter() - t)
        t = time.perf_counter()
        ticket = services.call_next_ticket(actor=user, window=window)
        latency["call"].append(time.perf_counter() - t)
        if ticket is None:
            continue
        called.append(ticket.pk)
        t = time.perf_counter()
        services.start_ticket(actor=user, ticket=ticket, window=window)
        latency["start"].append(time.perf_counter() - t)
        t = time.perf_counter()
        services.finish_ticket(actor=user, ticket=ticket, window=window)
        latency["finish"].append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed, "latency": latency, "issued": issued, "called": called}


class Client(threading.Thread):
    """One clerk at one window, talking to the server over a kept-alive HTTP connection."""

    def __init__(self, port, token, window_id, queue_ids, cycles, barrier):
        super().__init__(daemon=True)
        self.port, self.token, self.window_id = port, token, window_id
        self.queue_ids, self.cycles, self.barrier = queue_ids, cycles, barrier
        self.latency = defaultdict(list)
        self.issued: list[int] = []
        self.called: list[int] = []
        self.errors: list[str] = []

    def post(self, conn, path: str, body: dict, op: str):
        data = json.dumps(body)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        t = time.perf_counter()
        conn.request("POST", "/api/v1/hall" + path, data, headers)
        response = conn.getresponse()
        payload = response.read()
        self.latency[op].append(time.perf_counter() - t)
        if response.status >= 300:
            self.errors.append(f"{op} {response.status} {payload[:200]!r}")
            return None
        return json.loads(payload)

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        window = {"window_id": self.window_id}
        self.barrier.wait()
        for i in range(self.cycles):
            queue_id = self.queue_ids[i % len(self.queue_ids)]
            issued = self.post(
                conn, "/tickets", {"queue_id": queue_id, "channel": "kiosk"}, "issue"
            )
            if issued:
                self.issued.append(issued["ticket"]["id"])
            got = self.post(conn, "/desk/call-next", window, "call")
            if not got or got["ticket"] is None:
                continue
            ticket_id = got["ticket"]["id"]
            self.called.append(ticket_id)
            self.post(conn, f"/tickets/{ticket_id}/start", window, "start")
            self.post(conn, f"/tickets/{ticket_id}/finish", window, "finish")
        conn.close()


def warm_up(port: int, token: str, requests: int) -> None:
    """Let every worker import the application before anything is measured."""
    headers = {"Authorization": f"Bearer {token}"}

    def hit() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(4):
            conn.request("GET", "/api/v1/hall/queues", headers=headers)
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=hit) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def app_loop(port: int, queues, desks, cycles: int) -> dict:
    barrier = threading.Barrier(len(desks) + 1)
    clients = [
        Client(port, token, window.pk, [q.pk for q in queues], cycles, barrier)
        for _, window, token in desks
    ]
    for c in clients:
        c.start()
    barrier.wait()
    started = time.perf_counter()
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - started
    latency = defaultdict(list)
    for c in clients:
        for op, values in c.latency.items():
            latency[op].extend(values)
    return {
        "elapsed": elapsed,
        "latency": latency,
        "issued": [pk for c in clients for pk in c.issued],
        "called": [pk for c in clients for pk in c.called],
        "errors": [e for c in clients for e in c.errors],
    }


# -- the server -------------------------------------------------------------------------------


def start_server(port: int, env: dict, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "chuangkou.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("the server did not come up within 60 s")


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
    requests = sum(len(v) for v in run["latency"].values())
    return {
        "ops_per_s": requests / run["elapsed"],
        "cycles_per_s": len(run["issued"]) / run["elapsed"],
        **{f"{op}_p50": percentile(run["latency"][op], 50) * 1000 for op in OPS},
        **{f"{op}_p99": percentile(run["latency"][op], 99) * 1000 for op in OPS},
    }


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def print_report(app: dict, bare: dict, args, integrity: list[dict]) -> None:
    print()
    print(f"hall queue benchmark: {args.clients} clients × {args.cycles} cycles, ", end="")
    print(f"server `chuangkou serve --workers {args.workers}` on PostgreSQL, {args.runs} run(s)")
    print(f"{'':26}{'app (HTTP)':>14}{'bare loop':>14}{'app ÷ bare':>12}")
    for label, key in (("operations / s", "ops_per_s"), ("ticket cycles / s", "cycles_per_s")):
        ratio = app[key] / bare[key]
        print(f"{label:26}{app[key]:>14.1f}{bare[key]:>14.1f}{ratio:>12.2f}")
    for op in OPS:
        for p in ("p50", "p99"):
            key = f"{op}_{p}"
            line = f"{op + ' ' + p + ' (ms)':26}{app[key]:>14.1f}{bare[key]:>14.1f}"
            print(line + f"{app[key] / bare[key]:>12.2f}")
    print()
    for i, check in enumerate(integrity, start=1):
        flags = ", ".join(f"{k}={v}" for k, v in check.items())
        print(f"run {i} integrity: {flags}")
    ok = all(all(v for k, v in c.items() if k != "tickets") for c in integrity)
    print("no duplicate and no lost ticket: " + ("yes" if ok else "NO"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="4 clients × 15 cycles, 1 run")
    parser.add_argument("--full", action="store_true", help="32 clients × 150 cycles, 3 runs")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--cycles", type=int)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    size = (4, 15, 1) if args.small else (32, 150, 3) if args.full else (8, 40, 3)
    args.clients = args.clients or size[0]
    args.cycles = args.cycles or size[1]
    args.runs = args.runs or size[2]

    db_name = f"ck_bench_hall_{os.getpid()}"
    parts = urlsplit(PG_URL)
    db_url = parts._replace(path=f"/{db_name}").geturl()
    data_dir = tempfile.mkdtemp(prefix="ck-bench-hall-")
    admin_sql(f'CREATE DATABASE "{db_name}"')
    server = None
    integrity_ok = True
    try:
        setup_django(db_url, data_dir)
        queues, desks = create_hall(args.clients)
        from django.db import connections

        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "ERROR"}
        server = start_server(free_port(), env, args.workers)
        port = int(server.args[server.args.index("--port") + 1])
        warm_up(port, desks[0][2], requests=args.workers * 4)
        app_runs, bare_runs, integrity = [], [], []
        for _ in range(args.runs):
            clear_tickets()
            connections.close_all()
            run = app_loop(port, queues, desks, args.cycles)
            if run["errors"]:
                print("errors from the server:", *run["errors"][:5], sep="\n  ")
                integrity_ok = False
            integrity.append(check_integrity(run["issued"], run["called"]))
            app_runs.append(summary(run))
            clear_tickets()
            bare = bare_loop(queues, desks, args.clients * args.cycles)
            bare_runs.append(summary(bare))
        print_report(median_of(app_runs), median_of(bare_runs), args, integrity)
        integrity_ok = integrity_ok and all(
            all(v for k, v in c.items() if k != "tickets") for c in integrity
        )
    finally:
        if server is not None:
            stop_server(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not have been set up
            pass
        admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return 0 if integrity_ok else 1


if __name__ == "__main__":
    sys.exit(main())
