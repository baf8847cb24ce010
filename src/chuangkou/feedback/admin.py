"""Data maintenance only: ratings, rectifications and interviews are written by the audited
services, so they are read-only here."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Evaluation, Rectification, RectificationEvent, Survey, SurveySample


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "channel",
        "level",
        "department",
        "window",
        "staff",
        "invalidated",
    ]
    list_filter = ["channel", "level", "invalidated"]


class EventInline(admin.TabularInline):
    model = RectificationEvent
    extra = 0
    can_delete = False


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "state", "callback_due", "reply_due", "opened_at"]
    list_filter = ["state"]
    inlines = [EventInline]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "period_start", "period_end", "seed", "sample_size"]


@admin.register(SurveySample)
class SurveySampleAdmin(ReadOnlyAdmin):
    list_display = ["survey", "case", "reached", "visits_reported", "satisfied"]
    list_filter = ["survey", "reached", "satisfied"]
