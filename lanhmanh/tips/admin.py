from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.tips.models import DeadlineRule, Tip, TipSubject


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "days", "counting", "max_extension_days", "legal_reference", "valid_from", "valid_until")
    list_filter = ("kind", "counting")


@admin.register(TipSubject)
class TipSubjectAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")


@admin.register(Tip)
class TipAdmin(ScopedAdmin):
    # The admin never shows the reporter's details: they are read on the tip's page, with the access log.
    list_display = ("number", "unit", "kind", "status", "received_at", "deadline")
    list_filter = ("status", "kind", "channel")
    exclude = ("reporter_name", "reporter_contact", "tracking_secret_hash")
    readonly_fields = ("status", "outcome", "concluded_on", "deadline", "deadline_from", "tracking_code")
