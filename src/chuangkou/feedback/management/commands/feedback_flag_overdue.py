from django.core.management.base import BaseCommand

from chuangkou.feedback.services import flag_overdue


class Command(BaseCommand):
    help = "差评整改超期标记：把已过回访或整改反馈期限的整改件标为超期（可由 cron 每日运行）。"

    def handle(self, *args, **options):
        flagged = flag_overdue()
        self.stdout.write(f"已标记超期 {flagged} 件。")
