"""Execution figures: allocated, spent and the rate per purpose, per source, per child unit and over a reporting
period, with "no data" when nothing was allocated, 0% when nothing was spent, and over-spending shown as it is."""

import datetime

import pytest

from lanhmanh.budget import services
from lanhmanh.budget.models import Purpose, Source
from lanhmanh.budget.tests.factories import BudgetAllocationFactory, ExpenditureFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory

D = datetime.date
STATE, PROGRAMME, SOCIAL = Source.STATE_BUDGET, Source.NATIONAL_PROGRAMME, Source.SOCIALISED


@pytest.fixture
def year_2026(people):
    """Commune A: communication 20 M allocated, 15 M spent (75%); training 10 M allocated, 12,5 M spent (125%);
    models 8 M allocated, nothing spent (0%); inspection: 3 M spent with nothing allocated (no data).
    Commune B: 40 M of socialised money for support, 10 M spent. The province: 300 M for communication from the
    national programme, 90 M spent. Records of 2025 and of 1/1/2027 do not count."""
    a, b, p = people.commune_a, people.commune_b, people.province

    def allocate(unit, purpose, amount, source=STATE, year=2026):
        BudgetAllocationFactory(unit=unit, year=year, source=source, purpose=purpose, amount=amount)

    def spend(unit, purpose, amount, day, source=STATE):
        ExpenditureFactory(unit=unit, purpose=purpose, amount=amount, spent_on=day, source=source)

    allocate(a, Purpose.COMMUNICATION, 20_000_000)
    allocate(a, Purpose.TRAINING, 10_000_000)
    allocate(a, Purpose.MODELS, 8_000_000)
    spend(a, Purpose.COMMUNICATION, 10_000_000, D(2026, 3, 1))
    spend(a, Purpose.COMMUNICATION, 5_000_000, D(2026, 10, 31))
    spend(a, Purpose.TRAINING, 12_500_000, D(2026, 1, 1))
    spend(a, Purpose.INSPECTION, 3_000_000, D(2026, 6, 15))
    allocate(b, Purpose.SUPPORT, 40_000_000, source=SOCIAL)
    spend(b, Purpose.SUPPORT, 10_000_000, D(2026, 5, 5), source=SOCIAL)
    allocate(p, Purpose.COMMUNICATION, 300_000_000, source=PROGRAMME)
    spend(p, Purpose.COMMUNICATION, 90_000_000, D(2026, 8, 8), source=PROGRAMME)
    # Outside the year.
    allocate(a, Purpose.COMMUNICATION, 99_000_000, year=2025)
    spend(a, Purpose.COMMUNICATION, 99_000_000, D(2025, 12, 31))


def table(rows) -> dict[str, tuple]:
    return {row.key: (row.allocated, row.spent, row.percent) for row in rows}


def test_execution_of_a_commune_by_purpose(people, year_2026):
    figures = services.execution(people.commune_a, 2026)
    assert table(figures.by_purpose) == {
        "communication": (20_000_000, 15_000_000, 75.0),
        "training": (10_000_000, 12_500_000, 125.0),  # over-spent: shown as it is
        "models": (8_000_000, 0, 0.0),  # allocated, nothing spent yet: 0%
        "inspection": (None, 3_000_000, None),  # spent without allocation: no data, not a division error
        "support": (None, 0, None),
        "office": (None, 0, None),
        "rewards": (None, 0, None),
    }
    assert table([figures.total]) == {"total": (38_000_000, 30_500_000, 80.3)}
    assert table(figures.by_source) == {
        "state_budget": (38_000_000, 30_500_000, 80.3),
        "national_programme": (None, 0, None),
        "socialised": (None, 0, None),
    }
    rows = {row.key: row for row in figures.by_purpose}
    assert rows["training"].over_allocation and rows["training"].percent_label == "125%"
    assert rows["inspection"].percent_label == "Chưa có số liệu"
    assert rows["models"].percent_label == "0%" and figures.total.percent_label == "80,3%"


def test_execution_of_a_province_covers_its_communes(people, year_2026):
    figures = services.execution(people.province, 2026)
    assert table([figures.total]) == {"total": (378_000_000, 130_500_000, 34.5)}
    assert table(figures.by_source)["national_programme"] == (300_000_000, 90_000_000, 30.0)
    assert table(figures.by_source)["socialised"] == (40_000_000, 10_000_000, 25.0)
    assert table(figures.by_purpose)["communication"] == (320_000_000, 105_000_000, 32.8)


