from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.staff_create, name="staff_create"),
    path("import/", views.staff_import, name="staff_import"),
    path("import/template.xlsx", views.staff_import_template, name="staff_import_template"),
    path("me/", views.my_profile, name="my_profile"),
    path("turnover/", views.turnover, name="turnover"),
    path("<int:pk>/", views.staff_detail, name="staff_detail"),
    path("<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/separate/", views.staff_separate, name="staff_separate"),
    path("<int:pk>/assign/", views.staff_assign, name="staff_assign"),
]
