"""Data maintenance only: tickets, events and appointments are written by the services."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import (
    Appointment,
    AppointmentSlot,
    HallSettings,
    QueueCounter,
    ServiceQueue,
    Ticket,
    TicketEvent,
)


@admin.register(ServiceQueue)
class ServiceQueueAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "center", "average_service_minutes", "is_active"]
    list_filter = ["center", "is_active"]
    filter_horizontal = ["matters", "windows"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["service_date", "number", "queue", "status", "channel", "priority", "window"]
    list_filter = ["service_date", "status", "channel", "priority"]
    search_fields = ["number"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "ticket", "kind", "window", "actor"]
    list_filter = ["kind"]


@admin.register(QueueCounter)
class QueueCounterAdmin(ReadOnlyAdmin):
    list_display = ["queue", "service_date", "last_seq"]


@admin.register(HallSettings)
class HallSettingsAdmin(ReadOnlyAdmin):
    list_display = ["center", "target_wait_minutes", "max_recalls", "checkin_early_minutes"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(ReadOnlyAdmin):
    list_display = ["date", "start", "end", "queue", "capacity"]
    list_filter = ["date", "queue"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["slot", "status", "booked_at", "checked_in_at"]
    list_filter = ["status"]
