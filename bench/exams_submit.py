"""300 candidates submitting at once against the production server (`chuangkou serve`: gunicorn
with whitenoise), through the API (POST …/submit; the sitting page autosaves through the same
API and submits its form to the same service), with browser sessions and CSRF. A request
reset or timed out counts as a failure.

Per run: a fresh exam of N candidates × Q questions whose attempts are started and answered;
then all N submit in the same instant (a barrier), then all N autosave one answer at once on a
second exam (the other hot path). Baseline: N simultaneous GET /healthz on the same server
(the bare cost of a request there). Figures are medians over the runs: each run's
median/P95/P99, then the median of those. The clients are separate processes with their
connections open before the release (see burst()); `客户端滞后` is how late the last request left
a client, and `服务器 CPU ms/请求` the server's own CPU per request (from /proc; unlike the
latencies it does not depend on what else the machine runs).

    python bench/exams_submit.py            # 300 candidates × 20 questions, 3 runs
    python bench/exams_submit.py --small    # 60 × 10, 2 runs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/exams_submit.py
    BENCH_PROFILE=/tmp/x.txt python bench/exams_submit.py …  # py-spy's stacks (GIL holders) of the
        # server's processes during the first run's submit burst (that run's figures include
        # py-spy's own cost)
"""

import argparse
import http.client
import multiprocessing
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import exams_common as common  # noqa: E402

