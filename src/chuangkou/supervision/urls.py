from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("visits/assignments/<id:pk>/file/", views.visit_file, name="visit_file"),
    path("visits/<id:pk>/", views.visit_detail, name="visit_detail"),
    path("photos/<id:pk>/", views.visit_photo, name="visit_photo"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<id:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<id:pk>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("sittings/", views.sitting_calendar, name="sitting_calendar"),
    path("sittings/slots/new/", views.slot_open, name="slot_open"),
    path("sittings/<id:pk>/", views.sitting_detail, name="sitting_detail"),
    path("sittings/<id:pk>/record/", views.sitting_record, name="sitting_record"),
    path("sittings/handbook.docx", views.handbook_docx, name="handbook_docx"),
    path("sittings/record-form.docx", views.record_form_docx, name="record_form_docx"),
    path("problems/", views.problem_board, name="problem_board"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<id:pk>/", views.problem_detail, name="problem_detail"),
]
