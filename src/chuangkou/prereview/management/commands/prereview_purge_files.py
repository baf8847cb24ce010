"""预审材料文件到期删除: files of pre-reviews whose case closed N days ago (dry run by default)."""

from django.core.management.base import BaseCommand

from chuangkou.core.tasks import enqueue

from ... import services, tasks


class Command(BaseCommand):
    help = "删除办件办结 N 天后（PREREVIEW_FILE_DAYS，默认 30）的预审材料文件；默认只统计不删除。"

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="真正删除（默认只统计）")
        parser.add_argument("--queue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, apply: bool = False, queue: bool = False, **options):
        if queue:
            enqueue(tasks.purge_expired_files)
            self.stdout.write("已加入后台任务队列。")
            return
        count = services.purge_expired_files(dry_run=not apply)
        verb = "已删除" if apply else "将删除（加 --apply 执行）"
        self.stdout.write(f"{verb} {count} 份预审的材料文件。")
