"""Benchmark of SQLite's writers' queue (chuangkou.core.sqlite) against Django's own SQLite
backend, in the same run: P processes × T threads (gunicorn's workers × threads), each running
N short write transactions (BEGIN IMMEDIATE, an INSERT and a SELECT, ~1 ms of Python inside,
COMMIT) on one WAL database file. Prints transactions per second and the p50/p99/max latency of
a transaction (waiting included) for both backends, medians of --runs runs, and the ratios.

    .venv/bin/python bench/sqlite_writers.py [--procs 4] [--threads 4] [--tx 60] [--runs 3]
"""

import argparse
import multiprocessing as mp
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
BACKENDS = {"django": "django.db.backends.sqlite3", "chuangkou": "chuangkou.core.sqlite"}


def worker(engine: str, path: str, n: int, threads: int, out) -> None:
    sys.path.insert(0, str(SRC))
    import django
    from django.conf import settings

    options = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    settings.configure(
        DATABASES={"default": {"ENGINE": engine, "NAME": path, "OPTIONS": options}}, USE_TZ=True
    )
    django.setup()
    from django.db import connection, connections, transaction

    latencies = []

    def run() -> None:
        for i in range(n):
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO t (v) VALUES (%s)", [i])
                cursor.execute("SELECT count(*) FROM t WHERE v = %s", [i])
                busy_until = time.perf_counter() + 0.001  # the Python of a real transaction
                while time.perf_counter() < busy_until:
                    pass
            latencies.append(time.perf_counter() - started)
        connections.close_all()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put(latencies)


def one_run(engine: str, args) -> dict:
    import sqlite3

    path = str(Path(tempfile.mkdtemp(prefix="ck-bench-writers-")) / "bench.sqlite3")
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id integer PRIMARY KEY, v integer)")
    db.commit()
    db.close()
    out = mp.Queue()
    started = time.perf_counter()
    procs = [
        mp.Process(target=worker, args=(engine, path, args.tx, args.threads, out))
        for _ in range(args.procs)
    ]
    for proc in procs:
        proc.start()
    latencies = sorted(x for _ in procs for x in out.get())
    for proc in procs:
        proc.join()
    wall = time.perf_counter() - started
    shutil.rmtree(Path(path).parent)
    pick = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000  # noqa: E731
    return {"tx/s": len(latencies) / wall, "p50 ms": pick(0.5), "p99 ms": pick(0.99),
            "max ms": latencies[-1] * 1000}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--tx", type=int, default=60, help="transactions per thread")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = {name: [] for name in BACKENDS}
    for _ in range(args.runs):  # interleaved, so both see the same machine
        for name, engine in BACKENDS.items():
            runs[name].append(one_run(engine, args))
    median = {n: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for n, rs in runs.items()}
    print(f"SQLite writers: {args.procs} processes × {args.threads} threads × {args.tx} "
          f"transactions, median of {args.runs} runs")  # fmt: skip
    print(f"{'':10}{'django':>12}{'chuangkou':>12}{'ratio':>8}")
    for key in median["django"]:
        base, ours = median["django"][key], median["chuangkou"][key]
        print(f"{key:10}{base:>12.1f}{ours:>12.1f}{ours / base:>8.2f}")


if __name__ == "__main__":
    main()
