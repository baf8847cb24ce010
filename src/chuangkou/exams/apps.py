from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "chuangkou.exams"
    label = "exams"
    verbose_name = "题库与考试"
