from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskUpdate


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ("year", "number", "symbol", "title", "unit", "status", "issued_on")
    list_filter = ("status", "year")
    search_fields = ("title", "number")
    raw_id_fields = ("unit",)
    filter_horizontal = ("parent_plans",)


@admin.register(PlanSection)
class PlanSectionAdmin(ScopedAdmin):
    list_display = ("heading", "plan", "order", "unit")
    raw_id_fields = ("unit", "plan")


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("text", "plan", "indicator", "comparison", "kind", "value", "unit")
    list_filter = ("kind", "comparison")
    search_fields = ("text", "indicator")
    raw_id_fields = ("unit", "plan", "upper_target")


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ("title", "plan", "group", "lead_agency", "deadline", "recurrence", "status", "progress")
    list_filter = ("group", "status", "recurrence")
    search_fields = ("title",)
    raw_id_fields = ("unit", "plan", "lead_agency", "upper_task")
    filter_horizontal = ("cooperating_agencies",)


@admin.register(TaskUpdate)
class TaskUpdateAdmin(ScopedAdmin):
    list_display = ("on", "task", "progress", "status", "unit")
    list_filter = ("status",)
    raw_id_fields = ("unit", "task")
