from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup
from lanhmanh.training.services import refresh_totals


class ParticipantGroupInline(admin.TabularInline):
    model = TrainingParticipantGroup
    extra = 0
    raw_id_fields = ("agency", "participant_unit")


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    list_display = ("starts_on", "title", "level", "unit", "participants_total", "programme_staff_total")
    list_filter = ("level",)
    search_fields = ("title",)
    raw_id_fields = ("unit", "organiser")
    # Kept by services.training_save from the groups: not typed in here either.
    readonly_fields = ("participants_total", "programme_staff_total")
    inlines = [ParticipantGroupInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_totals(form.instance)


@admin.register(StaffCount)
class StaffCountAdmin(ScopedAdmin):
    list_display = ("year", "unit", "staff")
    list_filter = ("year",)
    raw_id_fields = ("unit",)
