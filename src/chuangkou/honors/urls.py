from django.urls import path

from . import views

app_name = "honors"
urlpatterns = [
    path("", views.public_honors, name="public"),
    path("v/<str:token>/", views.vote, name="vote"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<id:pk>/counts/", views.live_counts, name="live_counts"),
    path("nominations/<id:pk>/certificate/", views.certificate, name="certificate"),
    path("tickets/<id:pk>/qr/", views.ticket_qr, name="ticket_qr"),
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("commendations/new/", views.commendation_create, name="commendation_create"),
    path("commendations/<id:pk>/scan/", views.commendation_scan, name="commendation_scan"),
]
