from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("leave/", views.my_leave, name="my_leave"),
    path("leave/<id:pk>/cancel/", views.cancel_leave, name="leave_cancel"),
    path("staffing/", views.staffing, name="staffing"),
    path("figures/", views.figures, name="figures"),
    path("counseling/", views.counseling, name="counseling"),
    path("counseling/slots/<id:pk>/book/", views.book, name="book"),
    path("counseling/<id:pk>/cancel/", views.cancel_appointment, name="appointment_cancel"),
    path("counselor/", views.counselor, name="counselor"),
    path("counselor/slots/<id:pk>/withdraw/", views.withdraw_slot, name="slot_withdraw"),
    path("counselor/appointments/<id:pk>/note/", views.note, name="note"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.talk_create, name="talk_create"),
]
