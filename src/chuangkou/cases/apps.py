from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chuangkou.cases"
    label = "cases"
    verbose_name = "受理办件"
