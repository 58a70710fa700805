from django.contrib import admin

from lanhmanh.commendations.models import Commendation
from lanhmanh.core.admin import ScopedAdmin


@admin.register(Commendation)
class CommendationAdmin(ScopedAdmin):
    list_display = ("recipient_name", "recipient_kind", "year", "award_form", "status", "decided_on", "unit")
    list_filter = ("status", "recipient_kind", "award_form")
    search_fields = ("recipient_name", "decision_number")
    raw_id_fields = ("unit", "agency")
