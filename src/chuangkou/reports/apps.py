from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chuangkou.reports"
    label = "reports"
    verbose_name = "报表"
