"""Real concurrency for tests: run calls in threads at the same moment, each thread with its
own database connection (closed at its end), on whichever database the run uses."""

import threading

from django.db import connection

from chuangkou.core.errors import DomainError


def race(calls, *, timeout: float = 120) -> tuple[int, list[str]]:
    """Start every call at once (a barrier); (how many succeeded, the DomainError messages)."""
    barrier = threading.Barrier(len(calls))
    done, refused, lock = [], [], threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            with lock:
                done.append(1)
        except DomainError as exc:
            with lock:
                refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return len(done), refused
