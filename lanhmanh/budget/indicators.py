"""Budget indicators. The allocation is the budget of every year the period touches (a six-month report states
spending against the year's allocation), a stock; spending is dated inside the period, a flow."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from lanhmanh.budget.models import BudgetAllocation, Expenditure
from lanhmanh.indicators.registry import PERCENT, STOCK, VND, Indicator, Measure, Source, between, records, registry

registry.module("budget", _("Kinh phí"))

ALLOCATIONS = Source("budget.allocation", lambda: BudgetAllocation.objects.all())
EXPENDITURES = Source("budget.expenditure", lambda: Expenditure.objects.all(), prefilter=between("spent_on"))

allocated = Measure("budget.allocated_vnd", _("Kinh phí được giao (đồng)"), ALLOCATIONS, kind=STOCK, module="budget",
                    condition=lambda s, e: Q(year__gte=s.year, year__lte=e.year),
                    aggregate=lambda q: Sum("amount", filter=q),
                    help_text=_("Dự toán cả năm; nhập vào tháng được giao hoặc điều chỉnh."))
spent = Measure("budget.spent_vnd", _("Kinh phí đã chi (đồng)"), EXPENDITURES, condition=between("spent_on"),
                module="budget", aggregate=lambda q: Sum("amount", filter=q))

registry.indicator(Indicator("BUDGET_ALLOCATED_VND", _("Kinh phí được giao"), "Budget allocated (VND)", VND,
                             allocated, module="budget", sort_order=90,
                             records_url=lambda unit, period: records(
                                 "budget:budgetallocation_list", year=period.year)(unit, period)))
registry.indicator(Indicator("BUDGET_SPENT_VND", _("Kinh phí đã chi"), "Budget spent (VND)", VND, spent,
                             module="budget", sort_order=91,
                             records_url=records("budget:expenditure_list", "spent_on")))
registry.indicator(Indicator("BUDGET_EXECUTION_PCT", _("Tỷ lệ giải ngân"), "Budget execution (%)", PERCENT, spent,
                             allocated, module="budget", sort_order=92,
                             records_url=records("budget:expenditure_list", "spent_on")))
