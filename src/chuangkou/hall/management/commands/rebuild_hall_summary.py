"""`chuangkou manage rebuild_hall_summary [--start 2018-01-01 --end 2018-06-30]`: 重建排队日汇总."""

from chuangkou.core.summary_command import RebuildSummaryCommand
from chuangkou.hall import summary


class Command(RebuildSummaryCommand):
    help = "重建排队日汇总（默认：昨天及尚未汇总的日期；今天的号始终实时统计）"
    summary = summary
    title = "排队日汇总"
    counted = ("tickets", "个号")
