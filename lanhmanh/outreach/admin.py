from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.outreach.models import ActivityAttachment, ActivityAudience, CommunicationActivity, TargetPopulation


class AudienceInline(admin.TabularInline):
    # Read-only: audiences are written through services.save_activity, which keeps participants_total their sum.
    model = ActivityAudience
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ("target_group", "participants")


class AttachmentInline(admin.TabularInline):
    model = ActivityAttachment
    extra = 0
    fields = ("description", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(CommunicationActivity)
class CommunicationActivityAdmin(ScopedAdmin):
    list_display = ("held_on", "kind", "title", "unit", "participants_total", "materials_count")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("unit", "residential_group", "organiser")
    filter_horizontal = ("cooperating_agencies",)
    # Kept equal to the audiences' sum by services.save_activity.
    readonly_fields = ("participants_total",)
    inlines = [AudienceInline, AttachmentInline]


@admin.register(TargetPopulation)
class TargetPopulationAdmin(ScopedAdmin):
    list_display = ("year", "unit", "students", "risk_workers", "iz_workers", "residential_groups")
    list_filter = ("year",)
    raw_id_fields = ("unit",)
