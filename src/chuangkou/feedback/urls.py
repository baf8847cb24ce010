from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("pad/", views.pad_open, name="pad_open"),
    path("pad/<id:window_id>/", views.pad, name="pad"),
    path("pad/<id:window_id>/current/", views.pad_current, name="pad_current"),
    path("t/<uuid:token>/", views.ticket_rating, name="ticket_rating"),
    path("entry/", views.entry, name="entry"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<id:pk>/", views.rectification_detail, name="rectification_detail"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/import/", views.survey_import, name="survey_import"),
    path(
        "surveys/import/template.xlsx",
        views.survey_import_template,
        name="survey_import_template",
    ),
    path("surveys/<id:pk>/", views.survey_detail, name="survey_detail"),
    path(
        "surveys/<id:pk>/samples/<id:sample_id>/",
        views.survey_interview,
        name="survey_interview",
    ),
    path("surveys/<id:pk>/report/", views.survey_report, name="survey_report"),
]
