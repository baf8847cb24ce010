"""Statement budget of the queue's hot paths (issue 9): issuing a ticket and calling the next one
run a fixed, small number of SQL statements, so the cost cannot creep back unnoticed. Savepoints
are left out of the count: the tests run inside a transaction, where Django turns each service's
BEGIN/COMMIT (not captured) into SAVEPOINT/RELEASE. On PostgreSQL a change and its ticket event
go in one statement (a data-modifying CTE); SQLite, in-process, runs them one after another."""

import pytest
from django.db import connection

from chuangkou.hall import selectors, services
from chuangkou.hall.models import QueueCounter, Ticket, TicketEvent
from tests.statements import Statements

pytestmark = pytest.mark.django_db

PG = connection.vendor == "postgresql"
EVENT = 0 if PG else 1  # the event INSERT: inside the change's statement on PostgreSQL

ISSUE_SERVICE = 1 if PG else 3  # counter UPSERT … RETURNING, ticket INSERT, event INSERT
# + token with its account and roles; the queue with the issuer's staff center (the 帮办
# check); people ahead and serving windows: counted by the issuing statement on PostgreSQL, one
# more SELECT on SQLite
ISSUE_API = ISSUE_SERVICE + (2 if PG else 3)
CALL_SERVICE = 3 + EVENT  # window lock with the window's queues and the clerk (staff record,
# posting and sign-in at the window); roles; claim (current ticket checked in it), event
CALL_API = 2 + EVENT + 1  # token with its account and roles (so no roles query); window with
# its queues and clerk; claim (+ event): the window is not read before its lock


def test_issuing_through_the_service(hall):
    services.issue_ticket(actor=None, queue=hall.queue_a)  # the day's counter exists
    with Statements() as run:
        ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    assert len(run) == ISSUE_SERVICE, run.report()
    assert ticket.number == "A002" and ticket.events.get().kind == TicketEvent.Kind.ISSUED
    with Statements() as run:  # the first ticket of a queue's day creates its counter row
        assert services.issue_ticket(actor=None, queue=hall.queue_b).number == "B001"
    assert len(run) == ISSUE_SERVICE, run.report()


def test_issuing_through_the_api_with_a_token(hall, api_client_as):
    api = api_client_as(hall.lobby, token=True)
    body = {"queue_id": hall.queue_a.pk, "channel": "lobby"}
    assert api.post("/hall/tickets", body).status_code == 201  # token's last use written once
    with Statements() as run:
        response = api.post("/hall/tickets", body)
    assert response.status_code == 201, response.content
    assert len(run) == ISSUE_API, run.report()
    assert not any(s.upper().startswith("UPDATE") for s in run.sql), "authentication wrote"
    got = response.json()
    assert got["ticket"]["number"] == "A002" and got["ahead"] == 1
    assert got["wait_minutes"] == 5  # one ahead × 10 minutes ÷ two serving windows
    progress = selectors.ticket_progress(Ticket.objects.get(pk=got["ticket"]["id"]))
    assert (progress.ahead, progress.wait_minutes) == (got["ahead"], got["wait_minutes"])


def test_a_counter_behind_its_tickets_catches_up_instead_of_reusing_a_number(hall):
    for _ in range(3):
        services.issue_ticket(actor=None, queue=hall.queue_a)
    QueueCounter.objects.update(last_seq=1)
    assert services.issue_ticket(actor=None, queue=hall.queue_a).number == "A004"
    QueueCounter.objects.all().delete()
    assert services.issue_ticket(actor=None, queue=hall.queue_a).number == "A005"


