"""Benchmark of the hall queue against its history (issue "Speed and scale", goal History):
the queue's two operations — issue a ticket (取号, lobby channel) and call the next one (叫号) —
through the services the token API calls, timed one by one in this process, first with empty
tables, then with N tickets of earlier days and their events already in them, beside the pages
that read history (today's counts, the lobby list, the board, the hall metrics for today and for
the last half year).

    .venv/bin/python bench/hall_history.py [--db pg sqlite] [--history 1000000 ...] [--ops 200]
        [--rounds 3] [--statements] [--db-name ck_history] [--keep] [--no-summary]

--history takes one or more sizes, grown in place (10000000 for the full goal). The history is
generated inside the database (PostgreSQL: INSERT … SELECT generate_series; SQLite: a recursive
CTE), spread over the past ~3 years (1,095 days, two queues), statuses as a day ends: 93% done,
5% no-show, 1% cancelled, 1% transferred, none waiting; three events a ticket (issued, called,
done / no-show / cancelled / transferred); then vacuumed and analysed (PostgreSQL: VACUUM
(ANALYZE) and CHECKPOINT, as after a night's autovacuum, so that neither runs during the timed
operations), and the 排队日汇总 of every closed day built (the nightly job's work, which the half
year reads; --no-summary leaves it out, and the half year then counts every ticket live).
Generation times are printed. The timed work then runs on a fresh connection, as a server's
would (not on the backend that has just written millions of rows).

Each size runs --rounds rounds of --ops issues and --ops calls on an empty "today": per operation
the median and p99 of all rounds, the median of each round (the noise), and the median CPU time
(this thread's plus, on PostgreSQL, the backend's from /proc: less sensitive to the machine's
load than the wall clock), each with its ratio to the empty tables (goal: within 10%, i.e.
≤ 1.10); the medians of the history pages; the load average (min/median/max over the rounds).
--statements adds the median time of each SQL statement of the two operations (to find one that
grows with the history). Each database runs in a subprocess of its own (PostgreSQL: database
--db-name, default ck_history, on BENCH_PG_URL's server, dropped after unless --keep; SQLite: a
temporary file, removed after unless --keep).
"""

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from hall_queue import PG_URL, admin_sql, create_hall, percentile, setup_django  # noqa: E402

DB_NAME = "ck_history"
DAYS = 1095
WINDOWS = 4

# -- history generation -----------------------------------------------------------------------

# Rows g = {start} … {stop} of a batch starting at {base}: day (g − base) / (2·per_day) before
# {today}, in-day slot k = (g − base) % (2·per_day), queue k % 2 (ids {qa}, {qb}), seq k / 2 + 1
# past {off} (the numbers a day already has when the history grows); window {w}, clerk {c}.
PG_TICKETS = """
INSERT INTO hall_ticket (queue_id, service_date, seq, number, matter_id, status, channel,
    priority, priority_reason, issued_by_id, phone, window_id, clerk_id, issued_at, called_at,
    started_at, finished_at, recall_count, transferred_from_id, public_token, service_seconds)
SELECT CASE WHEN k % 2 = 0 THEN {qa} ELSE {qb} END, d, k / 2 + 1 + {off},
    CASE WHEN k % 2 = 0 THEN 'A' ELSE 'B' END || lpad((k / 2 + 1 + {off})::text, 3, '0'),
    NULL, s, 'kiosk', g % 50 = 0, CASE WHEN g % 50 = 0 THEN 'elderly' ELSE '' END, NULL, '',
    CASE WHEN s = 'cancelled' THEN NULL ELSE {w} END,
    CASE WHEN s = 'cancelled' THEN NULL ELSE {c} END,
    i, CASE WHEN s = 'cancelled' THEN NULL ELSE i + (g % 40) * interval '1 minute' END,
    CASE WHEN s = 'done' THEN i + (g % 40 + 1) * interval '1 minute' END,
    i + (g % 40 + 9) * interval '1 minute', 0, NULL, gen_random_uuid(),
    CASE WHEN s = 'done' THEN 300 + g % 600 ELSE 0 END
FROM (
    SELECT g, k, d, (d::timestamp + interval '30 minutes' + k * (28800.0 / (2 * {per_day}))
           * interval '1 second') AT TIME ZONE 'UTC' AS i,
        CASE WHEN g % 100 < 93 THEN 'done' WHEN g % 100 < 98 THEN 'no_show'
             WHEN g % 100 = 98 THEN 'cancelled' ELSE 'transferred' END AS s
    FROM (SELECT g, (g - {base}) % (2 * {per_day}) AS k,
                 DATE '{today}' - 1 - ((g - {base}) / (2 * {per_day}))::int AS d
          FROM generate_series({start}::bigint, {stop}::bigint) g) x
) y
"""

