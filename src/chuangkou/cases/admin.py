"""Data maintenance views; cases change only through the audited services, so all read-only."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Case, CaseEvent, DailyCaseStats, ImportJob


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "matter", "center", "window", "status", "accepted_at", "due_date"]
    list_filter = ["status", "channel", "center"]
    search_fields = ["number"]
    exclude = ["applicant_id", "applicant_phone"]
    list_select_related = ["matter", "center", "window"]
    show_full_result_count = False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "from_status", "to_status", "actor_name", "at"]
    list_filter = ["action"]
    show_full_result_count = False


@admin.register(DailyCaseStats)
class DailyCaseStatsAdmin(ReadOnlyAdmin):
    list_display = ["date", "department", "center", "window", "matter", "accepted", "completed"]
    list_filter = ["department"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["filename", "status", "created", "error_count", "created_by", "created_at"]
    exclude = ["errors"]
