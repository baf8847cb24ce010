"""`chuangkou manage rebuild_feedback_summary [--start 2018-01-01 --end 2018-06-30]`:
重建满意率日汇总."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from chuangkou.feedback import summary


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 2018-06-30：{text}") from None


class Command(BaseCommand):
    help = "重建满意率日汇总（默认：昨天及尚未汇总的日期；今天的评价始终实时统计）"

    def add_arguments(self, parser):
        parser.add_argument("--start", type=_date)
        parser.add_argument("--end", type=_date)

    def handle(self, *args, start=None, end=None, **options):
        if start is None and end is None:
            done = summary.rebuild_recent()
        else:
            yesterday = summary.closed_before() - dt.timedelta(days=1)
            start, end = start or end, min(end or yesterday, yesterday)
            if end < start:
                raise CommandError("结束日期不能早于开始日期，且只能汇总今天以前的日期。")
            done = summary.rebuild_range(start=start, end=end)
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建满意率日汇总：{done['days']} 天，{done['rows']} 行，"
                f"{done['ratings']} 条有效评价。"
            )
        )
