"""`chuangkou partitions`: create the coming months' partitions, list them, or detach an old month
for archiving (PostgreSQL; on SQLite it says partitioning does not apply)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from chuangkou.core import partitions
from chuangkou.core.errors import DomainError


def _month(text: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise CommandError(f"月份格式应为 2024-01：{text}") from None


class Command(BaseCommand):
    help = "按月分区：提前创建分区（默认）、--list 列出、--detach YYYY-MM --table T 拆出归档"

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.MONTHS_AHEAD)
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--detach", metavar="YYYY-MM")
        parser.add_argument("--table")

    def handle(self, *args, ahead, list, detach, table, **options):
        if not partitions.is_supported():
            self.stdout.write(partitions.ONLY_POSTGRESQL)
            return
        if detach:
            self._detach(_month(detach), table)
        elif list:
            self._list()
        else:
            if not 0 <= ahead <= 120:
                raise CommandError("--ahead 应在 0 到 120 之间")
            self.stdout.write(partitions.ensure_partitions(months_ahead=ahead).message)

    def _detach(self, month: dt.date, table: str | None) -> None:
        tables = [name for name, _column in partitions.partitioned_tables()]
        if table not in tables:
            raise CommandError(f"请用 --table 指定要拆出的表：{'、'.join(tables)}")
        try:
            result = partitions.detach_partition(actor=None, table=table, month=month)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(result.message)

    def _list(self) -> None:
        for info in partitions.list_partitions():
            month = "默认分区" if info.is_default else f"{info.month:%Y-%m}" if info.month else "—"
            rows = "未统计" if info.rows is None else f"约 {info.rows} 行"
            self.stdout.write(f"{info.table}\t{info.name}\t{month}\t{rows}")
