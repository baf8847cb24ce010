"""Background jobs of notify (queue "notify"), run by `chuangkou worker`.

Periodic (the scheduler): `deliver_due` every minute (retries after backoff, messages deferred by
quiet hours or the per-number limit).
"""

from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends

from chuangkou.core import tasks as core_tasks

from . import services


def enqueue(job, *args):
    """Queue a job. With the database backend the job row joins the caller's transaction (the
    outbox); with the immediate backend (tests) it runs once the caller's transaction commits,
    as a worker would, so a job never runs inside, or slows, the caller's own work."""
    backend = task_backends[job.backend or DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ == "ImmediateBackend":
        transaction.on_commit(lambda: job.enqueue(*args))
        return None
    return core_tasks.enqueue(job, *args)


@task(queue_name="notify")
def deliver_messages(message_ids: list[int]) -> dict:
    outcomes = {}
    for message_id in message_ids:
        outcomes[str(message_id)] = services.deliver(message_id)
    return outcomes


@task(queue_name="notify")
def deliver_due() -> int:
    """Every minute: send the messages that are due (retries, deferred ones)."""
    ids = services.due_message_ids()
    for message_id in ids:
        services.deliver(message_id)
    return len(ids)
