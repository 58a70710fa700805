from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    Team,
    TeamMember,
    ViolationType,
)


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "legal_reference", "valid_from", "valid_until", "prostitution_related")
    list_filter = ("prostitution_related",)
    search_fields = ("name", "code", "legal_reference")


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ("full_name", "agency", "position", "role_in_team", "valid_from", "valid_until")
    raw_id_fields = ("agency",)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ("name", "unit", "decision_number", "decision_date", "dissolved_on")
    raw_id_fields = ("unit",)
    inlines = [TeamMemberInline]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ScopedAdmin):
    list_display = ("title", "unit", "year", "quarter", "status")
    raw_id_fields = ("unit", "team")


@admin.register(InspectionSession)
class InspectionSessionAdmin(ScopedAdmin):
    list_display = ("date", "team", "kind", "unit")
    raw_id_fields = ("team", "plan")
    exclude = ("unit",)


@admin.register(InspectionVisit)
class InspectionVisitAdmin(ScopedAdmin):
    list_display = ("visited_on", "business", "outcome", "unit")
    raw_id_fields = ("session", "business", "follow_up_of")
    exclude = ("unit",)
