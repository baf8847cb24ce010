"""The SQLite writers' queue (chuangkou.core.sqlite): a write transaction holds an advisory lock
beside the database from BEGIN to COMMIT/ROLLBACK; a second writer waits in the kernel's queue,
enters the moment the first is done, and gives up with "database is locked" after the timeout
without leaving the lock taken."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError

from chuangkou.core.sqlite.base import WriterQueue


def test_a_second_writer_waits_and_enters_when_the_first_is_done(tmp_path):
    path = str(tmp_path / "db-writer")
    first, second = WriterQueue(path, timeout=30), WriterQueue(path, timeout=30)
    first.acquire()
    entered = threading.Event()

    def write() -> None:
        second.acquire()
        entered.set()

    waiter = threading.Thread(target=write)
    waiter.start()
    assert not entered.wait(0.3), "entered while the first writer held the lock"
    first.release()
    assert entered.wait(30), "the second writer was not woken"
    second.release()
    waiter.join(30)


def test_a_writer_gives_up_after_the_timeout_and_leaves_nothing_locked(tmp_path):
    path = str(tmp_path / "db-writer")
    holder, impatient, later = (WriterQueue(path, timeout=t) for t in (30, 0.2, 30))
    holder.acquire()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        impatient.acquire()
    assert 0.2 <= time.monotonic() - started < 20
    assert impatient.fd is None
    holder.release()
    later.acquire()  # the abandoned wait let go of the lock once it got it
    later.release()


def _contended_acquire(holder: WriterQueue, waiting: WriterQueue) -> None:
    """`waiting` acquires while `holder` holds the lock, then gets it when `holder` lets go."""
    holder.acquire()
    entered = threading.Event()
    thread = threading.Thread(target=lambda: (waiting.acquire(), entered.set()))
    thread.start()
    assert not entered.wait(0.2), "entered while the lock was held"
    holder.release()
    assert entered.wait(30), "the waiting writer was not woken"
    thread.join(30)
    waiting.release()


def test_contended_waits_share_one_waiter_thread_that_ends_when_idle(tmp_path):
    path = str(tmp_path / "db-writer")
    holder, waiting = WriterQueue(path, timeout=30), WriterQueue(path, timeout=30)
    waiting.IDLE_SECONDS = 0.5
    _contended_acquire(holder, waiting)
    first = waiting._waiter
    _contended_acquire(holder, waiting)
    assert first is not None and waiting._waiter is first, "a new thread for the second wait"
    first.join(10)
    assert not first.is_alive() and waiting._waiter is None, "the idle waiter did not end"
    _contended_acquire(holder, waiting)  # a later wait starts a waiter again
    assert waiting._waiter is not None and waiting._waiter is not first


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_holds_the_queue_until_it_ends():
    if connection.vendor != "sqlite":
        pytest.skip("the writers' queue is SQLite's (PostgreSQL locks rows)")
    probe = WriterQueue(f"{connection.settings_dict['NAME']}-writer", timeout=0.1)
    with transaction.atomic():
        with pytest.raises(OperationalError):
            probe.acquire()
    probe.acquire()  # free again after COMMIT
    probe.release()
    with pytest.raises(RuntimeError), transaction.atomic():
        raise RuntimeError("rolled back")
    probe.acquire()  # and after ROLLBACK
    probe.release()


@pytest.mark.django_db(transaction=True)
def test_the_task_workers_exclusive_transaction_queues_too():
    """django-tasks-db's worker claims its jobs in `BEGIN EXCLUSIVE` (once a second when idle):
    it waits in the same queue instead of taking the database lock past it."""
    if connection.vendor != "sqlite":
        pytest.skip("the writers' queue is SQLite's (PostgreSQL locks rows)")
    from django_tasks_db.utils import exclusive_transaction

    probe = WriterQueue(f"{connection.settings_dict['NAME']}-writer", timeout=0.1)
    with exclusive_transaction():
        with pytest.raises(OperationalError):
            probe.acquire()
    probe.acquire()
    probe.release()
