from chuangkou.supervision.services import confirm_lapsed_findings

from ._daily import DailyCommand


class Command(DailyCommand):
    help = "暗访问题逾期未申辩视为确认：确认期限（3 个工作日）已过的待确认问题（cron 每日运行）。"

    def handle(self, *args, **options):
        confirmed = confirm_lapsed_findings(today=self.day(options))
        self.stdout.write(f"已确认 {confirmed} 个逾期未申辩的暗访问题。")
