"""The figures of a unit's subtree: activities, participants, reach of the target groups with their denominators'
edge cases (nothing recorded is "no data", never 0% or a division error; a partly recorded subtree compares only
the units that recorded), communes and residential groups with activity — in a constant number of queries."""

import datetime

import pytest
from django.utils import translation

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory, ResidentialGroupFactory
from lanhmanh.outreach import services
from lanhmanh.outreach.models import ActivityKind, CommunicationActivity, TargetGroup
from lanhmanh.outreach.tests.factories import CommunicationActivityFactory, TargetPopulationFactory

D = datetime.date
G = TargetGroup
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)
MARCH_10 = D(2026, 3, 10)


def activity(unit, day=MARCH_10, audiences=None, **kwargs):
    return CommunicationActivityFactory(unit=unit, held_on=day, audiences=audiences, **kwargs)


# -- activity figures ------------------------------------------------------------------------------------


def test_figures_count_the_activities_of_the_subtree_in_the_period(people):
    activity(
        people.commune_a,
        D(2026, 1, 1),
        [(G.STUDENTS, 300), (G.OFFICIALS, 12)],
        kind=ActivityKind.SCHOOL_WORKPLACE,
        materials_count=200,
    )
    activity(people.commune_a, D(2026, 6, 30), [(G.RESIDENTS, None)], kind=ActivityKind.LOUDSPEAKER)
    activity(people.commune_b, D(2026, 3, 1), [(G.RESIDENTS, 45)])
    activity(people.province, D(2026, 5, 2), [(G.STUDENTS, 900)], kind=ActivityKind.CONTEST, materials_count=10_000)
    activity(people.commune_a, D(2025, 12, 31), [(G.STUDENTS, 1000)])  # the day before the period

    province = services.activity_figures(people.province, YEAR_START, D(2026, 6, 30))
    assert (province.activities, province.participants, province.materials) == (4, 1257, 10_200)
    assert province.participants_by_group[G.STUDENTS] == 1200
    assert province.participants_by_group[G.RESIDENTS] == 45  # the broadcast reached residents, uncounted
    assert province.activities_by_group[G.RESIDENTS] == 2
    assert province.participants_by_group[G.SELLERS] == 0
    assert province.by_kind[ActivityKind.CONTEST] == 1 and province.by_kind[ActivityKind.GROUP_SESSION] == 1

    commune = services.activity_figures(people.commune_a, YEAR_START, D(2026, 6, 30))
    assert (commune.activities, commune.participants) == (2, 312)


def test_a_user_counts_only_the_activities_they_may_see(people):
    activity(people.commune_a, audiences=[(G.RESIDENTS, 10)])
    activity(people.commune_b, audiences=[(G.RESIDENTS, 20)])
    assert services.activity_figures(people.province, YEAR_START, YEAR_END).participants == 30
    assert services.activity_figures(people.province, YEAR_START, YEAR_END, user=people.officer_a).participants == 10


def test_figures_take_two_queries(people):
    for _n in range(3):
        activity(people.commune_a, audiences=[(G.RESIDENTS, 10), (G.STUDENTS, 5)])
    assert count_queries(lambda: services.activity_figures(people.province, YEAR_START, YEAR_END)) == 2


# -- reach -----------------------------------------------------------------------------------------------


def test_no_population_recorded_is_no_data_not_zero_percent(people):
    activity(people.commune_a, audiences=[(G.STUDENTS, 300)])
    row = services.reach(people.province, 2026)[G.STUDENTS]
    assert row.participants == 300
    assert row.population is None and row.percent is None
    assert row.communes_covered == 0 and row.communes_total == 2


def test_zero_participants_with_a_population_is_zero_percent(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=1200)
    row = services.reach(people.commune_a, 2026)[G.STUDENTS]
    assert (row.participants, row.population, row.percent) == (0, 1200, 0.0)
    assert row.complete


def test_a_population_of_zero_gives_no_percentage_rather_than_a_division_error(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=None, iz_workers=0)
    row = services.reach(people.commune_a, 2026)[G.IZ_WORKERS]
    assert row.population == 0 and row.percent is None


def test_a_partly_recorded_subtree_compares_only_the_units_that_recorded(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=1000)
    activity(people.commune_a, audiences=[(G.STUDENTS, 300)])
    activity(people.commune_b, audiences=[(G.STUDENTS, 200)])  # B recorded no population
    activity(people.province, audiences=[(G.STUDENTS, 700)])  # attributable to no commune

    row = services.reach(people.province, 2026)[G.STUDENTS]
    assert row.participants == 1200
    assert (row.population, row.participants_covered) == (1000, 300)
    assert row.percent == pytest.approx(30.0)
    assert (row.units_recorded, row.communes_covered, row.communes_total) == (1, 1, 2)
    assert not row.complete


