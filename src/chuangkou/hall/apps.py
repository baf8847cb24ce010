from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "chuangkou.hall"
    label = "hall"
    verbose_name = "大厅取号"
