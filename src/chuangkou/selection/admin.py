"""Data maintenance only: competitions, scores and results are written by the audited services,
so they are read-only here."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Candidate, Competition, InterviewScore, Judge, Objection, Tier


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Competition)
class CompetitionAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "status", "budget", "notice_start", "notice_end"]
    list_filter = ["status", "year"]
    inlines = [TierInline]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["staff", "competition", "status", "final_score", "rank", "tier", "outcome"]
    list_filter = ["competition", "status", "outcome"]
    search_fields = ["staff__name", "staff__staff_no"]


@admin.register(Judge)
class JudgeAdmin(ReadOnlyAdmin):
    list_display = ["user", "competition", "seat"]


@admin.register(InterviewScore)
class InterviewScoreAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "judge", "score", "updated_at"]
    list_filter = ["candidate__competition"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["competition", "candidate", "submitted_by", "status", "submitted_at"]
    list_filter = ["status"]