def test_the_highest_recorded_unit_includes_those_below_it(people):
    TargetPopulationFactory(unit=people.province, year=2026, students=10_000)
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=1000)
    activity(people.commune_a, audiences=[(G.STUDENTS, 300)])
    activity(people.province, audiences=[(G.STUDENTS, 700)])
    row = services.reach(people.province, 2026)[G.STUDENTS]
    assert (row.population, row.participants_covered, row.units_recorded) == (10_000, 1000, 1)
    assert row.percent == pytest.approx(10.0) and row.complete
    # The commune on its own uses its own figure.
    assert services.reach(people.commune_a, 2026)[G.STUDENTS].percent == pytest.approx(30.0)


def test_only_the_year_counts(people):
    TargetPopulationFactory(unit=people.commune_a, year=2025, students=1000)
    activity(people.commune_a, D(2025, 5, 1), [(G.STUDENTS, 100)])
    activity(people.commune_a, D(2026, 5, 1), [(G.STUDENTS, 400)])
    assert services.reach(people.commune_a, 2025)[G.STUDENTS].percent == pytest.approx(10.0)
    assert services.reach(people.commune_a, 2026)[G.STUDENTS].percent is None


def test_workers_at_businesses_fall_back_to_the_registry(people):
    BusinessFactory(unit=people.commune_a, workers_total=20, workforce_as_of=D(2026, 1, 1))
    BusinessFactory(unit=people.commune_a, workers_total=30, workforce_as_of=D(2026, 1, 1))
    BusinessFactory(
        unit=people.commune_a,
        workers_total=100,
        workforce_as_of=D(2026, 1, 1),
        status=Business.Status.CLOSED,
        status_since=D(2025, 1, 1),
    )
    BusinessFactory(
        unit=people.commune_a, workers_total=100, workforce_as_of=D(2026, 1, 1), subject_to_management=False
    )
    activity(people.commune_a, audiences=[(G.RISK_WORKERS, 10)])
    row = services.reach(people.commune_a, 2026)[G.RISK_WORKERS]
    assert (row.population, row.from_registry, row.units_recorded) == (50, 50, 0)
    assert row.percent == pytest.approx(20.0)

    # A recorded figure replaces the registry for its unit; B has no businesses and records 80.
    TargetPopulationFactory(unit=people.commune_b, year=2026, students=None, risk_workers=80)
    activity(people.commune_b, audiences=[(G.RISK_WORKERS, 16)])
    row = services.reach(people.province, 2026)[G.RISK_WORKERS]
    assert (row.population, row.from_registry, row.participants_covered) == (130, 50, 26)
    assert row.percent == pytest.approx(20.0) and row.complete
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=None, risk_workers=200)
    assert services.reach(people.province, 2026)[G.RISK_WORKERS].population == 280


def test_a_registry_without_workforce_figures_is_no_data(people):
    BusinessFactory(unit=people.commune_a)  # workers not recorded
    assert services.reach(people.commune_a, 2026)[G.RISK_WORKERS].percent is None


def test_reach_takes_four_queries(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026)
    activity(people.commune_a, audiences=[(G.STUDENTS, 10)])
    assert count_queries(lambda: services.reach(people.province, 2026)) == 4


# -- communes and residential groups with activity ---------------------------------------------------------


def test_communes_with_activity(people):
    activity(people.commune_a)
    activity(people.commune_a)
    activity(people.province)  # a province's own activity is no commune's
    assert services.communes_with_activity(people.province, YEAR_START, YEAR_END) == (1, 2, 50.0)
    assert services.communes_with_activity(people.commune_a, YEAR_START, YEAR_END) == (1, 1, 100.0)
    assert services.communes_with_activity(people.commune_b, YEAR_START, YEAR_END) == (0, 1, 0.0)
    assert services.communes_with_activity(people.province, D(2026, 4, 1), YEAR_END) == (0, 2, 0.0)


def test_a_unit_without_communes_has_no_percentage(people):
    empty = AdminUnitFactory(code="99", level=AdminUnit.Level.PROVINCE, parent=people.nation)
    assert services.communes_with_activity(empty, YEAR_START, YEAR_END) == (0, 0, None)


def test_abolished_communes_are_not_counted(people):
    AdminUnitFactory(code="11300", parent=people.province, valid_to=D(2025, 6, 30))
    assert services.communes_with_activity(people.province, YEAR_START, YEAR_END).total == 2


