from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    # public: the ticket's phone page and the booking page
    path("s/<slug:kind>/<uuid:token>/optin/", views.optin, name="optin"),
    path("s/<slug:kind>/<uuid:token>/optout/", views.optout, name="optout"),
    path("s/<slug:kind>/<uuid:token>/pending/", views.pending, name="pending"),
    path("s/<slug:kind>/<uuid:token>/push/", views.push, name="push"),
    path("sw.js", views.service_worker, name="service_worker"),
    # center admin, system administrator
    path("log/", views.message_log, name="log"),
    path("figures/", views.figures, name="figures"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:code>/", views.template_approve, name="template_approve"),
]
