from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("accept/", views.accept, name="accept"),
    path("figures/", views.figures, name="figures"),
    path("import/", views.import_cases, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("import/<id:pk>/", views.import_job, name="import_job"),
    path("import/<id:pk>/<str:action>/", views.import_job_action, name="import_job_action"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/<str:action>/", views.case_action, name="action"),
]
