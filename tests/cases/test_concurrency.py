"""Two clerks pressing 受理 at the same instant never get the same case number (threads, each
with its own database connection, on SQLite and on PostgreSQL alike)."""

import threading

import pytest
from django.db import connection

from chuangkou.cases import services
from chuangkou.cases.models import Case, CaseNumberCounter, DailyCaseStats

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def _run_together(target, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            target(i)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_simultaneous_acceptances_get_distinct_consecutive_numbers(hall):
    def accept(i: int) -> None:
        if i % 2:
            services.accept_case(actor=hall.clerk_a1, matter=hall.matter_a, **APPLICANT)
        else:
            services.accept_online_case(
                actor=hall.admin, matter=hall.matter_a, center=hall.main, **APPLICANT
            )

    errors = _run_together(accept, THREADS)
    assert errors == []
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == THREADS
    assert [n[-6:] for n in numbers] == [f"{i:06d}" for i in range(1, THREADS + 1)]
    assert CaseNumberCounter.objects.get().last == THREADS
    assert sum(DailyCaseStats.objects.values_list("accepted", flat=True)) == THREADS
