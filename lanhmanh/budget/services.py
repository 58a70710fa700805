"""Budget figures of a unit's subtree: allocated, spent and the execution rate (tỷ lệ thực hiện, giải ngân), by
purpose, by source and by child unit, in a constant number of queries. Issue 9's indicators BUDGET_ALLOCATED_VND,
BUDGET_SPENT_VND and BUDGET_EXECUTION_PCT read `budget_figures`.

"No data" is not 0%: when nothing was allocated (no allocation recorded, or allocations summing to 0 đồng) the
execution rate is None and pages show "Chưa có số liệu". Spending above the allocation is shown as it is (e.g.
112,5%), never capped: that is what an inspector needs to see.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source


def execution_percent(allocated: int | None, spent: int) -> float | None:
    """Spent as a percentage of allocated, one decimal; None when nothing was allocated."""
    if not allocated:
        return None
    return round(100 * (spent or 0) / allocated, 1)


def percent_label(percent: float | None) -> str:
    """ "87,5%", "100%" (Vietnamese decimal comma); "Chưa có số liệu" for None."""
    if percent is None:
        return _("Chưa có số liệu")
    digits = 0 if float(percent).is_integer() else 1
    return f"{number_format(percent, decimal_pos=digits, use_l10n=True, force_grouping=True)}%"


@dataclass
class ExecutionRow:
    """One line of an execution table. `allocated` is None when no allocation was recorded for it."""

    key: str
    label: str
    allocated: int | None = None
    spent: int = 0

    @property
    def percent(self) -> float | None:
        return execution_percent(self.allocated, self.spent)

    @property
    def percent_label(self) -> str:
        return percent_label(self.percent)

    @property
    def over_allocation(self) -> bool:
        return self.percent is not None and self.percent > 100

    def add(self, allocated: int | None = None, spent: int = 0):
        if allocated is not None:
            self.allocated = (self.allocated or 0) + allocated
        self.spent += spent or 0


@dataclass
class Execution:
    unit: object
    year: int
    by_purpose: list[ExecutionRow]
    by_source: list[ExecutionRow]
    total: ExecutionRow


@dataclass
class ChildExecution(ExecutionRow):
    unit: object = None
    # The row of the unit's own records (a province's own budget), beside its children's.
    own: bool = False


def _allocations(unit, user):
    queryset = BudgetAllocation.objects.within([unit.path])
    return queryset.visible_to(user) if user is not None else queryset


def _expenditures(unit, user):
    queryset = Expenditure.objects.within([unit.path])
    return queryset.visible_to(user) if user is not None else queryset


def execution(unit, year: int, user=None) -> Execution:
    """Allocated, spent and the execution rate of `unit`'s subtree in budget year `year` (spending dated
    1/1–31/12), per purpose, per source and in total, in two queries (one SUM grouped by purpose and source for
    each table). With a `user`, only the records they may see count."""
    by_purpose = {p.value: ExecutionRow(p.value, str(p.label)) for p in Purpose}
    by_source = {s.value: ExecutionRow(s.value, str(s.label)) for s in Source}
    total = ExecutionRow("total", _("Tổng cộng"))
    allocated = (
        _allocations(unit, user).filter(year=year).order_by().values("purpose", "source").annotate(amount=Sum("amount"))
    )
    for row in allocated:
        for target in (by_purpose.get(row["purpose"]), by_source.get(row["source"]), total):
            if target is not None:
                target.add(allocated=row["amount"] or 0)
    spent = (
        _expenditures(unit, user).of_year(year).order_by().values("purpose", "source").annotate(amount=Sum("amount"))
    )
    for row in spent:
        for target in (by_purpose.get(row["purpose"]), by_source.get(row["source"]), total):
            if target is not None:
                target.add(spent=row["amount"] or 0)
    return Execution(unit, year, list(by_purpose.values()), list(by_source.values()), total)


def execution_by_child(unit, year: int, user=None) -> list[ChildExecution]:
    """Allocated, spent and the execution rate for `unit`'s own records and for each unit directly below it (each
    commune of a province), in three queries whatever the number of children: the children, then one SUM of
    allocations and one of spending grouped by the owning unit's path, folded onto the child whose path is its
    prefix."""
    from lanhmanh.geo.models import AdminUnit

    children = list(AdminUnit.objects.filter(parent=unit, level__lte=AdminUnit.Level.COMMUNE).order_by("name"))
    own = ChildExecution(str(unit.pk), str(unit), unit=unit, own=True)
    rows = {child.path: ChildExecution(str(child.pk), str(child), unit=child) for child in children}

    def target(path):
        if path == unit.path:
            return own
        for child_path, row in rows.items():
            if path.startswith(child_path):
                return row
        return None  # a unit below `unit` through a level the table does not show

    for row in (
        _allocations(unit, user).filter(year=year).order_by().values("unit__path").annotate(amount=Sum("amount"))
    ):
        if (found := target(row["unit__path"])) is not None:
            found.add(allocated=row["amount"] or 0)
    for row in _expenditures(unit, user).of_year(year).order_by().values("unit__path").annotate(amount=Sum("amount")):
        if (found := target(row["unit__path"])) is not None:
            found.add(spent=row["amount"] or 0)
    return [own, *rows.values()]


@dataclass
class BudgetFigures:
    start: datetime.date
    end: datetime.date
    first_year: int
    last_year: int
    allocated: int | None
    spent: int
    percent: float | None = field(init=False)

    def __post_init__(self):
        self.percent = execution_percent(self.allocated, self.spent)


def budget_figures(
    unit, start: datetime.date, end: datetime.date, user=None, *, purpose=None, source=None
) -> BudgetFigures:
    """The budget of `unit`'s subtree for a reporting period [start, end], in two queries:

    - allocated: the allocations of every budget year the period touches (start.year to end.year), whole years —
      a six-month report states spending against the year's allocation ("giải ngân 45% dự toán năm"); None when no
      allocation of those years is recorded;
    - spent: the expenditures dated inside the period;
    - percent: spent ÷ allocated × 100 (one decimal), None when nothing was allocated.

    `purpose` and `source` narrow both to one line. With a `user`, only the records they may see count."""
    allocations = _allocations(unit, user).of_years(start.year, end.year)
    expenditures = _expenditures(unit, user).spent_between(start, end)
    if purpose:
        allocations, expenditures = allocations.filter(purpose=purpose), expenditures.filter(purpose=purpose)
    if source:
        allocations, expenditures = allocations.filter(source=source), expenditures.filter(source=source)
    allocated = allocations.aggregate(amount=Sum("amount"), lines=Count("pk"))
    spent = expenditures.aggregate(amount=Sum("amount"))["amount"] or 0
    return BudgetFigures(start, end, start.year, end.year, allocated["amount"] if allocated["lines"] else None, spent)
