from django.contrib import admin

from .models import ApiToken, AuditEntry, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only through the audited services: the admin shows them, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "display_name", "is_active", "locked_until", "last_login"]
    search_fields = ["username", "display_name"]
    fields = ["username", "display_name", "is_active", "groups"]
    filter_horizontal = ["groups"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
