from django.urls import path

from . import views

app_name = "consult"
urlpatterns = [
    # public (no sign-in)
    path("", views.ask, name="ask"),
    path("track/", views.track, name="track"),
    path("t/<str:code>/", views.thread, name="thread"),
    path("faq/", views.faq, name="faq"),
    # agents
    path("inbox/", views.inbox, name="inbox"),
    path("suggest/", views.suggest, name="suggest"),
    path("c/<id:pk>/", views.detail, name="detail"),
    path("c/<id:pk>/claim/", views.claim, name="claim"),
    path("c/<id:pk>/reply/", views.reply, name="reply"),
    path("c/<id:pk>/transfer/", views.transfer_view, name="transfer"),
    path("c/<id:pk>/close/", views.close, name="close"),
    path("c/<id:pk>/promote/", views.promote, name="promote"),
    # center admin
    path("roster/", views.roster, name="roster"),
    path("roster/<id:pk>/remove/", views.roster_remove, name="roster_remove"),
    path("overview/", views.overview, name="overview"),
    path("faq/<id:pk>/withdraw/", views.faq_withdraw, name="faq_withdraw"),
]
