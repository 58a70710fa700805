"""The grid's rules below the pages: reading typed numbers, months not yet begun, the warning rules as data, and the
engine taking a declared commune's figures from its grid and never from its records."""

import datetime

import pytest
from django.utils import translation

from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.indicators import engine, entry, periods
from lanhmanh.indicators.models import AggregateValue
from lanhmanh.indicators.registry import registry
from lanhmanh.indicators.tests.factories import AggregateDeclarationFactory
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, InspectionVisitFactory

D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(("text", "value"), [
    ("", None), ("  ", None), (None, None), ("0", 0), ("12", 12), ("1.500.000", 1_500_000), ("1 500", 1500), (7, 7),
])
def test_numbers_are_read_as_officers_type_them(text, value):
    assert entry.parse_cell(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("-3", "Số liệu không được âm."),
    ("1,5", "Chỉ nhập số nguyên"),
    ("12 cơ sở", "không phải là số"),
    ("1.50", "Chỉ nhập số nguyên"),
    (True, "số nguyên không âm"),
])
def test_what_is_not_a_whole_number_is_explained(text, reason):
    with pytest.raises(ValueError, match=reason):
        entry.parse_cell(text)


def test_months_not_yet_begun_are_closed():
    today = D(2026, 4, 20)
    assert entry.open_months(2025, today) == list(range(1, 13))
    assert entry.open_months(2026, today) == [1, 2, 3, 4]
    assert entry.open_months(2027, today) == []


def test_a_future_month_is_refused_and_nothing_is_saved(people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2026)
    with pytest.raises(entry.GridError) as refused:
        entry.grid_save(declaration=declaration, values={"inspections.visits": {"4": "3", "5": "2"}},
                        expected_version=1, user=people.officer_a, today=D(2026, 4, 20))
    assert refused.value.cells == {"inspections.visits": {5: "Tháng 5/2026 chưa đến, chưa nhập được số liệu."}}
    assert not AggregateValue.objects.exists()


def test_every_rule_names_measures_that_exist():
    for rule in entry.RULES:
        assert rule.left in registry.measures and rule.right in registry.measures, rule.key
        assert registry.measures[rule.left].module == registry.measures[rule.right].module, rule.key


def test_a_rule_whose_measures_the_module_lacks_is_skipped(monkeypatch):
    rule = entry.Rule("inspections.visits", entry.LE, "enforcement.people_arrested", "—")
    monkeypatch.setattr(entry, "RULES", (*entry.RULES, rule))
    assert rule not in entry.rules_for("inspections")
    assert rule not in entry.rules_for("enforcement")


def test_the_rules_of_each_module():
    def warned(module, values):
        return [(w["rule"], w["month"]) for w in entry.check_rules(module, values)]

    assert warned("inspections", {
        "inspections.sessions": {1: 3, 2: 1}, "inspections.visits": {1: 2, 2: 4},
        "inspections.suspensions": {2: 5}, "inspections.businesses_visited": {2: 4},
    }) == [("inspections.visits>=inspections.sessions", 1), ("inspections.suspensions<=inspections.visits", 2)]
    assert warned("businesses", {"businesses.managed": {6: 40}, "businesses.with_commitment": {6: 41, 7: 50}}) == [
        ("businesses.with_commitment<=businesses.managed", 6)]
    assert warned("support", {"support.in_need": {1: 3}, "support.reached": {1: 4}}) == [
        ("support.reached<=support.in_need", 1)]
    # Spending adds up from January; the allocation stands until it is changed.
    assert warned("budget", {
        "budget.allocated_vnd": {1: 100_000_000, 9: 150_000_000},
        "budget.spent_vnd": {3: 60_000_000, 6: 50_000_000, 9: 30_000_000},
    }) == [("budget.spent_vnd<=budget.allocated_vnd", 6)]
    message = entry.check_rules("budget", {"budget.allocated_vnd": {1: 100_000_000},
                                           "budget.spent_vnd": {2: 120_000_000}})[0]["message"]
    assert message.startswith("Tháng 2: Kinh phí đã chi (đồng) lũy kế từ đầu năm (120.000.000) lớn hơn "
                              "Kinh phí được giao (đồng) (100.000.000).")
    # No warning without both figures.
    assert warned("enforcement", {"enforcement.people_prosecuted": {1: 4}}) == []


def test_a_stale_save_changes_nothing(people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    entry.grid_save(declaration=declaration, values={"inspections.visits": {"1": 4}}, expected_version=1,
                    user=people.officer_a)
    stale_copy = type(declaration).objects.get(pk=declaration.pk)
    stale_copy.version = 1
    with pytest.raises(ConcurrentEditError):
        entry.grid_save(declaration=stale_copy, values={"inspections.visits": {"1": 9}, "inspections.sessions": {
            "1": 1}}, expected_version=1, user=people.officer_b)
    assert list(AggregateValue.objects.values_list("measure", "month", "value")) == [("inspections.visits", 1, 4)]


def _visits(unit, day, count):
    session = InspectionSessionFactory(team__unit=unit, date=day)
    for _ in range(count):
        InspectionVisitFactory(session=session, business__unit=unit)


def test_the_engine_takes_a_declared_communes_figures_from_its_grid_only(people):
    _visits(people.commune_a, D(2025, 3, 10), 3)  # kept in records too, but A reports aggregates: not counted
    _visits(people.commune_b, D(2025, 5, 6), 2)
    year = periods.year(2025)

    def visits(**kwargs):
        return engine.compute(["INSP_VISITS"], people.province, year, **kwargs)

    assert visits().get("INSP_VISITS").numerator == 5
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    entry.grid_save(declaration=declaration, values={"inspections.visits": {"1": 10, "2": 0, "3": 7}},
                    expected_version=1, user=people.officer_a)
    assert visits().get("INSP_VISITS").numerator == 10 + 7 + 2
    by_child = visits(by="children")
    assert by_child.get("INSP_VISITS", people.commune_a).numerator == 17
    assert by_child.get("INSP_VISITS", people.commune_b).numerator == 2
    # Another year is not declared: A's records count again.
    _visits(people.commune_a, D(2024, 3, 10), 1)
    assert engine.compute(["INSP_VISITS"], people.province, periods.year(2024)).get("INSP_VISITS").numerator == 1
