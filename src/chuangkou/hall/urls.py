from django.urls import path

from .views import manage, public, staff

app_name = "hall"
urlpatterns = [
    # public, no login
    path("kiosk/<id:center_id>/", public.kiosk, name="kiosk"),
    path("kiosk/<id:center_id>/take/", public.kiosk_take, name="kiosk_take"),
    path("kiosk/<id:center_id>/checkin/", public.kiosk_checkin, name="kiosk_checkin"),
    path("slip/<uuid:token>/", public.slip, name="slip"),
    path("t/<uuid:token>/", public.follow, name="follow"),
    path("board/<id:center_id>/", public.board, name="board"),
    path("book/<id:center_id>/", public.book, name="book"),
    path("appointment/<uuid:token>/", public.appointment, name="appointment"),
    # staff
    path("lobby/", staff.lobby, name="lobby"),
    path("lobby/checkin/", staff.lobby_checkin, name="lobby_checkin"),
    path("tickets/", staff.ticket_list, name="ticket_list"),
    path("tickets/<id:pk>/", staff.ticket_detail, name="ticket_detail"),
    path("tickets/<id:pk>/cancel/", staff.ticket_cancel, name="ticket_cancel"),
    path("desk/", staff.desk, name="desk"),
    path("desk/window/", staff.desk_window, name="desk_window"),
    path("windows/<id:window_id>/sign-out/", staff.window_sign_out, name="window_sign_out"),
    path("desk/<slug:action>/", staff.desk_action, name="desk_action"),
    path("appointments/", staff.appointment_list, name="appointment_list"),
    path("appointments/no-shows/", staff.appointment_no_shows, name="appointment_no_shows"),
    # center admin, department heads
    path("queues/", manage.queue_list, name="queue_list"),
    path("queues/new/", manage.queue_create, name="queue_create"),
    path("queues/<id:pk>/edit/", manage.queue_edit, name="queue_edit"),
    path("settings/", manage.hall_settings, name="settings"),
    path("slots/", manage.slot_list, name="slot_list"),
    path("slots/<id:pk>/delete/", manage.slot_delete, name="slot_delete"),
    path("metrics/", manage.metrics_page, name="metrics"),
]
