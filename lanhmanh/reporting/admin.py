from django.contrib import admin

from lanhmanh.reporting.models import ReportDeadline, ReportType, SentenceTemplate


class ReportDeadlineInline(admin.TabularInline):
    model = ReportDeadline
    extra = 0
    autocomplete_fields = ["province"]


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "period_rule", "cutoff", "deadline_day", "deadline_months_after_end", "is_active"]
    list_filter = ["period_rule", "is_active"]
    inlines = [ReportDeadlineInline]


@admin.register(SentenceTemplate)
class SentenceTemplateAdmin(admin.ModelAdmin):
    """Administrators edit the sentences reports are drafted with: indicator codes in braces, e.g.
    {INSP_SESSIONS}, {INSP_SESSIONS:previous}, {CASES_CRIMINAL:change} (checked on save)."""

    list_display = ["code", "section", "order", "is_active", "text"]
    list_filter = ["section", "is_active"]
    search_fields = ["code", "text"]
