from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.enforcement.models import EnforcementCase, Offence


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "case_type", "legal_reference", "valid_from", "valid_until")
    list_filter = ("case_type",)
    search_fields = ("name", "code", "legal_reference")


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(ScopedAdmin):
    list_display = ("detected_on", "case_type", "reference_number", "unit", "people_arrested", "people_prosecuted")
    list_filter = ("case_type",)
    search_fields = ("reference_number",)
    raw_id_fields = ("unit", "agency", "business", "origin_tip", "origin_visit")
    filter_horizontal = ("offences",)
