from django.contrib import admin

from .models import Assignment, BusinessCategory, Center, Department, Region, Separation, Window


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "city", "name"]


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent"]
    list_filter = ["kind", "region"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    filter_horizontal = ["heads"]


@admin.register(BusinessCategory)
class BusinessCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "center", "department", "is_active"]
    list_filter = ["center", "department", "is_active"]
    filter_horizontal = ["categories"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["staff", "center", "window", "kind", "start_date", "end_date"]
    list_filter = ["kind", "center"]


@admin.register(Separation)
class SeparationAdmin(admin.ModelAdmin):
    list_display = ["staff", "date", "reason"]
    list_filter = ["reason"]