def test_a_unit_with_nothing_recorded_has_no_data(people):
    figures = services.execution(people.commune_b, 2026)
    assert table([figures.total]) == {"total": (None, 0, None)}
    assert all(row.percent is None for row in figures.by_purpose + figures.by_source)


def test_an_allocation_of_zero_has_no_rate(people):
    BudgetAllocationFactory(unit=people.commune_b, year=2026, source=STATE, purpose=Purpose.REWARDS, amount=0)
    ExpenditureFactory(unit=people.commune_b, purpose=Purpose.REWARDS, amount=500_000)
    rewards = {row.key: row for row in services.execution(people.commune_b, 2026).by_purpose}["rewards"]
    assert (rewards.allocated, rewards.spent, rewards.percent) == (0, 500_000, None)


def test_execution_by_child_unit(people, year_2026):
    rows = services.execution_by_child(people.province, 2026)
    assert [(row.label, row.own, row.allocated, row.spent, row.percent) for row in rows] == [
        ("Thành phố Hải Phòng", True, 300_000_000, 90_000_000, 30.0),
        ("Phường Hồng Bàng", False, 38_000_000, 30_500_000, 80.3),
        ("Phường Ngô Quyền", False, 40_000_000, 10_000_000, 25.0),
    ]


def test_records_of_residential_groups_fold_into_their_commune(people):
    # Not recordable through the forms, but the roll-up must not lose them if an import or a later rule allows it.
    group = AdminUnitFactory(
        code="11311-001", name="Tổ dân phố 1", level=AdminUnit.Level.RESIDENTIAL_GROUP, parent=people.commune_a
    )
    ExpenditureFactory(unit=group, amount=2_000_000, spent_on=D(2026, 2, 2))
    rows = {row.label: row for row in services.execution_by_child(people.province, 2026)}
    assert rows["Phường Hồng Bàng"].spent == 2_000_000


def test_a_user_counts_only_what_they_may_see(people, year_2026):
    seen_by_a = services.execution(people.province, 2026, user=people.officer_a)
    assert table([seen_by_a.total]) == {"total": (38_000_000, 30_500_000, 80.3)}
    nothing = services.execution(people.province, 2026, user=people.nobody)
    assert table([nothing.total]) == {"total": (None, 0, None)}


def test_query_counts_do_not_grow_with_units_or_records(people, year_2026):
    few = count_queries(
        lambda: (services.execution(people.province, 2026), services.execution_by_child(people.province, 2026))
    )
    for n in range(6):
        commune = AdminUnitFactory(code=f"1140{n}", name=f"Xã Mới {n}", parent=people.province)
        BudgetAllocationFactory(unit=commune, year=2026, amount=5_000_000)
        ExpenditureFactory(unit=commune, amount=1_000_000)
    many = count_queries(
        lambda: (services.execution(people.province, 2026), services.execution_by_child(people.province, 2026))
    )
    assert many == few == 5


def test_budget_figures_over_a_reporting_period(people, year_2026):
    half_year = services.budget_figures(people.province, D(2026, 1, 1), D(2026, 6, 30))
    # The year's allocations against the half-year's spending.
    assert (half_year.allocated, half_year.spent, half_year.percent) == (378_000_000, 35_500_000, 9.4)
    assert (half_year.first_year, half_year.last_year) == (2026, 2026)
    # A period across the turn of the year takes in the allocations of both years.
    across = services.budget_figures(people.commune_a, D(2025, 12, 15), D(2026, 6, 14))
    assert (across.allocated, across.spent) == (38_000_000 + 99_000_000, 99_000_000 + 10_000_000 + 12_500_000)
    training = services.budget_figures(people.commune_a, D(2026, 1, 1), D(2026, 12, 31), purpose=Purpose.TRAINING)
    assert (training.allocated, training.spent, training.percent) == (10_000_000, 12_500_000, 125.0)
    social = services.budget_figures(people.province, D(2026, 1, 1), D(2026, 12, 31), source=SOCIAL)
    assert (social.allocated, social.spent, social.percent) == (40_000_000, 10_000_000, 25.0)
    empty = services.budget_figures(people.commune_b, D(2024, 1, 1), D(2024, 12, 31))
    assert (empty.allocated, empty.spent, empty.percent) == (None, 0, None)
    assert count_queries(lambda: services.budget_figures(people.province, D(2026, 1, 1), D(2026, 6, 30))) == 2
