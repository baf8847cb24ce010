from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("pad/", views.pad_open, name="pad_open"),
    path("pad/<int:window_id>/", views.pad, name="pad"),
    path("pad/<int:window_id>/current/", views.pad_current, name="pad_current"),
    path("t/<uuid:token>/", views.ticket_rating, name="ticket_rating"),
    path("entry/", views.entry, name="entry"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path(
        "surveys/<int:pk>/samples/<int:sample_id>/",
        views.survey_interview,
        name="survey_interview",
    ),
    path("surveys/<int:pk>/report/", views.survey_report, name="survey_report"),
]
