import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.budget.models import BudgetAllocation, Expenditure


class BudgetAllocationTable(tables.Table):
    year = tables.Column(localize=False, linkify=True)
    decision_date = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = BudgetAllocation
        fields = ("year", "unit", "source", "purpose", "amount", "decision_number", "decision_date")


class ExpenditureTable(tables.Table):
    spent_on = tables.DateColumn(format="d/m/Y", linkify=True)
    paid_for = tables.Column(verbose_name=_("Chi cho"), empty_values=(), orderable=False)

    class Meta:
        model = Expenditure
        fields = ("spent_on", "unit", "description", "source", "purpose", "amount", "voucher_number", "paid_for")

    def render_paid_for(self, record):
        # The list view selects the linked records: no query per row.
        linked = record.linked
        return str(linked[1]) if linked else "—"

    def value_paid_for(self, record):
        linked = record.linked
        return str(linked[1]) if linked else ""
