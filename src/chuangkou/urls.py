from django.contrib import admin
from django.urls import include, path

from .api import api
from .org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("chuangkou.core.urls")),
    path("staff/", include("chuangkou.org.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
