"""Data maintenance only: consultations, their threads and FAQ entries are written through the
audited services, so the admin shows them read-only."""

from django.contrib import admin

from .models import Consultation, DutyShift, FaqEntry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnly):
    list_display = ["code", "created_at", "department", "status", "agent"]
    list_filter = ["status"]
    exclude = ["phone", "search_tokens"]


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnly):
    list_display = ["date", "shift", "staff", "department"]


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnly):
    list_display = ["question", "matter", "is_published", "created_at"]
