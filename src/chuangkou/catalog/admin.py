"""Data maintenance view of the catalog. Writes go through the audited services (the 事项管理
pages, the API or the Excel import), so the admin only shows the rows."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Bundle, BundleItem, Material, Matter


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ["order", "name", "requirement", "condition", "form", "copies", "template"]
    extra = 0

    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "department", "kind", "promised_days", "max_visits", "online"]
    list_filter = ["department", "kind", "max_visits", "online", "is_active"]
    search_fields = ["code", "name"]
    inlines = [MaterialInline]


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    fields = ["order", "matter"]
    extra = 0

    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(Bundle)
class BundleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]
    inlines = [BundleItemInline]
