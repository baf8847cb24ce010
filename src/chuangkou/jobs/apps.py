from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chuangkou.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the outcome of scheduled runs)
