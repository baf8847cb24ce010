"""The rebuild command of a daily summary of closed days (hall 排队日汇总, feedback 满意率日汇总):
`--start/--end` dates, by default yesterday and every day not built yet."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 2018-06-30：{text}") from None


class RebuildSummaryCommand(BaseCommand):
    """Subclasses name the summary module (closed_before, rebuild_recent, rebuild_range), its
    Chinese name, and the key and unit of what it counts in the rebuild's result."""

    summary = None
    title = ""  # e.g. 排队日汇总
    counted = ("", "")  # e.g. ("tickets", "个号")

    def add_arguments(self, parser):
        parser.add_argument("--start", type=_date)
        parser.add_argument("--end", type=_date)

    def handle(self, *args, start=None, end=None, **options):
        if start is None and end is None:
            done = self.summary.rebuild_recent()
        else:
            yesterday = self.summary.closed_before() - dt.timedelta(days=1)
            start, end = start or end, min(end or yesterday, yesterday)
            if end < start:
                raise CommandError("结束日期不能早于开始日期，且只能汇总今天以前的日期。")
            done = self.summary.rebuild_range(start=start, end=end)
        key, unit = self.counted
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建{self.title}：{done['days']} 天，{done['rows']} 行，{done[key]} {unit}。"
            )
        )
