from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("healthz", views.healthz, name="healthz"),
]
