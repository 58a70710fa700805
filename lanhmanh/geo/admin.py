from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.geo.models import AdminUnit, Agency, AgencyType


@admin.register(AdminUnit)
class AdminUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "successors")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order")


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ("name", "agency_type", "unit", "is_active")
    list_filter = ("agency_type", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("unit",)
