"""A worker process that stops dead in the middle of an import's write (for the SIGKILL test).

`python -m tests.cases.killable_import_worker DB_NAME MEDIA_ROOT MARKER`: runs the queued jobs
against the tests' database; once the import has inserted its rows (inside its transaction, not
committed), it writes MARKER and waits to be killed.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    db_name, media_root, marker = sys.argv[1:4]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = db_name
    settings.MEDIA_ROOT = media_root
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    import django

    django.setup()
    from chuangkou.cases.imports import jobs

    add_counts = jobs.add_daily_counts

    def stall(checker):
        add_counts(checker)  # the rows are in, uncommitted
        Path(marker).write_text("writing")
        time.sleep(600)

    jobs.add_daily_counts = stall
    from chuangkou.jobs.worker import run_worker

    run_worker(batch=True, schedule=False)


if __name__ == "__main__":
    main()
