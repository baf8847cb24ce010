"""notify tests run on the hall's small world; jobs run once the caller's transaction commits
(`jobs`: runs the callbacks a real commit would run)."""

import pytest

from tests.hall.conftest import hall, make_desks  # noqa: F401 - fixtures shared with the hall


@pytest.fixture(autouse=True)
def _notify_settings(settings):
    settings.NOTIFY_CHANNELS = ["log", "browser"]
    settings.NOTIFY_QUIET_HOURS = (21, 8)
    settings.NOTIFY_PER_NUMBER_PER_HOUR = 6


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """`with jobs(): …` runs the queued notify jobs at the end of the block, as a worker would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
