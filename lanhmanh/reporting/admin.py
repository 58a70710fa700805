from django.contrib import admin

from lanhmanh.reporting.models import ReportDeadline, ReportType


class ReportDeadlineInline(admin.TabularInline):
    model = ReportDeadline
    extra = 0
    autocomplete_fields = ["province"]


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "period_rule", "cutoff", "deadline_day", "deadline_months_after_end", "is_active"]
    list_filter = ["period_rule", "is_active"]
    inlines = [ReportDeadlineInline]
