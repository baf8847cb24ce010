"""Access to the 后台任务 page: the sysadmin only (schedules, workers, failed jobs, retry)."""

from .matrix import SYS, Access

NO_SUCH_TASK = "00000000-0000-4000-8000-000000000000"

ACCESS = [
    Access("GET", "/jobs/", frozenset({SYS}), url_name="jobs:overview"),
    Access("GET", "/jobs/?page=99999999999999999999", frozenset({SYS})),
    Access(  # the sysadmin gets in and finds no such failed task
        "POST",
        f"/jobs/failed/{NO_SUCH_TASK}/retry/",
        frozenset({SYS}),
        ok=404,
        url_name="jobs:retry",
    ),
]
