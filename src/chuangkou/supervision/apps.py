from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "chuangkou.supervision"
    label = "supervision"
    verbose_name = "督导"
