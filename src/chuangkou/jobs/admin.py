from django.contrib import admin

from .models import Schedule, WorkerBeat


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "next_run_at", "last_run_at", "last_outcome", "claimed_by")
    readonly_fields = ("last_run_at", "last_outcome", "last_task_id", "claimed_by")


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at")
