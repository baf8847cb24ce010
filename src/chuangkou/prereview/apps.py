from django.apps import AppConfig


class PrereviewConfig(AppConfig):
    name = "chuangkou.prereview"
    label = "prereview"
    verbose_name = "材料预审"
