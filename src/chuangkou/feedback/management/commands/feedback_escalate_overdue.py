from django.core.management.base import BaseCommand

from chuangkou.feedback.services import escalate_overdue


class Command(BaseCommand):
    help = "差评整改超期上报：标记超期，并把尚未上报的超期整改上报中心管理员（cron 每日运行）。"

    def handle(self, *args, **options):
        escalated = escalate_overdue()
        self.stdout.write(f"已上报中心管理员 {escalated} 件超期整改。")