def test_calling_the_next_ticket(hall, api_client_as):
    first = services.issue_ticket(actor=None, queue=hall.queue_a)
    second = services.issue_ticket(actor=None, queue=hall.queue_a)
    api = api_client_as(hall.clerk_a1, token=True)
    window = {"window_id": hall.w_a01.pk}
    assert api.post("/hall/desk/call-next", window).json()["ticket"]["id"] == first.pk  # signs in
    Ticket.objects.filter(pk=first.pk).update(status=Ticket.Status.DONE)
    with Statements() as run:
        response = api.post("/hall/desk/call-next", window)
    assert len(run) == CALL_API, run.report()
    got = response.json()
    assert got["ticket"]["id"] == second.pk and got["ticket"]["queue_name"] == "市场监管"
    assert got["ticket"]["status"] == "called" and got["ticket"]["window_number"] == "A01"
    assert got["message"] == "请 A002 号到 A01 号窗口办理"
    Ticket.objects.filter(pk=second.pk).update(status=Ticket.Status.DONE)
    third = services.issue_ticket(actor=None, queue=hall.queue_a)
    with Statements() as run:
        ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    assert len(run) == CALL_SERVICE, run.report()
    assert ticket.pk == third.pk and ticket.clerk.user == hall.clerk_a1
    assert ticket.events.filter(kind=TicketEvent.Kind.CALLED).count() == 1


def test_calling_when_nobody_waits(hall):
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_a01)
    with Statements() as run:
        assert services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01) is None
    # no event, but the window's current ticket is read to tell "nobody waiting" from "busy"
    assert len(run) <= CALL_SERVICE, run.report()


def test_a_kiosk_ticket_counts_its_address_in_one_statement(hall):
    from chuangkou.core import middleware

    services.issue_ticket(actor=None, queue=hall.queue_a)
    address = middleware._ip.set("10.0.0.9")
    try:
        with Statements() as run:
            services.issue_ticket(actor=None, queue=hall.queue_a)  # the address's first hit
        with Statements() as again:
            services.issue_ticket(actor=None, queue=hall.queue_a)
    finally:
        middleware._ip.reset(address)
    assert len(run) == ISSUE_SERVICE + 2, run.report()  # the UPSERT, old windows deleted
    assert len(again) == ISSUE_SERVICE + 1, again.report()  # INSERT … ON CONFLICT … RETURNING


DESK_ACTION_API = 3 + EVENT  # token; window and ticket under their locks with the clerk;
# update (+ event): the window and the ticket are read once, in one statement


