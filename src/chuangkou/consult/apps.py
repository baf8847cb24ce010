from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "chuangkou.consult"
    label = "consult"
    verbose_name = "1call 在线咨询"
