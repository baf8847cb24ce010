from chuangkou.supervision.services import escalate_overdue

from ._daily import DailyCommand


class Command(DailyCommand):
    help = "痛点堵点难点超期上报：把超过解决期限仍未解决的问题上报中心管理员（cron 每日运行）。"

    def handle(self, *args, **options):
        escalated = escalate_overdue(today=self.day(options))
        self.stdout.write(f"已上报中心管理员 {escalated} 个超期问题。")
