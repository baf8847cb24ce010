from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("mine/", views.my_trainings, name="my_trainings"),
    path("new/", views.event_create, name="event_create"),
    path("<id:pk>/", views.event_detail, name="event_detail"),
    path("<id:pk>/signup/", views.event_signup, name="event_signup"),
    path("<id:pk>/screen/", views.event_screen, name="event_screen"),
    path("<id:pk>/qr/", views.event_qr, name="event_qr"),
    path("<id:pk>/absences/", views.event_absences, name="event_absences"),
    path("<id:pk>/correct/", views.event_correct, name="event_correct"),
    path("<id:pk>/feedback/", views.event_feedback, name="event_feedback"),
    path("c/<str:token>/", views.checkin, name="checkin"),
    path("hours/", views.hours, name="hours"),
    path("needs/", views.needs, name="needs"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<id:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<id:pk>/<str:step>/", views.suggestion_step, name="suggestion_step"),
]
urlpatterns += [
    path("courseware/", views.courseware_list, name="courseware_list"),
    path("courseware/new/", views.courseware_create, name="courseware_create"),
    path("courseware/<id:pk>/file/", views.courseware_file, name="courseware_file"),
    path("courseware/<id:pk>/select/", views.courseware_select, name="courseware_select"),
    path("courseware/handbook/", views.handbook, name="handbook"),
    path("pk/<id:pk>/", views.pk_detail, name="pk_detail"),
    path("pk/<id:pk>/open/", views.pk_transition, {"to": "open"}, name="pk_open"),
    path("pk/<id:pk>/close/", views.pk_transition, {"to": "close"}, name="pk_close"),
    path("pk/<id:pk>/results/", views.pk_results, name="pk_results"),
    path("pk/<id:pk>/select/", views.pk_select, name="pk_select"),
]