SQLITE_TICKETS = """
INSERT INTO hall_ticket (queue_id, service_date, seq, number, matter_id, status, channel,
    priority, priority_reason, issued_by_id, phone, window_id, clerk_id, issued_at, called_at,
    started_at, finished_at, recall_count, transferred_from_id, public_token, service_seconds)
WITH RECURSIVE gen(g) AS (SELECT {start} UNION ALL SELECT g + 1 FROM gen WHERE g < {stop}),
x AS (SELECT g, (g - {base}) % (2 * {per_day}) AS k,
             date('{today}', '-' || (1 + (g - {base}) / (2 * {per_day})) || ' days') AS d
      FROM gen),
y AS (SELECT g, k, d,
        datetime(d, '+' || (1800 + k * 28800 / (2 * {per_day})) || ' seconds') AS i,
        CASE WHEN g % 100 < 93 THEN 'done' WHEN g % 100 < 98 THEN 'no_show'
             WHEN g % 100 = 98 THEN 'cancelled' ELSE 'transferred' END AS s FROM x)
SELECT CASE WHEN k % 2 = 0 THEN {qa} ELSE {qb} END, d, k / 2 + 1 + {off},
    CASE WHEN k % 2 = 0 THEN 'A' ELSE 'B' END || printf('%03d', k / 2 + 1 + {off}),
    NULL, s, 'kiosk', g % 50 = 0, CASE WHEN g % 50 = 0 THEN 'elderly' ELSE '' END, NULL, '',
    CASE WHEN s = 'cancelled' THEN NULL ELSE {w} END,
    CASE WHEN s = 'cancelled' THEN NULL ELSE {c} END,
    i, CASE WHEN s = 'cancelled' THEN NULL ELSE datetime(i, '+' || (g % 40) || ' minutes') END,
    CASE WHEN s = 'done' THEN datetime(i, '+' || (g % 40 + 1) || ' minutes') END,
    datetime(i, '+' || (g % 40 + 9) || ' minutes'), 0, NULL, lower(hex(randomblob(16))),
    CASE WHEN s = 'done' THEN 300 + g % 600 ELSE 0 END
FROM y
"""

# three events a ticket of the range just inserted (ids above {after})
EVENTS = """
INSERT INTO hall_ticketevent (ticket_id, kind, at, window_id, actor_id, note)
SELECT t.id,
    CASE WHEN e.n < 3 THEN e.kind WHEN t.status = 'done' THEN 'finished' ELSE t.status END,
    CASE e.n WHEN 1 THEN t.issued_at WHEN 2 THEN COALESCE(t.called_at, t.finished_at)
             ELSE t.finished_at END,
    CASE WHEN e.n = 1 THEN NULL ELSE t.window_id END, NULL, ''
FROM hall_ticket t
CROSS JOIN (SELECT 1 AS n, 'issued' AS kind UNION ALL SELECT 2, 'called'
            UNION ALL SELECT 3, 'finished') e
WHERE t.id > {after} AND (t.status <> 'cancelled' OR e.n <> 2)
"""


