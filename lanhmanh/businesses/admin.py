from django.contrib import admin

from lanhmanh.businesses.models import Business, BusinessType, Commitment, Suspicion
from lanhmanh.core.admin import ScopedAdmin


@admin.register(BusinessType)
class BusinessTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "group", "code", "risk_points", "sort_order")


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ("signed_on", "signer_name", "valid_until", "scan")
    exclude = ("unit",)


@admin.register(Business)
class BusinessAdmin(ScopedAdmin):
    list_display = ("name", "business_type", "unit", "status", "risk_level", "last_reviewed_on")
    list_filter = ("business_type", "status", "risk_level", "subject_to_management")
    search_fields = ("name", "address", "licence_number")
    raw_id_fields = ("unit", "residential_group", "last_reviewed_by")
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin):
    list_display = ("business", "signed_on", "valid_until", "unit")
    raw_id_fields = ("business",)
    exclude = ("unit",)


@admin.register(Suspicion)
class SuspicionAdmin(ScopedAdmin):
    list_display = ("business", "kind", "noted_on", "cleared_on", "unit")
    raw_id_fields = ("business",)
    exclude = ("unit",)
