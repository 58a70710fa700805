from django.contrib import admin

from lanhmanh.core.admin import ScopedAdmin
from lanhmanh.indicators.models import AggregateDeclaration, AggregateValue


class AggregateValueInline(admin.TabularInline):
    model = AggregateValue
    extra = 0
    fields = ("measure", "month", "value")


@admin.register(AggregateDeclaration)
class AggregateDeclarationAdmin(ScopedAdmin):
    list_display = ("unit", "module", "year", "updated_by", "updated_at")
    list_filter = ("module", "year")
    raw_id_fields = ("unit",)
    inlines = [AggregateValueInline]
