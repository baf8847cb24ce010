from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "chuangkou.notify"
    label = "notify"
    verbose_name = "消息通知"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # each app above notify registers its subjects and figures in its notices.py
        autodiscover_modules("notices")
