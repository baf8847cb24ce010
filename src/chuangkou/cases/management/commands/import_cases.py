"""`chuangkou manage import_cases 历史办件.xlsx`: the historical-case import from the command line.

The same checks and all-or-nothing write as the import page, run as the account named by
`--as USERNAME` (the audit entry names that person; an unknown or inactive account is refused).
Progress is printed while the rows are checked.
"""

import threading
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from chuangkou.cases import permissions
from chuangkou.cases.imports import file_format, run_import
from chuangkou.cases.models import ImportJob
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.importing import actor_named


class Command(BaseCommand):
    help = "导入历史办件（CSV 或 Excel）：先校验全部行，有错误则不导入"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")

    def handle(self, *args, file: Path, as_user: str, **options):
        try:
            actor = actor_named(as_user)
            if not file.is_file():
                raise CommandError(f"找不到文件：{file}")
            fmt = file_format(file.name)
            if not permissions.can_import(actor):
                raise PermissionDeniedError("只有中心管理员可以导入历史办件。")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        job = ImportJob(filename=file.name[:200], format=fmt, created_by=actor)
        with file.open("rb") as f:
            job.file.save(file.name, File(f), save=False)
        job.save()
        done = threading.Event()
        watcher = threading.Thread(target=self._report, args=(job.pk, done), daemon=True)
        watcher.start()
        try:
            job = run_import(job.pk)
        finally:
            done.set()
        if job.status != ImportJob.Status.DONE:
            for e in job.errors:
                self.stderr.write(f"第 {e['row']} 行「{e['column']}」列：{e['message']}")
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(job.message))

    def _report(self, job_id: int, done: threading.Event) -> None:
        from django.db import connection

        try:
            while not done.wait(5):
                job = ImportJob.objects.filter(pk=job_id).first()
                if job is not None:
                    self.stdout.write(f"{job.get_status_display()}：{job.processed_rows} 行")
        finally:
            connection.close()
