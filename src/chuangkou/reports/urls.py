from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("hall/", views.hall, name="hall"),
    path("hall/live/", views.hall_live, name="hall_live"),
    path("oversight/", views.oversight, name="oversight"),
]
