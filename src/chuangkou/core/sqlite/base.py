"""SQLite with a writers' queue that wakes at once.

Every write transaction starts with `BEGIN IMMEDIATE` (settings: writers wait instead of failing
with "database is locked"). Left to SQLite, a writer that finds the database busy sleeps in its
busy handler for growing pauses of up to 100 ms before it looks again, so under a dozen
concurrent writers (gunicorn's workers × threads, the task worker) the slowest wait seconds for a
lock that was free long before. Here a writer first takes an advisory lock on a file beside the
database (`flock`, respected by every connection, thread and process of the host; the kernel
queues the waiters and wakes the next one the moment it is released), and only then begins: the
database lock is then nearly always free. Readers are untouched (WAL). An in-memory database
has no file and no queue.
"""

import fcntl
import os
import queue
import threading

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError


class _Wait:
    """One wait for the lock: `granted` (a lock held until the waiter releases it) and whether
    the writer gave up meanwhile."""

    __slots__ = ("fd", "granted", "guard", "abandoned")

    def __init__(self, fd: int):
        self.fd, self.granted, self.guard = fd, threading.Lock(), threading.Lock()
        self.granted.acquire()
        self.abandoned = False


class WriterQueue:
    """The exclusive `flock` on `<database>-writer`, held from BEGIN to COMMIT/ROLLBACK."""

    IDLE_SECONDS = 60  # the waiter thread ends after this long without a wait to do

    def __init__(self, path: str, timeout: float):
        self.path, self.timeout = path, timeout
        self.fd: int | None = None
        self._waits: queue.SimpleQueue[_Wait] = queue.SimpleQueue()
        self._waiter: threading.Thread | None = None
        self._waiter_guard = threading.Lock()

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the usual case: nobody writing
        except BlockingIOError:
            self._wait(fd)
        self.fd = fd

    def _wait(self, fd: int) -> None:
        """Queue in the kernel (a blocking flock wakes as soon as the lock is free), in the
        queue's waiter thread so that the wait can end with "database is locked" after the
        timeout, as SQLite's own would. The thread lasts (a new thread per contended BEGIN cost
        more than the handover): it takes the waits one by one and ends when idle."""
        wait = _Wait(fd)
        self._waits.put(wait)
        self._ensure_waiter()
        if wait.granted.acquire(timeout=self.timeout):
            return
        with wait.guard:
            if not wait.abandoned and wait.granted.acquire(blocking=False):
                return  # granted just now
            wait.abandoned = True
        raise OperationalError("database is locked")

    def _ensure_waiter(self) -> None:
        with self._waiter_guard:
            if self._waiter is None or not self._waiter.is_alive():
                self._waiter = threading.Thread(
                    target=self._serve, name="sqlite-writer-queue", daemon=True
                )
                self._waiter.start()

    def _serve(self) -> None:
        while True:
            try:
                wait = self._waits.get(timeout=self.IDLE_SECONDS)
            except queue.Empty:
                with self._waiter_guard:
                    if self._waits.empty():  # no wait queued meanwhile: a later one starts anew
                        self._waiter = None
                        return
                continue
            fcntl.flock(wait.fd, fcntl.LOCK_EX)
            with wait.guard:
                if wait.abandoned:
                    os.close(wait.fd)  # given up on: let the next writer in
                else:
                    wait.granted.release()

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)  # closing the descriptor drops its lock


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_queue: WriterQueue | None = None

    def _queue(self) -> WriterQueue | None:
        if self._writer_queue is None and not self.is_in_memory_db():
            name = str(self.settings_dict["NAME"])
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            self._writer_queue = WriterQueue(f"{name}-writer", timeout)
        return self._writer_queue

    def _start_transaction_under_autocommit(self):
        # every write transaction: IMMEDIATE (settings) and EXCLUSIVE (the task worker's claim,
        # django_tasks_db.utils.exclusive_transaction, once a second), which would otherwise
        # take the database lock past the queue and send a queued writer to SQLite's busy sleep
        queue = self._queue() if self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE") else None
        if queue is not None:
            queue.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            if queue is not None:
                queue.release()
            raise

    def _release_writer(self) -> None:
        if self._writer_queue is not None:
            self._writer_queue.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()
