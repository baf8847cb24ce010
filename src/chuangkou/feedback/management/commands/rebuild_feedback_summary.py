"""`chuangkou manage rebuild_feedback_summary [--start 2018-01-01 --end 2018-06-30]`:
重建满意率日汇总."""

from chuangkou.core.summary_command import RebuildSummaryCommand
from chuangkou.feedback import summary


class Command(RebuildSummaryCommand):
    help = "重建满意率日汇总（默认：昨天及尚未汇总的日期；今天的评价始终实时统计）"
    summary = summary
    title = "满意率日汇总"
    counted = ("ratings", "条有效评价")
