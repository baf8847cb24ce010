from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chuangkou.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals

        post_migrate.connect(signals.sync_role_groups, dispatch_uid="chuangkou_roles")
