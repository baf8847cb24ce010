from django.contrib import admin
from django.urls import include, path

from .api import api
from .org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("chuangkou.core.urls")),
    path("staff/", include("chuangkou.org.urls")),
    path("guide/", include("chuangkou.catalog.urls")),
    path("hall/", include("chuangkou.hall.urls")),
    path("cases/", include("chuangkou.cases.urls")),
    path("feedback/", include("chuangkou.feedback.urls")),
    path("exams/", include("chuangkou.exams.urls")),
    path("selection/", include("chuangkou.selection.urls")),
    path("reports/", include("chuangkou.reports.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