def test_residential_groups_with_activity_against_the_tree_or_the_recorded_number(people, groups_a):
    activity(people.commune_a, residential_group=groups_a[0])
    activity(people.commune_a, residential_group=groups_a[0])
    activity(people.commune_a, residential_group=groups_a[1])
    activity(people.commune_a)  # at the commune's hall, in no group
    share = services.residential_groups_with_activity(people.commune_a, YEAR_START, YEAR_END)
    assert share[:2] == (2, 3) and share.percent == pytest.approx(66.667, abs=0.01)

    TargetPopulationFactory(unit=people.commune_a, year=2026, residential_groups=4)
    assert services.residential_groups_with_activity(people.commune_a, YEAR_START, YEAR_END) == (2, 4, 50.0)
    # B lists no groups and recorded no number: no data, not 0%.
    assert services.residential_groups_with_activity(people.commune_b, YEAR_START, YEAR_END) == (0, None, None)
    assert services.residential_groups_with_activity(people.province, YEAR_START, YEAR_END) == (2, 4, 50.0)


# -- the summary -------------------------------------------------------------------------------------------


def test_the_summary_gives_each_child_its_own_figures(people, groups_a):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=600)
    activity(people.commune_a, audiences=[(G.STUDENTS, 150)], residential_group=groups_a[0])
    activity(people.commune_b, audiences=[(G.RESIDENTS, 50)])
    summary = services.outreach_summary(people.province, 2026)
    assert (summary.start, summary.end) == (YEAR_START, YEAR_END)
    assert summary.figures.activities == 2 and summary.communes == (2, 2, 100.0)
    rows = {row.unit.code: row for row in summary.children}
    assert list(rows) == ["11311", "11329"]  # by name: Hồng Bàng, Ngô Quyền
    assert rows["11311"].reach[G.STUDENTS].percent == pytest.approx(25.0)
    assert rows["11329"].reach[G.STUDENTS].percent is None
    assert rows["11329"].figures.participants == 50
    assert rows["11311"].residential_groups == (1, 3, pytest.approx(33.333, abs=0.01))
    assert services.outreach_summary(people.commune_a, 2026).children == []


def test_the_summary_takes_the_same_queries_however_many_units(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026)
    activity(people.commune_a, audiences=[(G.STUDENTS, 10)])
    few = count_queries(lambda: services.outreach_summary(people.province, 2026))
    for n in range(5):
        commune = AdminUnitFactory(code=f"1140{n}", parent=people.province)
        ResidentialGroupFactory(parent=commune)
        TargetPopulationFactory(unit=commune, year=2026)
        BusinessFactory(unit=commune, workers_total=5, workforce_as_of=D(2026, 1, 1))
        activity(commune, audiences=[(G.STUDENTS, 10), (G.RISK_WORKERS, 2)])
    assert count_queries(lambda: services.outreach_summary(people.province, 2026)) == few == 8


# -- writing an activity ---------------------------------------------------------------------------------


def test_saving_an_activity_keeps_the_participants_total(people):
    new = CommunicationActivity(
        unit=people.commune_a, kind=ActivityKind.CONTEST, held_on=D(2026, 4, 2), title="Hội thi tìm hiểu pháp luật"
    )
    saved = services.save_activity(
        new,
        user=people.officer_a,
        audiences=[(G.STUDENTS, 250), {"target_group": G.OFFICIALS, "participants": 20}, (G.RESIDENTS, None)],
    )
    assert saved.participants_total == 270 and saved.version == 1 and saved.created_by == people.officer_a
    assert {(a.target_group, a.participants) for a in saved.audiences.all()} == {
        (G.STUDENTS, 250),
        (G.OFFICIALS, 20),
        (G.RESIDENTS, None),
    }

    services.save_activity(saved, user=people.officer_a, audiences=[(G.STUDENTS, 300)], expected_version=1)
    saved.refresh_from_db()
    assert saved.participants_total == 300 and saved.version == 2
    assert [(a.target_group, a.participants) for a in saved.audiences.all()] == [(G.STUDENTS, 300)]

    services.save_activity(saved, user=people.officer_a, expected_version=2)  # audiences kept
    assert saved.audiences.count() == 1 and saved.participants_total == 300
    with pytest.raises(ConcurrentEditError):
        services.save_activity(saved, user=people.officer_a, audiences=[(G.STUDENTS, 1)], expected_version=1)
    saved.refresh_from_db()
    assert saved.participants_total == 300


@translation.override("vi")  # a page test before this one may leave English active in this thread
def test_audiences_are_checked_in_vietnamese():
    assert services.audience_errors([]) == ["Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền."]
    assert services.audience_errors([(G.STUDENTS, 5), (G.STUDENTS, 6)]) == [
        "Nhóm đối tượng “Học sinh, sinh viên” được ghi hai lần."
    ]
    assert services.audience_errors([(G.SELLERS, -1)]) == ["Số người tham dự của nhóm “Người bán dâm” không thể âm."]
    assert services.audience_errors([("aliens", 3)]) == ["Nhóm đối tượng “aliens” không có trong danh mục."]
