"""Data maintenance only: consultations, their threads and FAQ entries are written through the
audited services, so the admin shows them read-only."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Consultation, DutyShift, FaqEntry


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["code", "created_at", "department", "status", "agent"]
    list_filter = ["status"]
    exclude = ["phone", "search_tokens"]


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ["date", "shift", "staff", "department"]


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnlyAdmin):
    list_display = ["question", "matter", "is_published", "created_at"]