CSRF = "b" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    cmd = [
        sys.executable,
        "-m",
        "chuangkou.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=common.ROOT
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise SystemExit("the server did not start")


def sessions_for(staff) -> dict[int, str]:
    """A signed-in browser session per candidate, as the login page leaves it: the account, its
    backend and hash, and the idle mark of core.middleware.IdleSessionMiddleware (set on the
    login response), so that a request within a minute of it does not write the session."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from chuangkou.core.middleware import IdleSessionMiddleware

    cookies = {}
    for person in staff:
        session = SessionStore()
        session[SESSION_KEY] = str(person.user.pk)
        session[BACKEND_SESSION_KEY] = "chuangkou.core.auth.LockoutModelBackend"
        session[HASH_SESSION_KEY] = person.user.get_session_auth_hash()
        session[IdleSessionMiddleware.KEY] = int(time.time())
        session.create()
        cookies[person.pk] = f"sessionid={session.session_key}; csrftoken={CSRF}"
    return cookies


CLIENT_PROCESSES = 4


def _client(port: int, calls: list[tuple], ready, go, results) -> None:
    """One client process (spawned, no Django): a connection per call opened first, then every
    call sent the moment the parent releases `go`; reports (status, sent at, answered at)."""
    conns = []
    for _ in calls:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.connect()
        except OSError:
            pass  # request() connects again; a failure there is counted
        conns.append(conn)
    start = threading.Event()
    out = [None] * len(calls)

    def one(i: int) -> None:
        start.wait()
        out[i] = _send(conns[i], *calls[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    ready.put(len(calls))
    go.wait()
    start.set()
    for t in threads:
        t.join()
    results.put(out)


def _send(conn, method: str, path: str, cookie: str | None = None, body: str = ""):
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers |= {"Cookie": cookie, "X-CSRFToken": CSRF}
    sent = time.perf_counter()
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:  # reset or timed out: counted as a failure, the run goes on
        status = 599
    finally:
        conn.close()
    return status, sent, time.perf_counter()


def server_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by the server: `root` and every process under it
    (gunicorn's master and workers, the job worker). Unlike the latencies it does not depend
    on what else the machine runs."""
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def burst(port: int, calls: list[tuple]) -> tuple[float, list[float], int, float]:
    """Every call released at the same instant; returns (wall time, latencies, errors, client
    lag). A latency runs from the release to the answer.

    The clients are CLIENT_PROCESSES processes, each with a thread and an open connection per
    call, released by one event: one process of 300 threads that connect after a barrier
    measured its own GIL and connect storm too (the slowest thread sent its request tens of ms
    after the release). In the hall each candidate's browser already holds its own connection
    (the autosaves), so connecting is not part of pressing 交卷. `client lag` is the latest
    moment a request left a client after the release: the client's own share of the figure."""
    ctx = multiprocessing.get_context("spawn")  # no fork of this process's Django and database
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    chunks = [calls[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    procs = [
        ctx.Process(target=_client, args=(port, chunk, ready, go, results)) for chunk in chunks
    ]
    for p in procs:
        p.start()
    waiting = len(procs)
    while waiting:
        try:
            ready.get(timeout=1)
            waiting -= 1
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in procs):
                raise SystemExit("a client process failed") from None
    released = time.perf_counter()
    go.set()
    outcomes = [x for _ in procs for x in results.get(timeout=600)]
    for p in procs:
        p.join()
    wall = max(done for _, _, done in outcomes) - released
    latencies = [done - released for _, _, done in outcomes]
    lag = max(sent for _, sent, _ in outcomes) - released
    return wall, latencies, sum(1 for status, _, _ in outcomes if status >= 400), lag


def ready_exam(candidates: int, questions: int):
    """An exam whose attempts are started and fully answered (through the services)."""
    from chuangkou.exams.models import Attempt
    from chuangkou.exams.services import sitting

    exam, staff = common.make_exam(candidates=candidates, questions=questions, with_users=True)
    attempts = {}
    for person in staff:
        attempt = Attempt.objects.get(exam=exam, staff=person)
        attempt = sitting.start_attempt(actor=person.user, attempt=attempt)
        for item in attempt.items.select_related("version"):
            sitting.save_answer(
                actor=person.user, attempt=attempt, item=item, response=common.answer_for(item.kind)
            )
        attempts[person.pk] = attempt
    return exam, staff, attempts


def measured(server: int, port: int, calls: list[tuple], profile: str | None = None) -> tuple:
    """burst() and the server's CPU milliseconds per request meanwhile; with `profile`, py-spy's
    collapsed stacks of the server's processes during the burst written there."""
    spy = None
    if profile:
        spy = [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server)]
        spy += ["--subprocesses", "--gil", "--nonblocking", "--rate", "250", "--format", "raw"]
        spy = subprocess.Popen([*spy, "--output", profile], stdout=subprocess.DEVNULL)
        time.sleep(2)  # attached
    before = server_cpu(server)
    result = burst(port, calls)
    cpu = (server_cpu(server) - before) * 1000 / len(calls)
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file and ends
        spy.wait(timeout=60)
    return (*result, cpu)


def one_run(
    server: int, port: int, candidates: int, questions: int, profile: str | None = None
) -> dict:
    import json

    from chuangkou.exams.models import Attempt

    exam, staff, attempts = ready_exam(candidates, questions)
    cookies = sessions_for(staff)
    base = measured(server, port, [("GET", "/healthz")] * candidates)
    submit = measured(
        server,
        port,
        [
            ("POST", f"/api/v1/exams/attempts/{attempts[p.pk].pk}/submit", cookies[p.pk])
            for p in staff
        ],
        profile,
    )
    done = Attempt.objects.filter(exam=exam, status="submitted", objective_score__isnull=False)
    assert done.count() + submit[2] >= candidates, f"only {done.count()} of {candidates} submitted"

    exam2, staff2, attempts2 = ready_exam(candidates, 5)
    cookies2 = sessions_for(staff2)
    saves = []
    for person in staff2:
        item = attempts2[person.pk].items.order_by("order").first()
        body = json.dumps({"response": common.answer_for(item.kind)})
        saves.append(
            (
                "PUT",
                f"/api/v1/exams/attempts/{attempts2[person.pk].pk}/items/{item.pk}",
                cookies2[person.pk],
                body,
            )
        )
    save = measured(server, port, saves)
    return {"base": base, "submit": submit, "save": save}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="60 candidates × 10 questions")
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (4 threads each)")
    args = parser.parse_args()
    if args.small:
        args.candidates, args.questions, args.runs = 60, 10, 2
    data_dir, created_db = common.prepare_environment()
    from django.db import connection

    port = free_port()
    server = start_server(port, args.workers)
    try:
        profile = os.environ.get("BENCH_PROFILE")
        runs = [
            one_run(server.pid, port, args.candidates, args.questions, profile if i == 0 else None)
            for i in range(args.runs)
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)
        common.cleanup(data_dir, created_db)

    def row(label, key):
        """Each figure per run, then the median over the runs."""

        def median_of(figure):
            return statistics.median(figure(r[key][1]) for r in runs)

        return (
            label,
            statistics.median(r[key][0] for r in runs),
            args.candidates / statistics.median(r[key][0] for r in runs),
            median_of(common.median_ms),
            median_of(common.p95_ms),
            median_of(common.p99_ms),
            sum(r[key][2] for r in runs),
            max(r[key][3] for r in runs) * 1000,
            statistics.median(r[key][4] for r in runs),
        )

    rows = [
        row("基线 GET /healthz", "base"),
        row("同时交卷 POST …/submit", "submit"),
        row("同时保存 PUT …/items/<id>", "save"),
    ]
    print(
        f"\n{args.candidates} 名考生同时操作 · 每卷 {args.questions} 题 · {args.runs} 轮中位数 · "
        f"{connection.vendor} · gunicorn {args.workers}×4 线程 · {os.cpu_count()} 核"
    )
    print(
        f"{'操作':<26}{'总耗时 s':>10}{'请求/秒':>10}{'中位 ms':>10}{'P95 ms':>10}{'P99 ms':>10}"
        f"{'失败':>6}{'客户端滞后 ms':>14}{'服务器 CPU ms/请求':>18}"
    )
    for label, wall, rate, med, p95, p99, errors, lag, cpu in rows:
        print(
            f"{label:<24}{wall:>10.2f}{rate:>10.1f}{med:>10.0f}{p95:>10.0f}{p99:>10.0f}{errors:>6}"
            f"{lag:>14.0f}{cpu:>18.2f}"
        )
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base_wall = rows[0][1]
    print(
        f"交卷 / 基线 总耗时比：{rows[1][1] / base_wall:.1f}×；"
        f"保存 / 基线：{rows[2][1] / base_wall:.1f}×"
    )


if __name__ == "__main__":
    main()
