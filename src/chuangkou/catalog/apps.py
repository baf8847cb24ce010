from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "chuangkou.catalog"
    label = "catalog"
    verbose_name = "办事指南"
