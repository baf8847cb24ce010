from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "chuangkou.training"
    label = "training"
    verbose_name = "培训与建议"
