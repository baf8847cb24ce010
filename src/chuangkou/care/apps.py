from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "chuangkou.care"
    label = "care"
    verbose_name = "人文关怀"
