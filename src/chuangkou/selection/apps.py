from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "chuangkou.selection"
    label = "selection"
    verbose_name = "竞聘上岗"
