"""Data maintenance only: events, attendance, feedback, suggestions, courseware and the 大 PK are
written by the audited services (check-in, corrections, decisions, scores, votes), so they are
read-only here."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import (
    Attendance,
    Courseware,
    Feedback,
    PkContest,
    PkScore,
    PkVote,
    Suggestion,
    TrainingEvent,
)


@admin.register(TrainingEvent)
class TrainingEventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "place", "speaker", "hours", "capacity"]
    list_filter = ["kind"]
    search_fields = ["title", "speaker"]
    date_hierarchy = "starts_at"


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["event", "staff", "status", "checked_in_at", "correction_reason"]
    list_filter = ["status"]
    list_select_related = ["event", "staff"]
    raw_id_fields = ["event", "staff"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["event", "rating", "usefulness", "created_at"]
    list_select_related = ["event"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "aspect", "status", "created_at", "decided_at"]
    list_filter = ["aspect", "status"]
    search_fields = ["title"]


@admin.register(Courseware)
class CoursewareAdmin(ReadOnlyAdmin):
    list_display = ["title", "domain", "speaker", "year", "selected", "size"]
    list_filter = ["year", "selected"]
    search_fields = ["title", "speaker"]


@admin.register(PkContest)
class PkContestAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "status", "opened_at", "closed_at"]


@admin.register(PkScore)
class PkScoreAdmin(ReadOnlyAdmin):
    list_display = ["contest", "courseware", "judge", "total"]
    list_select_related = ["contest", "courseware", "judge"]


@admin.register(PkVote)
class PkVoteAdmin(ReadOnlyAdmin):
    list_display = ["contest", "courseware", "created_at"]
    list_select_related = ["contest", "courseware"]
