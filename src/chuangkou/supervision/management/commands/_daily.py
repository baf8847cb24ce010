"""What the daily supervision commands share: an optional `--date` (the day they act for)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from chuangkou.core.params import in_window


class DailyCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="按哪一天计算（YYYY-MM-DD，默认今天；用于补跑漏掉的日子）"
        )

    def day(self, options) -> dt.date | None:
        value = options.get("date")
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        if not in_window(day):
            raise CommandError("日期须在 2000-01-01 至 2100-12-31 之间。")
        return day