def without_fk_checks(cursor) -> None:
    """PostgreSQL: no foreign-key triggers in this transaction (session_replication_role =
    replica; the bench connects as a superuser). The generated rows point at rows that exist by
    construction (the hall's queue, window and clerk; each event at a ticket just inserted), and
    Django's deferred foreign keys would otherwise look up every key of every row at COMMIT: most
    of the generation time (27 million events: minutes in the COMMIT alone)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")


def generate(size_from: int, size_to: int, hall: dict, *, events: bool = True) -> dict:
    """Add tickets size_from … size_to−1 of the history (and their events unless told not to,
    as bench/hall_figures.py, which reads no events); returns timings."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chuangkou.hall.models import Ticket

    per_day = -(-(size_to - size_from) // (2 * DAYS))
    off = hall.get("seq_off", 0)  # growing: the new rows take numbers past the earlier ones
    hall["seq_off"] = off + per_day
    template = PG_TICKETS if connection.vendor == "postgresql" else SQLITE_TICKETS
    after = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    t0 = time.perf_counter()
    chunk = 1_000_000
    with transaction.atomic(), connection.cursor() as cursor:
        without_fk_checks(cursor)
        for start in range(size_from, size_to, chunk):
            stop = min(size_to, start + chunk) - 1
            cursor.execute(
                template.format(
                    start=start,
                    stop=stop,
                    per_day=per_day,
                    base=size_from,
                    off=off,
                    today=timezone.localdate().isoformat(),
                    **hall["ids"],
                )
            )
    t1 = time.perf_counter()
    if events:
        with transaction.atomic(), connection.cursor() as cursor:
            without_fk_checks(cursor)
            cursor.execute(EVENTS.format(after=after))
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # as after a night's autovacuum: otherwise autovacuum of the new rows, hint-bit
            # writes and the checkpoint of the generation run during the timed operations
            for table in ("hall_ticket", "hall_ticketevent"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    t3 = time.perf_counter()
    return {"tickets_s": t1 - t0, "events_s": t2 - t1, "analyze_s": t3 - t2}


# -- the timed work ---------------------------------------------------------------------------


def clear_today() -> None:
    from django.utils import timezone

    from chuangkou.hall.models import QueueCounter, Ticket, TicketEvent

    today = timezone.localdate()
    TicketEvent.objects.filter(ticket__service_date=today).delete()
    Ticket.objects.filter(service_date=today).delete()
    QueueCounter.objects.filter(service_date=today).delete()


class StatementTimer:
    """With --statements: the time of each SQL statement of the timed operations, by its first
    words (to find the statement that grows with the history)."""

    def __init__(self):
        self.op = None
        self.times: dict[tuple[str, str], list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.op:
                key = (self.op, " ".join(sql.split())[:90])
                self.times.setdefault(key, []).append(time.perf_counter() - t)

    def summary(self) -> dict:
        return {f"{op}: {sql}": statistics.median(v) for (op, sql), v in sorted(self.times.items())}


class CpuClock:
    """CPU seconds spent on the operation, less sensitive to the machine's load than the wall
    clock: this thread's CPU time plus, on PostgreSQL (a server on this machine), the CPU time
    of the connection's backend process (/proc/<pid>/schedstat, in ns)."""

    def __init__(self):
        from django.db import connection

        self.stat = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
            if path.exists():
                self.stat = path

    def __call__(self) -> float:
        server = int(self.stat.read_text().split()[0]) / 1e9 if self.stat else 0.0
        return time.thread_time() + server


def measure_ops(hall: dict, ops: int, timer: StatementTimer | None = None) -> dict:
    """`ops` issues, then `ops` calls (each followed by start and finish, not timed): the wall
    time of each, and its CPU time (CpuClock)."""
    from chuangkou.hall.models import Ticket
    from chuangkou.hall.services import desk, tickets

    queues, desks = hall["queues"], hall["desks"]
    cpu = CpuClock()
    wall = {"issue": [], "call": []}
    used = {"issue_cpu": [], "call_cpu": []}
    for i in range(ops + 20):  # the first 20 warm up
        user, _, _ = desks[i % len(desks)]
        if timer:
            timer.op = "issue" if i >= 20 else None
        c = cpu()
        t = time.perf_counter()
        tickets.issue_ticket(actor=user, queue=queues[i % 2], channel=Ticket.Channel.LOBBY)
        t, c = time.perf_counter() - t, cpu() - c
        if i >= 20:
            wall["issue"].append(t)
            used["issue_cpu"].append(c)
    for i in range(ops + 20):
        user, window, _ = desks[i % len(desks)]
        if timer:
            timer.op = "call" if i >= 20 else None
        c = cpu()
        t = time.perf_counter()
        ticket = desk.call_next_ticket(actor=user, window=window)
        t, c = time.perf_counter() - t, cpu() - c
        if i >= 20:
            wall["call"].append(t)
            used["call_cpu"].append(c)
        if timer:
            timer.op = None
        assert ticket is not None, "nobody waiting: the bench lost a ticket"
        ticket = desk.start_ticket(actor=user, ticket=ticket, window=window)
        desk.finish_ticket(actor=user, ticket=ticket, window=window)
    return wall | used


def measure_pages(hall: dict, reps: int) -> dict:
    """Medians (s) of the pages that read history, with today's bench tickets in place."""
    from django.utils import timezone

    from chuangkou.hall import metrics, selectors

    center, admin, window = hall["center"], hall["admin"], hall["desks"][0][1]
    today = timezone.localdate()
    pages = {
        "today_counts": lambda: selectors.today_counts(center),
        "lobby_waiting": lambda: list(selectors.lobby_waiting(center)[:20]),
        "board_state": lambda: selectors.board_state(center),
        "desk_state": lambda: selectors.desk_state(window),
        "metrics_today": lambda: metrics.hall_metrics(
            user=admin, start=today, end=today, center=center
        ),
        "metrics_half_year": lambda: metrics.hall_metrics(
            user=admin, start=today - dt.timedelta(days=182), end=today, center=center
        ),
    }
    result = {}
    for name, page in pages.items():
        times = []
        for _ in range(reps if name != "metrics_half_year" else max(3, reps // 3)):
            t = time.perf_counter()
            page()
            times.append(time.perf_counter() - t)
        result[name] = statistics.median(times)
    return result


def make_hall() -> dict:
    from django.contrib.auth.models import Group

    from chuangkou.core.models import User
    from chuangkou.org.models import Staff

    queues, desks = create_hall(WINDOWS)
    admin = User.objects.create(username="bench_admin")
    admin.groups.set(Group.objects.filter(name="center_admin"))
    staff = Staff.objects.get(user=desks[0][0])
    return {
        "queues": queues,
        "desks": desks,
        "center": queues[0].center,
        "admin": admin,
        "ids": {"qa": queues[0].pk, "qb": queues[1].pk, "w": desks[0][1].pk, "c": staff.pk},
    }


def run_one(
    db: str,
    sizes: list[int],
    ops: int,
    reps: int,
    statements: bool,
    db_name: str = DB_NAME,
    rounds: int = 1,
    keep: bool = False,
    summary: bool = True,
) -> None:
    """In a subprocess: one database, every size; prints one JSON line per size."""
    data_dir = tempfile.mkdtemp(prefix="ck_history_")
    url = None
    if db == "pg":
        parts = urlsplit(PG_URL)
        url = urlunsplit(parts._replace(path=f"/{db_name}"))
    else:
        url = f"sqlite:///{data_dir}/history.sqlite3"
    try:
        setup_django(url, data_dir)
        from django.db import connections

        hall = make_hall()
        size = 0
        for target in [0, *sizes]:
            gen = {}
            if target > size:
                clear_today()
                gen = generate(size, target, hall)
                size = target
                if summary:  # the nightly job's work: the half year reads it for closed days
                    from hall_figures import build_summary

                    gen["summary_s"] = build_summary()
                # time on a fresh connection, as a server's: not the backend that just wrote
                # millions of rows (its memory and caches slowed every statement 1.5-2x)
                connections.close_all()
            row = {"db": db, "history": size, "gen": gen}
            row.update(measure_rounds(hall, ops, reps, statements, rounds))
            print("ROW " + json.dumps(row), flush=True)
    finally:
        if keep:
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def measure_rounds(hall: dict, ops: int, reps: int, statements: bool, rounds: int) -> dict:
    """`rounds` rounds of the operations and the pages, each on empty 'today' tables: the
    median and p99 of all the operations together, the median per round (to see the noise),
    the medians of the pages and of the statements over the rounds, the load average."""
    from django.db import connection

    timed = {"issue": [], "call": [], "issue_cpu": [], "call_cpu": []}
    per_round = {op: [] for op in timed}
    pages: dict[str, list[float]] = {}
    stmts: dict[str, list[float]] = {}
    loads = []
    for _ in range(rounds):
        clear_today()
        timer = StatementTimer() if statements else None
        if timer:
            with connection.execute_wrapper(timer):
                one = measure_ops(hall, ops, timer)
            for sql, median in timer.summary().items():
                stmts.setdefault(sql, []).append(median)
        else:
            one = measure_ops(hall, ops)
        for op, values in one.items():
            timed[op] += values
            per_round[op].append(statistics.median(values))
        for name, median in measure_pages(hall, reps).items():
            pages.setdefault(name, []).append(median)
        loads.append(os.getloadavg()[0])
    row = {
        "load": [min(loads), statistics.median(loads), max(loads)],
        "pages": {name: statistics.median(v) for name, v in pages.items()},
    }
    if statements:
        row["statements"] = {sql: statistics.median(v) for sql, v in stmts.items()}
    for op, values in timed.items():
        row[op] = {
            "median": statistics.median(values),
            "p99": percentile(values, 99),
            "rounds": per_round[op],
        }
    return row


def report(rows: list[dict]) -> None:
    base = {r["db"]: r for r in rows if r["history"] == 0}
    print(f"{'db':6} {'history':>10}  {'issue med/p99 ms':>17} {'ratio':>5}"
          f"  {'call med/p99 ms':>16} {'ratio':>5}  load(1m) min/med/max")  # fmt: skip
    for r in rows:
        b = base[r["db"]]
        ri = r["issue"]["median"] / b["issue"]["median"]
        rc = r["call"]["median"] / b["call"]["median"]
        print(
            f"{r['db']:6} {r['history']:>10,}  "
            f"{r['issue']['median'] * 1000:7.2f}/{r['issue']['p99'] * 1000:7.2f}   {ri:5.2f}  "
            f"{r['call']['median'] * 1000:7.2f}/{r['call']['p99'] * 1000:7.2f}  {rc:5.2f}  "
            + "/".join(f"{x:.1f}" for x in r["load"])
        )
        print(
            f"{'':18}CPU (client + server) median ms: "
            + "  ".join(
                f"{op} {r[op + '_cpu']['median'] * 1000:.2f}"
                f" ({r[op + '_cpu']['median'] / b[op + '_cpu']['median']:.2f}x)"
                for op in ("issue", "call")
            )
        )
        if len(r["issue"]["rounds"]) > 1:
            for op in ("issue", "call", "issue_cpu", "call_cpu"):
                per_round = " ".join(f"{x * 1000:.2f}" for x in r[op]["rounds"])
                print(f"{'':18}{op} median per round ms: {per_round}")
        if r["gen"]:
            g = r["gen"]
            print(
                f"{'':18}generated: tickets {g['tickets_s']:.1f} s, events {g['events_s']:.1f} s,"
                f" vacuum/analyze {g['analyze_s']:.1f} s"
                + (f", 排队日汇总 {g['summary_s']:.1f} s" if "summary_s" in g else "")
            )
        pages = "  ".join(
            f"{k} {v * 1000:.1f} ({v / b['pages'][k]:.2f}x)" for k, v in r["pages"].items()
        )
        print(f"{'':18}pages ms: {pages}")
        for sql, median in r.get("statements", {}).items():
            before = b.get("statements", {}).get(sql)
            ratio = f"{median / before:5.2f}x" if before else "   - "
            print(f"{'':18}{median * 1000:7.3f} ms {ratio}  {sql}")


def run_children(
    script: str, databases: list[str], db_name: str, extra: list[str], keep: bool = False
) -> list[dict]:
    """Run `script --one <db> …extra` once per database (PostgreSQL: a fresh database of its
    own, dropped afterwards unless `keep`) and collect the "ROW {json}" lines it prints."""
    rows = []
    for db in databases:
        if db == "pg":
            admin_sql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            admin_sql(f"CREATE DATABASE {db_name}")
        try:
            cmd = [sys.executable, script, "--one", db, *extra]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
            for line in proc.stdout.splitlines():
                if line.startswith("ROW "):
                    rows.append(json.loads(line[4:]))
                    print(line, flush=True)
            if proc.returncode:
                print(f"{db}: the run failed ({proc.returncode})", file=sys.stderr)
        finally:
            if db == "pg" and not keep:
                admin_sql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["pg", "sqlite"], choices=["pg", "sqlite"])
    parser.add_argument("--history", nargs="+", type=int, default=[1_000_000])
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--statements", action="store_true", help="time each SQL statement")
    parser.add_argument(
        "--db-name", default=DB_NAME, help="PostgreSQL database to create and drop (ck_history)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of --ops per size (medians over all)"
    )
    parser.add_argument(
        "--no-summary",
        action="store_true",
        help="leave the 排队日汇总 unbuilt (the half year then counts every ticket live)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (PostgreSQL) or file (for EXPLAIN)"
    )
    parser.add_argument("--one", choices=["pg", "sqlite"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = sorted(set(args.history))
    if args.one:
        run_one(
            args.one,
            sizes,
            args.ops,
            args.reps,
            args.statements,
            args.db_name,
            args.rounds,
            args.keep,
            not args.no_summary,
        )
        return
    extra = ["--ops", str(args.ops), "--reps", str(args.reps), "--history", *map(str, sizes)]
    extra += ["--statements"] if args.statements else []
    extra += ["--db-name", args.db_name, "--rounds", str(args.rounds)]
    extra += ["--keep"] if args.keep else []
    extra += ["--no-summary"] if args.no_summary else []
    rows = run_children(__file__, args.db, args.db_name, extra, args.keep)
    if rows:
        report(rows)


if __name__ == "__main__":
    main()
