from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "chuangkou.honors"
    label = "honors"
    verbose_name = "评先表彰"
