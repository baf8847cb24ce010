"""`chuangkou manage rebuild_case_stats --start 2017-01-01 --end 2018-12-31`: 重建办件日汇总."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.cases.services import rebuild_daily_stats


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 2018-06-30：{text}") from None


class Command(BaseCommand):
    help = "按受理件重建办件日汇总（默认：最早的受理日期至今天）"

    def add_arguments(self, parser):
        parser.add_argument("--start", type=_date)
        parser.add_argument("--end", type=_date)
        parser.add_argument(
            "--background", action="store_true", help="交给后台任务处理进程（chuangkou worker）"
        )

    def handle(self, *args, start=None, end=None, background=False, **options):
        first = Case.objects.order_by("accepted_date").values_list("accepted_date", flat=True)
        start = start or first.first() or timezone.localdate()
        end = end or timezone.localdate()
        if end < start:
            raise CommandError("结束日期不能早于开始日期。")
        if background:
            from chuangkou.cases.tasks import rebuild_case_stats
            from chuangkou.core.tasks import enqueue

            enqueue(rebuild_case_stats, start.isoformat(), end.isoformat())
            self.stdout.write(
                f"已排队重建 {start} 至 {end} 的办件日汇总（由 chuangkou worker 执行）。"
            )
            return
        rows = rebuild_daily_stats(start=start, end=end)
        self.stdout.write(self.style.SUCCESS(f"已重建 {start} 至 {end} 的办件日汇总：{rows} 行。"))
