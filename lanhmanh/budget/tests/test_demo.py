"""The demo budget follows the same rules as records typed in, and gives the execution page varied rates to show."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.budget import services
from lanhmanh.budget.models import BudgetAllocation, Expenditure
from lanhmanh.geo.models import AdminUnit


@pytest.mark.django_db
def test_demo_budget_is_valid_and_its_execution_rates_vary(capsys, monkeypatch):
    monkeypatch.setenv("LANHMANH_DEMO_PASSWORD", "demo-khong-dung-that")
    call_command("load_admin_units")
    call_command("seed_demo", "--scale", "demo")
    assert "budget allocations" in capsys.readouterr().out

    year = timezone.localdate().year
    allocations = list(BudgetAllocation.objects.select_related("unit"))
    assert {a.year for a in allocations} == {year - 1, year}
    for allocation in allocations:
        allocation.full_clean()
    expenditures = list(
        Expenditure.objects.select_related(
            "unit", "activity__unit", "training__unit", "inspection_session__unit", "prevention_model__unit"
        )
    )
    for expenditure in expenditures:
        expenditure.full_clean()
    assert {name for e in expenditures if (linked := e.linked) for name in [linked[0]]} == {
        "activity",
        "training",
        "inspection_session",
        "prevention_model",
    }

    province = AdminUnit.objects.get(code="31")
    own = BudgetAllocation.objects.filter(unit=province, year=year)
    assert 500_000_000 < sum(a.amount for a in own) < 2_500_000_000  # hundreds of millions per line
    children = services.execution_by_child(province, year - 1)
    rates = [row.percent for row in children]
    assert None in rates  # a commune with nothing allocated
    assert any(rate is not None and 0 < rate <= 100 for rate in rates)
    over = [
        row
        for c in children
        if not c.own
        for row in services.execution(c.unit, year - 1).by_purpose
        if row.over_allocation
    ]
    assert over  # a commune that over-spent a line
    commune_budgets = [row.allocated for row in children if not row.own and row.allocated]
    assert all(10_000_000 <= amount <= 100_000_000 for amount in commune_budgets)  # tens of millions
