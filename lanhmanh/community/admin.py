from django.contrib import admin

from lanhmanh.community.models import ModelActivity, PreventionModel
from lanhmanh.core.admin import ScopedAdmin


@admin.register(PreventionModel)
class PreventionModelAdmin(ScopedAdmin):
    list_display = ("name", "kind", "unit", "established_on", "status", "members_count")
    list_filter = ("kind", "status")
    search_fields = ("name", "decision_number")
    raw_id_fields = ("unit", "residential_group", "lead_agency")


@admin.register(ModelActivity)
class ModelActivityAdmin(ScopedAdmin):
    list_display = ("date", "prevention_model", "kind", "participants_count", "unit")
    list_filter = ("kind",)
    raw_id_fields = ("unit", "prevention_model")
