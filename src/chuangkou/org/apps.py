from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chuangkou.org"
    label = "org"
    verbose_name = "机构与人员"
