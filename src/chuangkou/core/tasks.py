"""Background work on Django's tasks framework (the django-tasks package).

Every long or outward-facing job (imports, large exports, documents, escalations, notifications)
is a function decorated with ``django_tasks.task`` and queued through :func:`enqueue`, never run
in a thread of a web worker. ``chuangkou worker`` runs the queued jobs.
"""

from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

#: Backends that keep their jobs in this database: a job queued inside a transaction is written
#: (or rolled back) with the data it belongs to, so it is queued exactly when the data exists.
TRANSACTIONAL_BACKENDS = ("DatabaseBackend", "ImmediateBackend", "DummyBackend")


def enqueue(task, *args, **kwargs):
    """Queue ``task`` with its arguments (JSON values) so it runs once the data it needs exists.

    With the database backend the job row joins the current transaction (an outbox); with an
    outside broker (Redis) the job is sent only after the transaction commits, so a worker never
    looks for rows that are not there yet. Returns the task result where one exists at once.
    """
    backend = task_backends[task.backend or DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ in TRANSACTIONAL_BACKENDS:
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return None


def enqueue_then(on_queued, task, *args, **kwargs) -> None:
    """Like :func:`enqueue`, and calls ``on_queued(result)`` once the job is queued: at once with
    the database backend, after the commit with an outside broker (where :func:`enqueue` has no
    result to return), so the caller can still remember the job's id.
    """
    backend = task_backends[task.backend or DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ in TRANSACTIONAL_BACKENDS:
        on_queued(task.enqueue(*args, **kwargs))
        return
    transaction.on_commit(lambda: on_queued(task.enqueue(*args, **kwargs)))
