from django.urls import path, register_converter

from . import views
from .models import CODE_REGEX


class CodeConverter:
    """事项/一件事 codes (letters, digits, . _ -): anything else is simply not found."""

    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "catalog_code")

app_name = "catalog"
urlpatterns = [
    # public (no sign-in)
    path("", views.guide, name="guide"),
    path("matter/<catalog_code:code>/", views.matter_guide, name="matter_guide"),
    path("bundle/<catalog_code:code>/", views.bundle_guide, name="bundle_guide"),
    path("material/<id:pk>/<str:kind>/", views.material_file, name="material_file"),
    # staff
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.matter_create, name="matter_create"),
    path("manage/<id:pk>/edit/", views.matter_edit, name="matter_edit"),
    path("manage/<id:pk>/active/", views.matter_set_active, name="matter_set_active"),
    path("manage/import/", views.catalog_import, name="import"),
    path("manage/import/template.xlsx", views.import_template, name="import_template"),
    path("manage/bundles/", views.bundles, name="bundles"),
    path("manage/bundles/new/", views.bundle_create, name="bundle_create"),
    path("manage/bundles/<id:pk>/edit/", views.bundle_edit, name="bundle_edit"),
    path("manage/bundles/<id:pk>/active/", views.bundle_set_active, name="bundle_set_active"),
]
