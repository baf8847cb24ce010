"""Two clerks call at the same instant: each called person is told once, and the person now
within their N is told once, although both queue-advance jobs see them (the unique
deduplication key decides). And the hook costs the call-next path exactly one statement, and
none when nobody could be told."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.hall import services
from chuangkou.hall.models import Ticket
from chuangkou.notify.models import Message, Subscription
from tests.hall.test_concurrency import run_threads


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_each_message_once(hall, make_desks):
    desks = make_desks(hall.queue_a, 2)
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(7)]
    for ticket in tickets:
        Subscription.objects.create(
            subject_kind="ticket", subject_id=ticket.pk, phone=f"1380000{ticket.seq:04d}", ahead=3
        )
    for _ in range(2):  # two rounds of two simultaneous calls
        got = run_threads(
            2, lambda i: services.call_next_ticket(actor=desks[i][0], window=desks[i][1]).pk
        )
        Ticket.objects.filter(pk__in=got).update(status=Ticket.Status.DONE)
    called = list(Message.objects.filter(kind="ticket_called").values_list("subject_id", flat=True))
    assert sorted(called) == [t.pk for t in tickets[:4]]
    ahead = list(Message.objects.filter(kind="ticket_ahead").values_list("subject_id", flat=True))
    assert len(ahead) == len(set(ahead)), "someone was told twice"
    # after round 1: A003..A005 within 3 (A003 0 ahead … A005 2); round 2: A006, A007 join.
    # A002 may be told "0 ahead" too when one clerk's job runs before the other clerk's call.
    assert {t.pk for t in tickets[2:7]} <= set(ahead) <= {t.pk for t in tickets[1:7]}
    assert Message.objects.exclude(status=Message.Status.SENT).count() == 0


def _call_statements(hall) -> list[str]:
    first = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    Ticket.objects.filter(pk=first.pk).update(status=Ticket.Status.DONE)
    with CaptureQueriesContext(connection) as run:
        services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    Ticket.objects.filter(status=Ticket.Status.CALLED).update(status=Ticket.Status.DONE)
    return [q["sql"] for q in run.captured_queries if "SAVEPOINT" not in q["sql"].upper()]


@pytest.mark.django_db
def test_the_hook_is_one_insert_when_anyone_could_be_told_and_none_otherwise(hall, settings):
    """With the database backend the job row is the one statement the hook adds (with the
    immediate backend of the tests the job waits for the commit: none); and only when the call
    has someone to tell: the called ticket or one of those after it has a phone or an opt-in."""
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_a01)
    tickets = [services.issue_ticket(actor=None, queue=hall.queue_a) for _ in range(8)]
    without = _call_statements(hall)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }

    def jobs_queued(statements):
        return sum(
            "django_tasks_database" in s and s.upper().startswith("INSERT") for s in statements
        )

    nobody = _call_statements(hall)  # no phone, no opt-in among those waiting
    assert len(nobody) == len(without) and jobs_queued(nobody) == 0
    Subscription.objects.create(
        subject_kind="ticket", subject_id=tickets[-1].pk, phone="13800000001", is_active=False
    )
    opted_out = _call_statements(hall)
    assert jobs_queued(opted_out) == 0
    Ticket.objects.filter(pk=tickets[-1].pk).update(phone="13800000002")
    with_job = _call_statements(hall)  # the last ticket waiting has a phone: it may be told
    assert len(with_job) == len(without) + 1, "\n".join(s[:120] for s in with_job)
    assert jobs_queued(with_job) == 1
