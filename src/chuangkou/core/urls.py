from django.urls import path

from . import account_views, calendar_admin, export_views, views

app_name = "core"
urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("login/otp/", account_views.login_otp, name="login_otp"),
    path("login/otp/setup/", account_views.otp_setup, name="otp_setup"),
    path("account/", account_views.my_account, name="my_account"),
    path("account/password/", account_views.password_change, name="password_change"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/requests/<id:pk>/", views.role_request_decide, name="role_request_decide"),
    path("accounts/<id:pk>/", views.account_detail, name="account_detail"),
    path("healthz", views.healthz, name="healthz"),
    path("calendar/", calendar_admin.official_days, name="official_days"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<id:pk>/", export_views.export_job, name="export_job"),
    path("exports/<id:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<id:pk>/<str:action>/", export_views.export_action, name="export_action"),
]
