from django.contrib import admin
from django.urls import include, path

from .api import api
from .core.url_groups import grouped_by_first_segment
from .org.views import home

urlpatterns = [
    # first: the machines' hot paths (issue, call next) resolve at once; one group per app
    path("api/v1/", grouped_by_first_segment(api.urls)),
    path("", home, name="home"),
    path("", include("chuangkou.core.urls")),
    path("staff/", include("chuangkou.org.urls")),
    path("guide/", include("chuangkou.catalog.urls")),
    path("hall/", include("chuangkou.hall.urls")),
    path("cases/", include("chuangkou.cases.urls")),
    path("feedback/", include("chuangkou.feedback.urls")),
    path("consult/", include("chuangkou.consult.urls")),
    path("prereview/", include("chuangkou.prereview.urls")),
    path("exams/", include("chuangkou.exams.urls")),
    path("selection/", include("chuangkou.selection.urls")),
    path("honors/", include("chuangkou.honors.urls")),
    path("reports/", include("chuangkou.reports.urls")),
    path("notify/", include("chuangkou.notify.urls")),
    path("supervision/", include("chuangkou.supervision.urls")),
    path("care/", include("chuangkou.care.urls")),
    path("training/", include("chuangkou.training.urls")),
    path("jobs/", include("chuangkou.jobs.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "chuangkou.core.error_pages.bad_request"
handler403 = "chuangkou.core.error_pages.permission_denied"
handler404 = "chuangkou.core.error_pages.page_not_found"
handler500 = "chuangkou.core.error_pages.server_error"
