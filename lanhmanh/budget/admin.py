from django.contrib import admin

from lanhmanh.budget.models import BudgetAllocation, Expenditure
from lanhmanh.core.admin import ScopedAdmin


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(ScopedAdmin):
    list_display = ("year", "unit", "source", "purpose", "amount", "decision_number")
    list_filter = ("year", "source", "purpose")
    search_fields = ("decision_number", "note")
    raw_id_fields = ("unit",)


@admin.register(Expenditure)
class ExpenditureAdmin(ScopedAdmin):
    list_display = ("spent_on", "unit", "description", "source", "purpose", "amount", "voucher_number")
    list_filter = ("source", "purpose")
    search_fields = ("description", "voucher_number")
    raw_id_fields = ("unit", *(name for name, _purpose in Expenditure.link_fields()))
