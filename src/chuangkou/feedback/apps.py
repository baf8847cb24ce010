from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "chuangkou.feedback"
    label = "feedback"
    verbose_name = "好差评"
