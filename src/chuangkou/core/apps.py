from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chuangkou.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.urls import register_converter
        from django.utils.module_loading import autodiscover_modules

        from . import signals
        from .converters import IdConverter

        post_migrate.connect(signals.sync_role_groups, dispatch_uid="chuangkou_roles")
        # `<id:pk>` in every urls.py: ids beyond 2**63-1 are a 404 (registered before any
        # urls module is imported, so app urls can be imported on their own in tests)
        register_converter(IdConverter, "id")
        # each app registers its large tables (core.exports) in its transfer.py
        autodiscover_modules("transfer")