def test_starting_and_finishing_do_not_read_the_ticket_back(hall, api_client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    api = api_client_as(hall.clerk_a1, token=True)
    window = {"window_id": hall.w_a01.pk}
    ticket_id = api.post("/hall/desk/call-next", window).json()["ticket"]["id"]
    with Statements() as run:
        started = api.post(f"/hall/tickets/{ticket_id}/start", window)
    assert started.status_code == 200, started.content
    assert len(run) == DESK_ACTION_API, run.report()
    with Statements() as run:
        finished = api.post(f"/hall/tickets/{ticket_id}/finish", window)
    assert len(run) == DESK_ACTION_API + 1, run.report()  # + the start of the serving stretch
    got, stored = finished.json(), Ticket.objects.get(pk=ticket_id)
    assert got["status"] == "done" and got["window_number"] == "A01"
    assert got["queue_name"] == "市场监管" and got["status_label"] == stored.get_status_display()
    assert stored.started_at is not None and stored.finished_at is not None
    assert started.json()["started_at"] is not None and got["finished_at"] is not None
    assert stored.clerk.user == hall.clerk_a1


@pytest.mark.django_db(transaction=True)
def test_an_issue_is_its_own_transaction_on_postgresql_and_one_on_sqlite(hall, api_client_as):
    """On PostgreSQL the issuing statement runs alone in autocommit (it is atomic by itself: no
    BEGIN and COMMIT round trips); SQLite runs its three writes in one transaction. A green
    channel ticket also writes its audit entry: always in one transaction with the ticket."""
    api = api_client_as(hall.lobby, token=True)
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((sql.lstrip().split()[0].upper(), connection.get_autocommit()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        plain = api.post("/hall/tickets", {"queue_id": hall.queue_a.pk, "channel": "lobby"})
    assert plain.status_code == 201, plain.content
    writes = [autocommit for verb, autocommit in seen if verb in ("WITH", "INSERT")]
    assert writes == ([True] if PG else [False, False, False]), seen
    seen.clear()
    with connection.execute_wrapper(spy):
        green = api.post(
            "/hall/tickets",
            {"queue_id": hall.queue_a.pk, "channel": "lobby", "priority_reason": "elderly"},
        )
    assert green.status_code == 201, green.content
    writes = [autocommit for verb, autocommit in seen if verb in ("WITH", "INSERT")]
    assert writes and not any(writes), seen  # the ticket and its audit entry together


@pytest.mark.skipif(not PG, reason="prepared statements are PostgreSQL's")
def test_the_queue_statements_are_planned_once_per_connection(hall, api_client_as):
    """Issue, call, start and finish run their statements prepared (core.connections
    .prepared_cursor): a second round adds no prepared statement, and the planned ones are the
    token, the issuing CTE, the window lock, the claim and the desk updates."""

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return sorted(row[0] for row in cursor.fetchall())

    lobby = api_client_as(hall.lobby, token=True)
    clerk = api_client_as(hall.clerk_a1, token=True)
    window = {"window_id": hall.w_a01.pk}

    def one_round() -> None:
        issued = lobby.post("/hall/tickets", {"queue_id": hall.queue_a.pk, "channel": "lobby"})
        assert issued.status_code == 201, issued.content
        called = clerk.post("/hall/desk/call-next", window).json()["ticket"]["id"]
        for action in ("start", "finish"):
            done = clerk.post(f"/hall/tickets/{called}/{action}", window)
            assert done.status_code == 200, done.content

    one_round()
    first = prepared()
    one_round()
    assert prepared() == first
    texts = "\n".join(first)
    assert texts.count("key_hash = $1") == 1  # the token, one statement for both accounts
    for part in ("INSERT INTO hall_queuecounter", "FOR UPDATE OF w", "SKIP LOCKED"):
        assert part in texts, part
    assert texts.count("WITH changed AS (UPDATE hall_ticket SET") >= 2  # claim, start, finish


PAST_TICKETS = """
INSERT INTO hall_ticket (queue_id, service_date, seq, number, status, channel, priority,
    priority_reason, phone, issued_at, recall_count, public_token, service_seconds)
SELECT %s, CURRENT_DATE - 1 - g / 5000, g %% 5000 + 1, 'A' || (g %% 5000 + 1), 'done', 'kiosk',
    FALSE, '', '', now() - (1 + g / 5000) * interval '1 day', 0, gen_random_uuid(), 300
FROM generate_series(0, 199999) g
"""


@pytest.mark.skipif(not PG, reason="prepared statements and their plans are PostgreSQL's")
def test_the_queue_statements_keep_one_plan_with_history(hall, api_client_as):
    """With earlier days' tickets in the table (200,000 over 40 days, analysed), PostgreSQL
    keeps running the issuing CTE and the claim on their generic plan, planned once per
    connection. Their statuses are constants of the statement text, so that plan may use the
    partial indexes of waiting and current tickets and its estimate does not grow with the
    history; with a status as a parameter it grew, and PostgreSQL planned every run again
    (0.3-0.5 ms each, the growth bench/hall_history.py measured at 1 and 10 million tickets)."""
    with connection.cursor() as cursor:
        cursor.execute(PAST_TICKETS, [hall.queue_a.pk])
        cursor.execute("ANALYZE hall_ticket")
    lobby = api_client_as(hall.lobby, token=True)
    clerk = api_client_as(hall.clerk_a1, token=True)
    for _ in range(8):  # PostgreSQL weighs the generic plan after five custom ones
        issued = lobby.post("/hall/tickets", {"queue_id": hall.queue_a.pk, "channel": "lobby"})
        assert issued.status_code == 201, issued.content
        called = clerk.post("/hall/desk/call-next", {"window_id": hall.w_a01.pk}).json()
        for action in ("start", "finish"):
            done = clerk.post(
                f"/hall/tickets/{called['ticket']['id']}/{action}", {"window_id": hall.w_a01.pk}
            )
            assert done.status_code == 200, done.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        plans = cursor.fetchall()
    for part in ("INSERT INTO hall_queuecounter", "SKIP LOCKED"):
        (generic,) = [n for statement, n in plans if part in statement]
        assert generic >= 2, (part, plans)
