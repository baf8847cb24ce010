"""Call next and issuing under real concurrency: threads (each with its own connection) and
forked processes, on whichever database the run uses (SQLite queues its writers through
IMMEDIATE transactions; PostgreSQL skips locked rows). The processes are fresh interpreters:
forking the test process is unsafe once the browser tests have started Playwright's thread."""

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from chuangkou.hall import services
from chuangkou.hall.models import Ticket, TicketEvent

from ._desk_worker import serve_until_empty

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(n: int, work) -> list:
    """Run `work(i)` in n threads released at the same instant; re-raise the first error."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    if errors:
        raise errors[0]
    return results


def issue_many(queue, n: int) -> list[Ticket]:
    return [services.issue_ticket(actor=None, queue=queue) for _ in range(n)]


def test_clerks_pressing_call_next_at_the_same_instant_get_different_tickets(hall, make_desks):
    desks = make_desks(hall.queue_a, 8)
    issued = issue_many(hall.queue_a, 8)
    got = run_threads(
        8, lambda i: services.call_next_ticket(actor=desks[i][0], window=desks[i][1]).pk
    )
    assert sorted(got) == sorted(t.pk for t in issued)
    windows = Ticket.objects.filter(pk__in=got).values_list("window", flat=True)
    assert len(set(windows)) == 8


def test_threads_serving_a_queue_call_every_ticket_exactly_once(hall, make_desks):
    desks = make_desks(hall.queue_a, 6)
    issued = issue_many(hall.queue_a, 40)
    got = run_threads(6, lambda i: serve_until_empty(*desks[i]))
    called = [pk for per_clerk in got for pk in per_clerk]
    assert Counter(called).most_common(1)[0][1] == 1, "a ticket was called twice"
    assert sorted(called) == sorted(t.pk for t in issued), "a ticket was lost"
    assert set(Ticket.objects.values_list("status", flat=True)) == {Ticket.Status.DONE}
    calls = TicketEvent.objects.filter(kind=TicketEvent.Kind.CALLED)
    assert calls.count() == 40 and calls.values("ticket").distinct().count() == 40


def test_issuing_and_calling_at_once_loses_and_doubles_nothing(hall, make_desks):
    desks = make_desks(hall.queue_a, 4)

    def work(i: int):
        if i < 4:
            return issue_many(hall.queue_a, 15)
        return serve_until_empty(*desks[i - 4])

    results = run_threads(8, work)
    issued = [t for batch in results[:4] for t in batch]
    seqs = sorted(t.seq for t in issued)
    assert seqs == list(range(1, 61)), "numbers must be unique and without gaps"
    leftovers = list(
        Ticket.objects.filter(status=Ticket.Status.WAITING).values_list("pk", flat=True)
    )
    called = [pk for batch in results[4:] for pk in batch]
    assert len(called) == len(set(called))
    assert sorted(called + leftovers) == sorted(t.pk for t in issued)


def test_processes_serving_a_queue_call_every_ticket_exactly_once(hall, make_desks):
    """Four interpreters of their own (as several server processes would be)."""
    desks = make_desks(hall.queue_a, 4)
    issued = issue_many(hall.queue_a, 40)
    db_name = str(connection.settings_dict["NAME"])
    workers = [
        subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-m", "tests.hall._desk_worker", db_name, str(u.pk), str(w.pk)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for u, w in desks
    ]
    try:
        for w in workers:
            assert w.stdout.readline().strip() == "ready"
        for w in workers:  # released together
            w.stdin.write("go\n")
            w.stdin.flush()
        got = [json.loads(w.stdout.readline()) for w in workers]
    finally:
        for w in workers:
            w.stdin.close()
            w.wait(timeout=60)
    called = [pk for batch in got for pk in batch]
    assert len(called) == len(set(called)) == 40
    assert sorted(called) == sorted(t.pk for t in issued)
    assert sum(1 for batch in got if batch) >= 2, "the processes did not overlap at all"
