"""The worker's log level: each job's start and end by default, warnings only for the demo."""

import logging

import pytest

from chuangkou import cli

NAMES = ("django_tasks", "django_tasks_db", "chuangkou.jobs")


@pytest.fixture
def levels():
    before = {name: logging.getLogger(name).level for name in NAMES}
    yield lambda: {logging.getLogger(name).level for name in NAMES}
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(
    ("setting", "level"),
    [(None, logging.INFO), ("WARNING", logging.WARNING), ("debug", logging.DEBUG),
     ("no-such-level", logging.INFO)],
)  # fmt: skip
def test_the_worker_logs_at_the_level_asked_for(monkeypatch, levels, setting, level):
    if setting is None:
        monkeypatch.delenv("WORKER_LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("WORKER_LOG_LEVEL", setting)
    cli._worker_logging()
    assert levels() == {level}
