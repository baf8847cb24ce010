from django.urls import path

from . import account_views, import_views, views

app_name = "org"
urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.staff_create, name="staff_create"),
    path("import/", views.staff_import, name="staff_import"),
    path("import/template.xlsx", views.staff_import_template, name="staff_import_template"),
    path("accounts/", account_views.staff_accounts, name="staff_accounts"),
    path("accounts/create/", account_views.staff_accounts_create, name="staff_accounts_create"),
    path(
        "accounts/issued.xlsx",
        account_views.staff_accounts_download,
        name="staff_accounts_download",
    ),
    path("data-import/<slug:kind>/", import_views.data_import, name="data_import"),
    path(
        "data-import/<slug:kind>/template.xlsx",
        import_views.data_import_template,
        name="data_import_template",
    ),
    path("me/", views.my_profile, name="my_profile"),
    path("turnover/", views.turnover, name="turnover"),
    path("<id:pk>/", views.staff_detail, name="staff_detail"),
    path("<id:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("<id:pk>/separate/", views.staff_separate, name="staff_separate"),
    path("<id:pk>/assign/", views.staff_assign, name="staff_assign"),
]
