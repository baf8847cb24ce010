"""Tasks used by the tests of the task queue (importable by the worker through their path)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b


@task(queue_name="notify")
def explode(reason: str) -> None:
    raise ValueError(reason)
